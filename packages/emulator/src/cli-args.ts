/**
 * Command-line arguments of `azure-ingestion-emulator` (node:util parseArgs) and the fault
 * spec syntax shared by `--fault` and `--fault-rate`.
 */
import { parseArgs } from 'node:util';
import type { EmulatorOptions, Fault } from './types.js';

export const USAGE = `Usage: azure-ingestion-emulator [options]

A local emulator of the Azure Monitor Logs Ingestion API.

  --port <n>              TCP port (default 8042; 0 picks a free one)
  --host <addr>           interface (default 127.0.0.1); 0.0.0.0 makes it reachable from the network
  --allowed-host <name>   a host name requests may use besides IP addresses, localhost and this
                          machine's name (repeatable); others are refused (DNS rebinding guard)
  --dcr <file>            ARM JSON of a data collection rule, or an ARM template holding DCRs and their
                          tables (repeatable; default: the built-in AppLogs DCR and its table)
  --table <file>          a destination table (ARM template or table resource, or the output of
                          'az monitor log-analytics workspace table show'), repeatable: DCR output is
                          checked against it as Azure checks it
  --data-dir <dir>        append rows to <dir>/<table>.jsonl and reload them at start
  --https                 serve https with a generated self-signed certificate
  --ca-out <file>         where to write that certificate (default: a temp file); use it as NODE_EXTRA_CA_CERTS
  --fault <spec>          queue a fault for the next POSTs, in order (repeatable):
                            <status>[:<retryAfter>] | reset | hangup | hangup-after-body |
                            drop-answer | latency:<ms> | slow:<bytesPerSec> | <JSON>
  --fault-rate <p>:<spec> answer a fraction p (0..1) of POSTs with a fault, e.g. 0.1:503 or 0.05:429:2 (repeatable)
  --seed <n>              seed of --fault-rate draws (reproducible runs)
  --latency <ms>          add this latency to every POST
  --rate-limit-rpm <n>    requests per minute per rule (default 12000)
  --rate-limit-bpm <n>    bytes per minute per rule (default 2147483648)
  --rate-limit-window <ms> length of a rate-limit window (default 60000); the per-minute limits
                          scale with it: --rate-limit-rpm 120 --rate-limit-window 5000 = 10 per 5 s
  --forbid <ruleId>       answer 403 OperationFailed for this rule (repeatable)
  --token-lifetime <sec>  lifetime of issued tokens (default 86400 on the CLI)
  --token-secret <s>      HS256 secret shared by several emulator processes
  --cloud <name>          public (default), usgov or china: the token audience accepted
  --lenient-size          size limit as observed: 1 MB on the wire, 50 MB inflated
                          (default: 1 MB compressed and uncompressed, as documented)
  -h, --help              this text
`;

export interface CliConfig {
  readonly options: EmulatorOptions;
  readonly faults: Fault[];
  readonly faultRates: Array<{ probability: number; fault: Fault }>;
  readonly seed?: number;
  readonly caOut?: string;
  readonly help: boolean;
}

function num(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`${flag} expects a number >= ${min}, got '${value}'`);
  return n;
}

/**
 * Parse one fault spec: `503`, `429:5`, `reset`, `hangup`, `hangup-after-body`, `drop-answer`,
 * `latency:200`, `slow:1000`, or JSON.
 */
export function parseFaultSpec(spec: string): Fault {
  const s = spec.trim();
  if (s.startsWith('{')) return JSON.parse(s) as Fault;
  const [head, arg] = s.split(':', 2) as [string, string | undefined];
  if (/^\d{3}$/.test(head)) {
    return arg === undefined ? { status: Number(head) } : { status: Number(head), retryAfter: arg };
  }
  if (head === 'reset') return { reset: true };
  if (head === 'hangup' || head === 'hang-up') return { hangUp: 'mid-request' };
  if (head === 'hangup-after-body') return { hangUp: 'after-body' };
  if (head === 'drop-answer') return { dropAnswer: true };
  if (head === 'latency' && arg !== undefined) return { latencyMs: num('--fault latency', arg)! };
  if (head === 'slow' && arg !== undefined)
    return { slowReadBytesPerSec: num('--fault slow', arg, 1)! };
  throw new Error(
    `unknown fault spec '${spec}': use <status>[:<retryAfter>], reset, hangup, hangup-after-body, drop-answer, latency:<ms>, slow:<bytesPerSec> or JSON`,
  );
}

