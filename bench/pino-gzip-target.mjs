// The floor of a pino worker that delivers: it reads pino's lines, joins them into ~1 MB bodies
// and gzips each at level 1 (as this repository's core does), and sends nothing. No mapping at
// all: the line itself is the record. bench/peers.mjs and bench/pino-hot-path.mjs --floor
// compare with it.
import { createRequire } from 'node:module';
import { GzipFloor } from './lib/gzip-floor.mjs';

const build = createRequire(import.meta.url)('pino-abstract-transport');

export default function gzipTarget() {
  const floor = new GzipFloor();
  return build(
    (source) => {
      source.on('data', (line) => floor.add(line));
    },
    { parse: 'lines', metadata: false, close: () => floor.flush() },
  );
}
