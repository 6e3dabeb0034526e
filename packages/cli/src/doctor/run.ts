/**
 * `azure-ingestion doctor`: the configuration the transports would read, the credential they
 * would use and the audience of its token, one probe record sent the way they send, and, with
 * a DCR file, the schema pre-flight of every column they can send. Each failure becomes one
 * sentence and one fix (explain.ts).
 */
import {
  ConfigurationError,
  type DeliveryFailure,
  IngestionClient,
  type IngestionError,
  type ResolvedConfig,
} from 'azure-ingestion-core';
import {
  formatFieldColumns,
  loadDcrFile,
  pickRule,
  type ResolvedSettings,
  resolveConfig,
  withProductToken,
} from 'azure-ingestion-core/adapter';
import { EXIT } from '../io.js';
import { PRODUCT } from '../version.js';
import { type Context, explain, type Problem } from './explain.js';
import { preflight, probeRecord } from './sample.js';
import { type TokenWatch, watchedCredential } from './token.js';

/** Options of {@link doctor}. */
export interface DoctorOptions {
  /** The DCR file for the pre-flight; without it, the configuration's `dcrFile` (if any). */
  readonly dcrFile?: string | undefined;
  /** Where the `AZURE_LOGS_INGESTION_*` variables are read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

export type CheckName = 'configuration' | 'credential' | 'probe' | 'pre-flight';
export type CheckStatus = 'ok' | 'warning' | 'failed' | 'skipped';

/** One step of the doctor, in order. */
export interface Check {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** One line: what was found. */
  readonly summary: string;
  /** What is wrong, each with its fix (empty when ok). */
  readonly problems: readonly Problem[];
}

/** What `doctor` found (the `--json` output). */
export interface DoctorReport {
  /** The probe was accepted and nothing else failed. */
  readonly ok: boolean;
  /** 0 ok, 1 a check failed, 2 the configuration is invalid. */
  readonly exitCode: number;
  readonly checks: readonly Check[];
  /** The destination, when the configuration is valid. */
  readonly destination?: {
    readonly endpoint: string;
    readonly ruleId: string;
    readonly streamName: string;
    readonly audience: string;
    readonly fieldColumns?: string;
    readonly dcrFile?: string;
  };
  /** The token's source and claims (never the token). */
  readonly token?: {
    readonly credential: string;
    readonly obtained: boolean;
    readonly audience?: string;
    readonly objectId?: string;
    readonly tenantId?: string;
    readonly appId?: string;
    readonly expiresOn?: string;
  };
  /** The probe's answer. */
  readonly probe?: {
    readonly delivered: boolean;
    readonly status?: number;
    readonly serviceCode?: string;
    readonly requestId?: string;
    readonly clientRequestId?: string;
    readonly durationMs: number;
  };
}

const skipped = (name: CheckName, summary: string): Check => ({
  name,
  status: 'skipped',
  summary,
  problems: [],
});

function configProblems(error: ConfigurationError): Problem[] {
  return error.problems.map((p) => {
    const env = p.envVar ? ` (${p.envVar})` : '';
    const got =
      p.value === undefined
        ? ''
        : ` (got ${typeof p.value === 'string' ? JSON.stringify(p.value) : (JSON.stringify(p.value) ?? String(p.value))})`;
    return {
      kind: 'config' as const,
      sentence: `${p.option}${env} ${p.problem}${got}.`,
      fix: `${p.fix.charAt(0).toUpperCase()}${p.fix.slice(1)}.`,
    };
  });
}

function destinationOf(config: ResolvedConfig): NonNullable<DoctorReport['destination']> {
  return {
    endpoint: config.endpoint,
    ruleId: config.ruleId,
    streamName: config.streamName,
    audience: config.audience,
    ...(config.fieldColumns && { fieldColumns: formatFieldColumns(config.fieldColumns) }),
    ...(config.dcrFile && { dcrFile: config.dcrFile }),
  };
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

function credentialCheck(
  watch: TokenWatch,
  config: ResolvedConfig,
  failure: Problem | undefined,
): Check {
  if (failure?.kind === 'credential') {
    return {
      name: 'credential',
      status: 'failed',
      summary: `${watch.name}: no token`,
      problems: [failure],
    };
  }
  if (!watch.obtained) return skipped('credential', `${watch.name}: no token was asked for`);
  const aud = watch.claims?.audience;
  const expires =
    watch.expiresOn === undefined ? '' : `, expires in ${minutes(watch.expiresOn - Date.now())}`;
  const summary = `${watch.name} gave a token for ${aud ?? 'an unknown audience (not a JWT)'}${expires}`;
  if (watch.expiresOn !== undefined && watch.expiresOn <= Date.now()) {
    const problem: Problem = {
      kind: 'unauthorized',
      sentence: `The token expired ${minutes(Date.now() - watch.expiresOn)} ago.`,
      fix: 'Get a fresh token (AZURE_LOGS_INGESTION_TOKEN is for short local use; in Azure, use the managed identity).',
    };
    return {
      name: 'credential',
      status: 'warning',
      summary: `${watch.name} gave an expired token`,
      problems: [problem],
    };
  }
  if (aud !== undefined && aud.replace(/\/+$/, '') !== config.audience) {
    const problem: Problem = {
      kind: 'audience',
      sentence: `The token is for ${aud}, but the Logs Ingestion API takes tokens for ${config.audience}.`,
      fix: `Ask the credential for the scope ${config.scope} (AZURE_LOGS_INGESTION_AUDIENCE=${config.audience}).`,
    };
    return { name: 'credential', status: 'warning', summary, problems: [problem] };
  }
  return { name: 'credential', status: 'ok', summary, problems: [] };
}

function probeCheck(
  failure: Problem | undefined,
  error: IngestionError | undefined,
  ms: number,
): Check {
  if (failure?.kind === 'credential') return skipped('probe', 'not sent: no token');
  if (failure === undefined) {
    return {
      name: 'probe',
      status: 'ok',
      summary: `1 record accepted (HTTP 204) in ${Math.round(ms)} ms`,
      problems: [],
    };
  }
  const answer =
    error?.status === undefined
      ? 'no answer'
      : `HTTP ${error.status}${error.serviceCode ? ` ${error.serviceCode}` : ''}`;
  return {
    name: 'probe',
    status: 'failed',
    summary: `not accepted: ${answer}`,
    problems: [failure],
  };
}

function preflightCheck(settings: ResolvedSettings): Check {
  const { config, schema } = settings;
  if (schema === undefined) {
    return skipped(
      'pre-flight',
      'no DCR file: give --dcr FILE (az monitor data-collection rule show -g <rg> -n <dcr> > dcr.json) to check the columns',
    );
  }
  const findings = preflight(config, schema);
  if (findings.length === 0) {
    return {
      name: 'pre-flight',
      status: 'ok',
      summary: `every column the transports send is declared, with a matching type, in ${schema.stream} of ${schema.file}`,
      problems: [],
    };
  }
  const problems = findings.map((f): Problem => {
    const [sentence = f.message, fix = ''] = f.message.split('. Fix: ');
    return {
      kind: f.kind === 'undeclared' ? 'undeclared-column' : 'wrong-type',
      sentence: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`,
      fix: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`,
    };
  });
  const n = findings.length;
  return {
    name: 'pre-flight',
    status: 'failed',
    summary: `${n} column${n === 1 ? '' : 's'} would be dropped or nulled by the service`,
    problems,
  };
}

/** The DCR file's rule (read once already by the configuration: it can be read). */
function ruleOf(config: ResolvedConfig) {
  try {
    return pickRule(loadDcrFile(config.dcrFile!), config.ruleId, config.streamName);
  } catch {
    return undefined;
  }
}

/** Sends the probe; resolves with what happened. */
async function sendProbe(settings: ResolvedSettings, options: DoctorOptions) {
  const env = options.env ?? process.env;
  const { credential, watch } = watchedCredential(settings);
  const failures: DeliveryFailure[] = [];
  const client = new IngestionClient(
    withProductToken(
      {
        ...(credential && { credential }),
        ...(options.dcrFile !== undefined && { dcrFile: options.dcrFile }),
        // One attempt: doctor explains the first answer instead of retrying for 10 minutes.
        maxRetryTimeMs: 0,
        warnings: false,
        onError: (f) => failures.push(f),
      },
      PRODUCT,
      env,
    ),
    env,
  );
  const started = performance.now();
  client.push(probeRecord());
  const stats = await client.flush();
  const ms = performance.now() - started;
  await client.close();
  return { watch, delivered: stats.delivered === 1, error: failures[0]?.error, ms };
}

/**
 * Checks the configuration and the way to Azure as the transports would go it, and explains
 * each failure with its fix. Sends one record (a probe) to the configured stream. Never throws.
 */
export async function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  let settings: ResolvedSettings;
  try {
    settings = resolveConfig(
      options.dcrFile === undefined ? {} : { dcrFile: options.dcrFile },
      env,
    );
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const problems = configProblems(error);
    const n = problems.length;
    return {
      ok: false,
      exitCode: EXIT.USAGE,
      checks: [
        {
          name: 'configuration',
          status: 'failed',
          summary: `${n} problem${n === 1 ? '' : 's'} in the options and AZURE_LOGS_INGESTION_* variables`,
          problems,
        },
        skipped('credential', 'not asked: the configuration is invalid'),
        skipped('probe', 'not sent: the configuration is invalid'),
        skipped('pre-flight', 'not run: the configuration is invalid'),
      ],
    };
  }
  const { config } = settings;
  const sent = await sendProbe(settings, options);
  const rule = config.dcrFile ? ruleOf(config) : undefined;
  const ctx: Context = {
    config,
    watch: sent.watch,
    ...(rule && { declaredStreams: [...rule.streams.keys()] }),
    ...(rule?.logsIngestion && { dcrEndpoint: rule.logsIngestion }),
  };
  const failure = sent.error === undefined ? undefined : explain(sent.error, ctx);
  const checks: Check[] = [
    {
      name: 'configuration',
      status: 'ok',
      summary: `${config.endpoint} → ${config.ruleId} / ${config.streamName}`,
      problems: [],
    },
    credentialCheck(sent.watch, config, failure),
    probeCheck(failure, sent.error, sent.ms),
    preflightCheck(settings),
  ];
  const ok = sent.delivered && checks.every((c) => c.status !== 'failed');
  const claims = sent.watch.claims;
  return {
    ok,
    exitCode: ok ? EXIT.OK : EXIT.FAILED,
    checks,
    destination: destinationOf(config),
    token: {
      credential: sent.watch.name,
      obtained: sent.watch.obtained,
      ...(claims?.audience && { audience: claims.audience }),
      ...(claims?.objectId && { objectId: claims.objectId }),
      ...(claims?.tenantId && { tenantId: claims.tenantId }),
      ...(claims?.appId && { appId: claims.appId }),
      ...(sent.watch.expiresOn !== undefined && {
        expiresOn: new Date(sent.watch.expiresOn).toISOString(),
      }),
    },
    probe: {
      delivered: sent.delivered,
      ...(sent.error?.status !== undefined && { status: sent.error.status }),
      ...(sent.delivered && { status: 204 }),
      ...(sent.error?.serviceCode && { serviceCode: sent.error.serviceCode }),
      ...(sent.error?.requestId && { requestId: sent.error.requestId }),
      ...(sent.error?.clientRequestId && { clientRequestId: sent.error.clientRequestId }),
      durationMs: Math.round(sent.ms),
    },
  };
}
