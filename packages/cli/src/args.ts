/**
 * The command line: `azure-ingestion <command> [options] [FILE…]`, parsed strictly (an unknown
 * flag or a bad value is a usage error, exit status 2), with the help texts.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

import type { DoctorOptions } from './doctor/run.js';
import type { SchemaCommand } from './schema/run.js';
import type { SendCommand } from './send/run.js';

export const HELP = `Usage: azure-ingestion <command> [options]

Commands:
  doctor [--dcr FILE] [--json]
      Checks the configuration the transports read, says which credential gave a token and for
      which audience, sends one probe record and explains the answer with its fix (401, 403,
      404, unknown stream, 413, 429, DNS, TLS, ...). With --dcr, also checks every column the
      transports send against the stream's declared columns.
  schema [FILE...] [--map auto|pino|winston|none] [--format arm|bicep] [--stream NAME]
         [--table NAME] [--min-share 0.1] [--max-columns 50] [--json]
      Reads sample logs (NDJSON; stdin without FILE) and proposes the table columns, the stream
      declaration and the AZURE_LOGS_INGESTION_FIELD_COLUMNS value, as an ARM template or Bicep.
  send [FILE...] [--map pino|winston] [--dcr FILE] [--json] [--progress | --no-progress]
      Sends NDJSON (stdin without FILE): each object line is one record of the stream as it is,
      or, with --map, a pino or winston log mapped onto the default record.

Configuration: the AZURE_LOGS_INGESTION_* variables, as the transports read them
(ENDPOINT, RULE_ID, STREAM or URL; FIELD_COLUMNS, DCR_FILE, ...); credentials as the transports
get them (DefaultAzureCredential when @azure/identity is installed, else the managed identity,
workload identity, client secret or IMDS of the environment; TOKEN for the local emulator).

Options: --json prints a JSON report on stdout (for scripts); -h, --help; -v, --version.
Exit status: 0 done; 1 the probe failed, columns would be dropped or nulled, or records were
not delivered; 2 bad command line or invalid configuration.`;

export type Parsed =
  | { readonly command: 'help' | 'version' }
  | { readonly command: 'doctor'; readonly options: DoctorOptions & { readonly json: boolean } }
  | { readonly command: 'schema'; readonly options: SchemaCommand }
  | { readonly command: 'send'; readonly options: SendCommand };

/** A bad command line. */
export class UsageError extends Error {}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  dflt: T,
): T {
  if (value === undefined) return dflt;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `${flag} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
  );
}

function number(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(
      `${flag} must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

const COMMON = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** parseArgs with the common flags and files, its errors as usage errors. */
function parse<const O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function doctorArgs(args: string[]): Parsed {
  const { values, positionals } = parse(args, { dcr: { type: 'string' } });
  if (positionals.length > 0)
    throw new UsageError(`doctor takes no file (got ${positionals.join(' ')})`);
  return {
    command: 'doctor',
    options: { dcrFile: values.dcr, json: values.json === true },
  };
}

function schemaArgs(args: string[]): Parsed {
  const { values, positionals } = parse(args, {
    map: { type: 'string' },
    format: { type: 'string' },
    stream: { type: 'string' },
    table: { type: 'string' },
    'min-share': { type: 'string' },
    'max-columns': { type: 'string' },
  });
  const map = oneOf('--map', values.map, ['auto', 'pino', 'winston', 'none'], 'auto');
  const table = values.table;
  if (table !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,60}_CL$/.test(table)) {
    throw new UsageError(
      `--table must be a custom table name ending in _CL (got ${JSON.stringify(table)})`,
    );
  }
  const stream = values.stream;
  if (stream !== undefined && !/^Custom-[A-Za-z0-9_-]+$/.test(stream)) {
    throw new UsageError(
      `--stream must be a custom stream name, Custom-… (got ${JSON.stringify(stream)})`,
    );
  }
  return {
    command: 'schema',
    options: {
      files: positionals,
      map: map === 'none' ? 'raw' : map,
      format: oneOf('--format', values.format, ['arm', 'bicep'], 'arm'),
      json: values.json === true,
      streamName: stream,
      tableName: table,
      minShare: number('--min-share', values['min-share'], 0, 1),
      maxColumns: number('--max-columns', values['max-columns'], 0, 490),
    },
  };
}

function sendArgs(args: string[]): Parsed {
  const { values, positionals } = parse(args, {
    map: { type: 'string' },
    dcr: { type: 'string' },
    progress: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
  });
  const map = oneOf('--map', values.map, ['pino', 'winston', 'none'], 'none');
  const progress = values['no-progress'] ? false : values.progress ? true : undefined;
  return {
    command: 'send',
    options: {
      files: positionals,
      map: map === 'none' ? 'raw' : map,
      dcrFile: values.dcr ?? undefined,
      json: values.json === true,
      progress,
    },
  };
}

/**
 * The command and its options.
 * @throws UsageError naming what is wrong
 */
export function parseCommandLine(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help')
    return { command: 'help' };
  if (command === '-v' || command === '--version') return { command: 'version' };
  if (rest.includes('-h') || rest.includes('--help')) return { command: 'help' };
  switch (command) {
    case 'doctor':
      return doctorArgs(rest);
    case 'schema':
      return schemaArgs(rest);
    case 'send':
      return sendArgs(rest);
    default:
      throw new UsageError(
        `unknown command ${JSON.stringify(command)}: use doctor, schema or send`,
      );
  }
}
