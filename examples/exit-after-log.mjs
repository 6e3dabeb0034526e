// @ts-check
/**
 * A job that logs and calls process.exit() at once: the classic way to lose the last logs.
 * `process.exit()` skips every pending callback, so buffered records must be delivered first.
 *
 * - winston runs in this thread: await the transport's flush() (or flushAll()) before exiting.
 * - pino's transport runs in a worker thread: at exit pino hands the worker the last lines and
 *   waits for it, so even an immediate process.exit() delivers them.
 */
import pino from 'pino';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';

const azure = new AzureIngestionTransport();
const wlog = winston.createLogger({ defaultMeta: { job: 'nightly-export' }, transports: [azure] });
const plog = pino({
  base: { job: 'nightly-export' },
  transport: { target: 'pino-azure-ingestion', options: {} },
});

const exported = 128;
wlog.info('export finished', { logger: 'winston', exported });
plog.info({ logger: 'pino', exported }, 'export finished');

await azure.flush(); // winston: acknowledged by the service
process.exit(exported > 0 ? 0 : 1); // pino: delivered by its worker during the exit
