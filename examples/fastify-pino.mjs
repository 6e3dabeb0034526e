// @ts-check
/**
 * Fastify 5 + pino with the transport in pino's worker thread: request logs cost the event loop
 * one write; batching, gzip and HTTPS happen in the worker.
 *
 *   AZURE_LOGS_INGESTION_ENDPOINT=… AZURE_LOGS_INGESTION_RULE_ID=dcr-… \
 *   AZURE_LOGS_INGESTION_STREAM=Custom-AppLogs node examples/fastify-pino.mjs
 *
 * The worker reads the AZURE_LOGS_INGESTION_* variables itself (options crossing into a worker
 * must be plain data, so the credential is built there).
 */
import Fastify from 'fastify';
import pino from 'pino';

const logger = pino({
  level: 'info',
  base: { service: 'catalog-api' },
  transport: { target: 'pino-azure-ingestion', options: {} },
});
// Fastify logs every request ("incoming request", "request completed") through this logger.
const app = Fastify({ loggerInstance: logger });

app.get('/products/:id', async (request) => {
  const { id } = /** @type {{ id: string }} */ (request.params);
  request.log.info({ productId: Number(id) }, 'product fetched');
  return { id: Number(id), name: 'kettle' };
});

app.get('/fail', async () => {
  throw new Error('price service unavailable');
});

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${address}`);

async function shutdown() {
  app.log.info('shutting down');
  await app.close();
  // flush(cb) reaches the transport in the worker and calls back once the service acknowledged.
  await new Promise((resolve) => logger.flush(resolve));
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
