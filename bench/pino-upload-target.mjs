// A pino worker target over `@azure/monitor-ingestion` `upload()`, as a user writes one today
// (pino-abstract-transport, each parsed line made into the default record, batches per 1,000 or
// every 2 s): the pino baseline of bench/peers.mjs (bench/lib/upload-transports.mjs).
import { createRequire } from 'node:module';
import { pinoRecord, UploadBatcher } from './lib/upload-transports.mjs';

const build = createRequire(import.meta.url)('pino-abstract-transport');

export default function uploadTarget() {
  const batcher = new UploadBatcher();
  return build(
    async (source) => {
      for await (const obj of source) batcher.add(pinoRecord(obj));
    },
    { close: () => batcher.flush() },
  );
}
