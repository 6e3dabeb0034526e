/**
 * A self-signed certificate for `https: true`, generated at start (no openssl, no internet),
 * valid for localhost, 127.0.0.1 and ::1. Clients trust it through `caCertPem`
 * (e.g. a file passed as NODE_EXTRA_CA_CERTS to a child process).
 */

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
}

export async function generateCertificate(host: string): Promise<TlsMaterial> {
  // Loaded on demand: the x509 stack costs ~300 ms of import time that plain http never needs.
  const { generate } = await import('selfsigned');
  const altNames: Array<{ type: 2 | 7; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1' && host !== '0.0.0.0') {
    altNames.push(/^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'azure-ingestion-emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3600_000),
    notAfterDate: new Date(now + 365 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
