// The baseline worker target of bench/pino-hot-path.mjs: reads pino's lines (split, as every
// pino-abstract-transport target does) and discards them.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../packages/pino/package.json', import.meta.url));
const build = require('pino-abstract-transport');

const SKIP = Object.freeze({});

export default function discard() {
  return build(
    (source) => {
      source.on('data', () => {});
    },
    { parse: 'lines', parseLine: () => SKIP, metadata: false },
  );
}
