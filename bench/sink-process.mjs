/**
 * A minimal "ingestion" server for the benchmarks, in its own process: it reads each request
 * body and answers as the service a client expects would (the Logs Ingestion API, Loki, OTLP,
 * Better Stack, Axiom, Datadog: see `answer`), nothing else. Against it, throughput is bound by
 * the client, not by the emulator's row validation. It listens twice with the same handler:
 * https (self-signed) and plain http (which only our client accepts, for loopback, among the
 * Azure clients), so the TLS share of the client's cost shows. Reports { endpoint, httpEndpoint,
 * caPem } over IPC; answers 'reset' and 'stop' like emulator-process.mjs.
 *
 * With SINK_MARKER set (a text that occurs once in every log record, e.g. a word of the message),
 * it also counts the records each body carries, whatever the wire format: the body is decoded
 * (gzip, deflate, or snappy for Loki's protobuf), and the marker's occurrences are counted (every
 * format here carries the message as plain UTF-8: JSON, protobuf, msgpack). `GET /__count`
 * answers `{"records":N,"requests":M}` since the start, for a client waiting for its delivery.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, inflate as inflateCallback } from 'node:zlib';
import { generate } from 'selfsigned';

const gunzip = promisify(gunzipCallback);
const inflate = promisify(inflateCallback);
const MARKER = process.env.SINK_MARKER ? Buffer.from(process.env.SINK_MARKER) : undefined;

const pems = await generate([{ name: 'commonName', value: 'bench-sink' }], {
  keyType: 'ec',
  curve: 'P-256',
  algorithm: 'sha256',
  notBeforeDate: new Date(Date.now() - 3_600_000),
  notAfterDate: new Date(Date.now() + 86_400_000),
  extensions: [
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyCertSign: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ],
});

let requests = 0;
let records = 0;
let snappy;

/** The body as the client meant it (its Content-Encoding undone; Loki's protobuf unsnapped). */
async function decoded(req, body) {
  const encoding = req.headers['content-encoding'];
  if (encoding === 'gzip') return gunzip(body);
  if (encoding === 'deflate') return inflate(body);
  if (req.headers['content-type'] === 'application/x-protobuf' && req.url.includes('/loki/')) {
    snappy ??= await import('snappy');
    return snappy.uncompressSync(body);
  }
  return body;
}

function count(buf) {
  let n = 0;
  for (let at = buf.indexOf(MARKER); at >= 0; at = buf.indexOf(MARKER, at + MARKER.length)) n++;
  return n;
}

/** Status, headers and body each client takes for success. */
function answer(req) {
  const url = req.url;
  // OTLP/HTTP: 200 with an ExportLogsServiceResponse (empty protobuf: nothing rejected).
  if (url.startsWith('/v1/logs')) return [200, { 'content-type': 'application/x-protobuf' }, ''];
  // Datadog's client reads 202 with a JSON body as success.
  if (url.startsWith('/api/v2/logs')) return [202, { 'content-type': 'application/json' }, '{}'];
  // The Logs Ingestion API, Loki, Better Stack, Axiom: 204.
  return [
    204,
    {
      'x-ms-request-id': randomUUID(),
      'x-ms-client-request-id': req.headers['x-ms-client-request-id'] ?? '',
    },
    '',
  ];
}

function handle(req, res) {
  if (req.method === 'GET' && req.url === '/__count') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ records, requests }));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => {
    if (MARKER) chunks.push(chunk);
  });
  req.on('end', async () => {
    requests++;
    if (MARKER) {
      try {
        // Not `records += count(await …)`: that reads `records` before the await, and requests
        // decoded meanwhile would be lost from the count.
        const n = count(await decoded(req, Buffer.concat(chunks)));
        records += n;
      } catch (err) {
        process.stderr.write(`sink: unreadable body on ${req.url}: ${err.message}\n`);
      }
    }
    const [status, headers, body] = answer(req);
    res.writeHead(status, headers);
    res.end(body);
  });
}

const server = createServer({ key: pems.private, cert: pems.cert }, handle);
const plain = createHttpServer(handle);
for (const s of [server, plain]) s.keepAliveTimeout = 60_000;
const listening = (s) => new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
await Promise.all([listening(server), listening(plain)]);
process.send({
  type: 'ready',
  endpoint: `https://127.0.0.1:${server.address().port}`,
  httpEndpoint: `http://127.0.0.1:${plain.address().port}`,
  caPem: pems.cert,
});
process.on('message', (message) => {
  if (message === 'reset') process.send({ type: 'reset', requests, records });
  else if (message === 'stop') {
    for (const s of [server, plain]) {
      s.close();
      s.closeAllConnections();
    }
    process.disconnect();
  }
});