/** Parse one fault rate: `<p>:<fault spec>`, e.g. `0.1:503` or `0.05:429:2`. */
export function parseFaultRate(spec: string): { probability: number; fault: Fault } {
  const i = spec.indexOf(':');
  const probability = num('--fault-rate', i > 0 ? spec.slice(0, i) : undefined);
  if (probability === undefined || probability > 1)
    throw new Error(`--fault-rate expects <p>:<fault> with p in 0..1, got '${spec}'`);
  return { probability, fault: parseFaultSpec(spec.slice(i + 1)) };
}

function cloudOf(value: string): 'public' | 'usgov' | 'china' {
  if (value === 'public' || value === 'usgov' || value === 'china') return value;
  throw new Error(`--cloud expects public, usgov or china, got '${value}'`);
}

export function parseCli(argv: string[]): CliConfig {
  const { values } = parseArgs({
    // `pnpm start -- --port 1` passes the `--` through: ignore it there.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      dcr: { type: 'string', multiple: true },
      table: { type: 'string', multiple: true },
      cloud: { type: 'string' },
      'lenient-size': { type: 'boolean' },
      'data-dir': { type: 'string' },
      https: { type: 'boolean' },
      'ca-out': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'fault-rate': { type: 'string', multiple: true },
      seed: { type: 'string' },
      latency: { type: 'string' },
      'rate-limit-rpm': { type: 'string' },
      'rate-limit-bpm': { type: 'string' },
      'rate-limit-window': { type: 'string' },
      forbid: { type: 'string', multiple: true },
      'token-lifetime': { type: 'string' },
      'token-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const faultRates = (values['fault-rate'] ?? []).map(parseFaultRate);
  const rpm = num('--rate-limit-rpm', values['rate-limit-rpm'], 1);
  const bpm = num('--rate-limit-bpm', values['rate-limit-bpm'], 1);
  const windowMs = num('--rate-limit-window', values['rate-limit-window'], 100);
  const latency = num('--latency', values.latency);
  const options: EmulatorOptions = {
    port: num('--port', values.port) ?? 8042,
    host: values.host ?? '127.0.0.1',
    ...(values['allowed-host'] ? { allowedHosts: values['allowed-host'] } : {}),
    ...(values.dcr ? { dcrs: values.dcr } : {}),
    ...(values.table ? { tables: values.table } : {}),
    ...(values.cloud ? { cloud: cloudOf(values.cloud) } : {}),
    ...(values['lenient-size'] ? { lenientSize: true } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    https: values.https === true,
    rateLimits: {
      ...(rpm ? { requestsPerMinute: rpm } : {}),
      ...(bpm ? { bytesPerMinute: bpm } : {}),
      ...(windowMs ? { windowMs } : {}),
    },
    ...(values.forbid ? { forbiddenRules: values.forbid } : {}),
    tokenLifetimeSec: num('--token-lifetime', values['token-lifetime'], 1) ?? 86_400,
    ...(values['token-secret'] ? { tokenSecret: values['token-secret'] } : {}),
    ...(latency ? { latencyMs: latency } : {}),
  };
  const seed = num('--seed', values.seed);
  return {
    options,
    faults: (values.fault ?? []).map(parseFaultSpec),
    faultRates,
    ...(seed !== undefined ? { seed } : {}),
    ...(values['ca-out'] ? { caOut: values['ca-out'] } : {}),
    help: values.help === true,
  };
}
