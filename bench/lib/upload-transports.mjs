// What a user writes today to send winston or pino logs to a Logs Ingestion stream with the
// official client, `@azure/monitor-ingestion`: each log made into the default record, records
// batched per 1,000 or every 2 s, each batch handed to `upload()` (which serializes, splits under
// 1 MB, gzips and sends). The baselines of bench/peers.mjs; configured from the
// AZURE_LOGS_INGESTION_* variables, as our transports are.

import { createRequire } from 'node:module';
import { hostname } from 'node:os';

const require = createRequire(new URL('../package.json', import.meta.url));
const { LogsIngestionClient } = require('@azure/monitor-ingestion');

const HOST = hostname();
const SEVERITY = { fatal: 21, error: 17, warn: 13, info: 9, debug: 5, trace: 1 };
const PINO_LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A winston info as the default record (the columns of this repository's transports). */
export function winstonRecord(info) {
  const { level, message, timestamp, trace_id, span_id, ...properties } = info;
  return {
    TimeGenerated: timestamp ?? new Date().toISOString(),
    Level: level,
    SeverityNumber: SEVERITY[level] ?? 9,
    Message: message,
    TraceId: trace_id,
    SpanId: span_id,
    Host: HOST,
    Properties: properties,
  };
}

/** A parsed pino line as the default record. */
export function pinoRecord(obj) {
  const { level, time, msg, hostname: host, trace_id, span_id, ...properties } = obj;
  const label = PINO_LEVELS[level] ?? 'info';
  return {
    TimeGenerated: new Date(time).toISOString(),
    Level: label,
    SeverityNumber: SEVERITY[label],
    Message: msg,
    TraceId: trace_id,
    SpanId: span_id,
    Host: host,
    Properties: properties,
  };
}

/** Batches records per 1,000 or every 2 s into `upload()`; `flush()` resolves when all are sent. */
export class UploadBatcher {
  #client;
  #rule;
  #stream;
  #batch = [];
  #timer;
  #pending = new Set();
  failed = 0;

  constructor(env = process.env) {
    const credential = {
      getToken: async () => ({
        token: env.AZURE_LOGS_INGESTION_TOKEN,
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    this.#client = new LogsIngestionClient(env.AZURE_LOGS_INGESTION_ENDPOINT, credential);
    this.#rule = env.AZURE_LOGS_INGESTION_RULE_ID;
    this.#stream = env.AZURE_LOGS_INGESTION_STREAM;
  }

  add(record) {
    this.#batch.push(record);
    if (this.#batch.length >= 1000) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), 2000).unref();
  }

  #send() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length === 0) return;
    const sent = this.#client.upload(this.#rule, this.#stream, batch).catch((err) => {
      this.failed += err.errors?.reduce((n, e) => n + e.failedLogs.length, 0) ?? batch.length;
    });
    this.#pending.add(sent);
    sent.finally(() => this.#pending.delete(sent));
  }

  async flush() {
    this.#send();
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}

/** A winston transport over `upload()` (TransportStream: the winston-transport class in use). */
export function uploadTransport(TransportStream) {
  return class UploadTransport extends TransportStream {
    batcher = new UploadBatcher();
    log(info, next) {
      this.batcher.add(winstonRecord(info));
      next();
    }
    flush() {
      return this.batcher.flush();
    }
  };
}
