// @ts-check
/**
 * Express 5 + winston: request logs and errors go to Azure Monitor through the Logs Ingestion API.
 *
 *   AZURE_LOGS_INGESTION_ENDPOINT=… AZURE_LOGS_INGESTION_RULE_ID=dcr-… \
 *   AZURE_LOGS_INGESTION_STREAM=Custom-AppLogs node examples/express-winston.mjs
 *
 * Authentication: the managed identity in Azure (built in), DefaultAzureCredential where
 * @azure/identity is installed (`az login` locally); against the local emulator,
 * AZURE_LOGS_INGESTION_TOKEN. On SIGTERM/SIGINT the server stops accepting,
 * finishes what is in flight, and the transport delivers what is buffered before the exit.
 */
import express from 'express';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';

// Everything comes from the AZURE_LOGS_INGESTION_* variables.
const azure = new AzureIngestionTransport();
const logger = winston.createLogger({
  level: 'info',
  defaultMeta: { service: 'orders-api' },
  transports: [new winston.transports.Console({ format: winston.format.simple() }), azure],
});

const app = express();

// One log per request, when its response is finished.
app.use((req, res, next) => {
  const started = performance.now();
  res.on('finish', () => {
    logger.info('request completed', {
      method: req.method,
      path: req.path,
      status: res.statusCode,
      durationMs: Math.round(performance.now() - started),
    });
  });
  next();
});

app.get('/orders/:id', (req, res) => {
  logger.info('order fetched', { orderId: Number(req.params.id) });
  res.json({ id: Number(req.params.id), status: 'shipped' });
});

app.get('/fail', () => {
  throw new Error('inventory service unavailable');
});

// Express 5 passes thrown errors (and rejected promises) here.
/**
 * @param {unknown} err
 * @param {import('express').Request} req
 * @param {import('express').Response} res
 * @param {import('express').NextFunction} _next
 */
function onError(err, req, res, _next) {
  logger.error('request failed', { error: err, path: req.path });
  res.status(500).json({ error: 'internal error' });
}
app.use(onError);

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`listening on http://127.0.0.1:${address.port}`);
});

async function shutdown() {
  logger.info('shutting down');
  server.close();
  server.closeIdleConnections();
  // Delivers what is buffered (bounded by closeTimeoutMs) and releases the client.
  await azure.close();
  // Nothing is left to keep the process alive: it exits with code 0.
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
