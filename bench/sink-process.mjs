/**
 * A minimal "ingestion" server for the benchmarks, in its own process: it reads each request
 * body, discards it and answers 204, nothing else. Against it, throughput is bound by the
 * client, not by the emulator's row validation. It listens twice with the same handler: https
 * (self-signed) and plain http (which only our client accepts, for loopback), so the TLS share
 * of the client's cost shows. Reports { endpoint, httpEndpoint, caPem } over IPC; answers
 * 'reset' and 'stop' like emulator-process.mjs.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { generate } from 'selfsigned';

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
function handle(req, res) {
  req.on('data', () => {});
  req.on('end', () => {
    requests++;
    res.writeHead(204, {
      'x-ms-request-id': randomUUID(),
      'x-ms-client-request-id': req.headers['x-ms-client-request-id'] ?? '',
    });
    res.end();
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
  if (message === 'reset') process.send({ type: 'reset', requests });
  else if (message === 'stop') {
    for (const s of [server, plain]) {
      s.close();
      s.closeAllConnections();
    }
    process.disconnect();
  }
});
