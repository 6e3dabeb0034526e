// @ts-check
/**
 * A container-style HTTP server (node:http + pino) that shuts down cleanly on SIGTERM, as
 * Kubernetes, Azure Container Apps and `docker stop` send it:
 *
 *   SIGTERM ─► stop accepting ─► finish in-flight requests ─► log "stopped" ─► flush ─► exit 0
 *
 * Every log written before the exit reaches the service, including the last one.
 */
import { createServer } from 'node:http';
import pino from 'pino';

const logger = pino({
  base: { service: 'worker', instance: process.env.HOSTNAME ?? 'local' },
  transport: { target: 'pino-azure-ingestion', options: {} },
});

let shuttingDown = false;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(shuttingDown ? 503 : 200).end();
    return;
  }
  if (url.pathname === '/work') {
    // Headers go out at once; the body after `ms`: a request that is in flight for a while.
    const ms = Math.min(Number(url.searchParams.get('ms') ?? 100), 10_000);
    logger.info({ ms }, 'work started');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.flushHeaders();
    setTimeout(() => {
      logger.info({ ms }, 'work finished');
      res.end('done\n');
    }, ms);
    return;
  }
  res.writeHead(404).end();
});

// Once closing, a keep-alive connection is closed as soon as its response is finished.
server.on('request', (_req, res) => {
  res.on('finish', () => {
    if (shuttingDown) setImmediate(() => server.closeIdleConnections());
  });
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  logger.info({ port: address.port }, 'started');
  console.log(`listening on http://127.0.0.1:${address.port}`);
});

process.once('SIGTERM', () => {
  shuttingDown = true;
  logger.info('SIGTERM received, draining');
  server.close(() => {
    logger.info('stopped');
    // The callback runs once the service acknowledged every line; then nothing is left and the
    // process exits by itself with code 0.
    logger.flush((err) => {
      if (err) process.exitCode = 1;
    });
  });
  server.closeIdleConnections();
});
