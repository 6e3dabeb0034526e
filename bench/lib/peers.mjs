// The transports bench/peers.mjs compares: this repository's, a user-written one over the
// official client's upload(), and the published transports of other backends that can be
// pointed at a local sink (bench/sink-process.mjs answers each one's protocol). Every one runs
// with its defaults, except where `settings` says otherwise; `drops` says what its defaults do
// when logs come faster than it sends them (each read from its source).
import { fileURLToPath } from 'node:url';
import { benchRequire, pinoRequire, winstonRequire } from './packages.mjs';
import { uploadTransport } from './upload-transports.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * winston transports: `make(sink)` returns `{ transport, flush }` (flush: a promise that the
 * transport's own buffer is sent, where it has one). `sink`: the sink's https base URL.
 */
export const WINSTON_PEERS = {
  ours: {
    label: 'this transport',
    settings: 'defaults (gzip level 1, 1 MB batches, 1 s timer)',
    drops: 'no: bounded buffer of 64 MiB, then counted drops',
    make: () => {
      const { AzureIngestionTransport } = winstonRequire('winston-transport-azure-ingestion');
      const transport = new AzureIngestionTransport({ warnings: false });
      return { transport, flush: () => transport.flush() };
    },
  },
  upload: {
    label: 'user-written over upload()',
    settings: 'batches of 1,000 or every 2 s into upload() (bench/lib/upload-transports.mjs)',
    drops: 'no: unbounded array',
    make: () => {
      const transport = new (uploadTransport(winstonRequire('winston-transport')))();
      return { transport, flush: () => transport.flush() };
    },
  },
  loki: {
    label: 'winston-loki',
    settings: 'defaults (protobuf + snappy, batches every 5 s)',
    drops: 'no: unbounded batch',
    make: (sink) => {
      const LokiTransport = benchRequire('winston-loki');
      const transport = new LokiTransport({ host: sink, labels: { app: 'bench' } });
      return { transport, flush: () => transport.flush() };
    },
  },
  otel: {
    label: '@opentelemetry/winston-transport',
    settings: 'SDK LoggerProvider + BatchLogRecordProcessor defaults, OTLP http/protobuf exporter',
    drops: 'yes: queue of 2,048 records, later ones dropped until an export frees room',
    make: (sink) => {
      const { logs } = benchRequire('@opentelemetry/api-logs');
      const { LoggerProvider, BatchLogRecordProcessor } = benchRequire('@opentelemetry/sdk-logs');
      const { OTLPLogExporter } = benchRequire('@opentelemetry/exporter-logs-otlp-proto');
      const { OpenTelemetryTransportV3 } = benchRequire('@opentelemetry/winston-transport');
      const exporter = new OTLPLogExporter({ url: `${sink}/v1/logs` });
      const provider = new LoggerProvider({
        processors: [new BatchLogRecordProcessor({ exporter })],
      });
      logs.setGlobalLoggerProvider(provider);
      return { transport: new OpenTelemetryTransportV3(), flush: () => provider.forceFlush() };
    },
  },
  logtail: {
    label: '@logtail/winston',
    settings: 'defaults (batches of 1,000 or every 1 s, stack context captured per log)',
    drops: 'yes: burst protection keeps at most 10,000 logs per 5 s',
    make: (sink) => {
      const { Logtail } = benchRequire('@logtail/node');
      const { LogtailTransport } = benchRequire('@logtail/winston');
      const logtail = new Logtail('bench-token', { endpoint: sink });
      return { transport: new LogtailTransport(logtail), flush: () => logtail.flush() };
    },
  },
  axiom: {
    label: '@axiomhq/winston',
    settings: 'defaults (batches of 1,000 or every 1 s, gzip)',
    drops: 'no: unbounded batches',
    make: (sink) => {
      const { WinstonTransport } = benchRequire('@axiomhq/winston');
      const transport = new WinstonTransport({ dataset: 'bench', token: 'bench-token', url: sink });
      return { transport, flush: () => new Promise((resolve) => transport.flush(resolve)) };
    },
  },
};

/** pino worker targets: `make(sink)` returns pino.transport()'s `{ target, options }`. */
export const PINO_PEERS = {
  ours: {
    label: 'this transport',
    settings: 'defaults (gzip level 1, 1 MB batches, 1 s timer)',
    drops: 'no: bounded buffer of 64 MiB, then counted drops',
    make: () => {
      const e = process.env;
      return {
        target: pinoRequire.resolve('pino-azure-ingestion'),
        options: {
          endpoint: e.AZURE_LOGS_INGESTION_ENDPOINT,
          ruleId: e.AZURE_LOGS_INGESTION_RULE_ID,
          streamName: e.AZURE_LOGS_INGESTION_STREAM,
          token: e.AZURE_LOGS_INGESTION_TOKEN,
        },
      };
    },
  },
  upload: {
    label: 'abstract-transport + upload()',
    settings:
      'parsed lines, batches of 1,000 or every 2 s into upload() (bench/pino-upload-target.mjs)',
    drops: 'no: unbounded array',
    make: () => ({ target: here('../pino-upload-target.mjs'), options: {} }),
  },
  loki: {
    label: 'pino-loki',
    settings: 'defaults (JSON, batches every 5 s)',
    drops: 'yes: buffer of 10,000 lines, the oldest dropped beyond',
    make: (sink) => ({ target: benchRequire.resolve('pino-loki'), options: { host: sink } }),
  },
  otel: {
    label: 'pino-opentelemetry-transport',
    settings: 'defaults (BatchLogRecordProcessor, OTLP http/protobuf)',
    drops: 'yes: queue of 2,048 records, later ones dropped until an export frees room',
    make: (sink) => ({
      target: benchRequire.resolve('pino-opentelemetry-transport'),
      options: {
        loggerName: 'bench',
        serviceVersion: '1.0.0',
        logRecordProcessorOptions: {
          recordProcessorType: 'batch',
          exporterOptions: {
            protocol: 'http/protobuf',
            protobufExporterOptions: { url: `${sink}/v1/logs` },
          },
        },
      },
    }),
  },
  logtail: {
    label: '@logtail/pino',
    settings: 'defaults (batches of 1,000 or every 1 s, stack context captured per log)',
    drops: 'yes: burst protection keeps at most 10,000 logs per 5 s',
    make: (sink) => ({
      target: benchRequire.resolve('@logtail/pino'),
      options: { sourceToken: 'bench-token', options: { endpoint: sink } },
    }),
  },
  axiom: {
    label: '@axiomhq/pino',
    settings: 'defaults (@axiomhq/js batching, gzip)',
    drops: 'no: unbounded batches',
    make: (sink) => ({
      target: benchRequire.resolve('@axiomhq/pino'),
      options: { dataset: 'bench', token: 'bench-token', url: sink },
    }),
  },
  datadog: {
    label: 'pino-datadog-transport',
    settings: 'defaults (batches of 995 or every 3 s, gzip); server set to the sink',
    drops: 'no: unbounded buckets (no longer maintained, says its postinstall)',
    make: (sink) => {
      const url = new URL(sink);
      return {
        target: benchRequire.resolve('pino-datadog-transport'),
        options: {
          ddClientConf: { authMethods: { apiKeyAuth: 'bench-key' }, serverIndex: 1 },
          ddServerConf: { name: url.host, protocol: url.protocol.slice(0, -1) },
        },
      };
    },
  },
};
