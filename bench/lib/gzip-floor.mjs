// The floor of a delivering transport (issue 18): record texts joined into ~1 MB bodies, each
// gzipped at level 1 on libuv's threadpool with the core's zlib options, and nothing sent.
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);
const BODY = 1_000_000;

export class GzipFloor {
  #texts = [];
  #size = 2;
  #pending = new Set();

  /** One record's JSON text. */
  add(text) {
    if (this.#size + text.length + 1 > BODY) this.#send();
    this.#texts.push(text);
    this.#size += text.length + 1;
  }

  #send() {
    const body = Buffer.from(`[${this.#texts.join(',')}]`);
    this.#texts = [];
    this.#size = 2;
    const done = gzip(body, { level: 1, chunkSize: 256 * 1024 });
    this.#pending.add(done);
    done.finally(() => this.#pending.delete(done));
  }

  /** Resolves when every body so far is gzipped. */
  async flush() {
    if (this.#texts.length > 0) this.#send();
    await Promise.all(this.#pending);
  }
}
