/**
 * Reading options: explicit value first, then the environment variable, and collecting every
 * problem (instead of throwing at the first) so one ConfigurationError can list them all.
 */
import type { ConfigProblem } from '../errors.js';
import { type Issue, redactUrl } from './destination.js';
import {
  ENV_VARS,
  type EnvOptionKey,
  INTEGER_OPTIONS,
  type IntegerOption,
  OPTIONAL_INTEGER_OPTIONS,
  type OptionalIntegerOption,
  parseBoolean,
  parseInteger,
} from './option-table.js';

export type Source = 'option' | 'env';

/** A value as given, and where it came from. */
export interface Raw {
  readonly value: unknown;
  readonly source: Source;
}

/** Values never shown in messages. */
const SECRET_KEYS = new Set<string>(['token']);
const URL_KEYS = new Set<string>(['url', 'endpoint']);

export class Reader {
  readonly problems: ConfigProblem[] = [];
  readonly options: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;

  constructor(
    options: Readonly<Record<string, unknown>>,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.options = options;
    this.env = env;
  }

  /** The value at one level; empty or blank environment values count as unset. */
  at(source: Source, key: EnvOptionKey): Raw | undefined {
    if (source === 'option') {
      const v = this.options[key];
      return v === undefined ? undefined : { value: v, source };
    }
    const v = this.env[ENV_VARS[key]];
    return v === undefined || v.trim() === '' ? undefined : { value: v, source };
  }

  /** Explicit option first, then the environment variable. */
  raw(key: EnvOptionKey): Raw | undefined {
    return this.at('option', key) ?? this.at('env', key);
  }

  /** Records a problem with `key`; the value is redacted when it is (or may carry) a secret. */
  report(key: string, raw: Raw | undefined, issue: Issue): void {
    const envVar = (ENV_VARS as Record<string, string | undefined>)[key];
    const p: { -readonly [K in keyof ConfigProblem]: ConfigProblem[K] } = {
      option: key,
      problem: issue.problem,
      fix: issue.fix,
    };
    if (envVar !== undefined) p.envVar = envVar;
    if (raw !== undefined) {
      p.source = raw.source;
      p.value = shown(key, raw.value);
    }
    this.problems.push(p);
  }

  /** A string option (trimmed), or undefined when unset or not a string (reported). */
  string(key: EnvOptionKey, raw: Raw | undefined): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw.value !== 'string' || raw.value.trim() === '') {
      this.report(key, raw, { problem: 'must be a non-empty string', fix: `set ${key} to text` });
      return undefined;
    }
    return raw.value.trim();
  }

  /** A whole number within the option's range, else its default (and a problem). */
  integer(key: IntegerOption): number {
    const [min, max, dflt] = INTEGER_OPTIONS[key];
    const raw = this.raw(key);
    if (raw === undefined) return dflt;
    const n = parseInteger(raw.value);
    const fix = `use a whole number from ${min} to ${max} (default ${dflt})`;
    if (n === undefined) {
      this.report(key, raw, { problem: 'is not a whole number', fix });
      return dflt;
    }
    if (n < min || n > max) {
      this.report(key, raw, { problem: `is out of range ${min} … ${max}`, fix });
      return dflt;
    }
    return n;
  }

  /** A whole number within the option's range, or undefined when unset (no default). */
  optionalInteger(key: OptionalIntegerOption): number | undefined {
    const [min, max] = OPTIONAL_INTEGER_OPTIONS[key];
    const raw = this.raw(key);
    if (raw === undefined) return undefined;
    const n = parseInteger(raw.value);
    const fix = `use a whole number from ${min} to ${max}, or leave it unset (no limit)`;
    if (n === undefined || n < min || n > max) {
      const problem = n === undefined ? 'is not a whole number' : `is out of range ${min} … ${max}`;
      this.report(key, raw, { problem, fix });
      return undefined;
    }
    return n;
  }

  /** A boolean (`true/false/1/0/yes/no/on/off` from the environment). */
  boolean(key: EnvOptionKey, dflt: boolean): boolean {
    const raw = this.raw(key);
    if (raw === undefined) return dflt;
    const b = parseBoolean(raw.value);
    if (b === undefined) {
      this.report(key, raw, { problem: 'is not a boolean', fix: 'use true or false' });
      return dflt;
    }
    return b;
  }

  /** One of a fixed list of strings. */
  choice<T extends string>(key: EnvOptionKey, allowed: readonly T[], dflt: T): T {
    const raw = this.raw(key);
    if (raw === undefined) return dflt;
    const v = typeof raw.value === 'string' ? raw.value.trim().toLowerCase() : raw.value;
    if ((allowed as readonly unknown[]).includes(v)) return v as T;
    this.report(key, raw, {
      problem: `is not one of ${allowed.join(', ')}`,
      fix: `use ${allowed.map((a) => `'${a}'`).join(' or ')}`,
    });
    return dflt;
  }

  /** An optional callback option (never from the environment). */
  callback<F>(key: 'warn' | 'onError'): F | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v === 'function') return v as F;
    this.report(
      key,
      { value: typeof v, source: 'option' },
      {
        problem: 'must be a function',
        fix: `pass a function, or leave ${key} unset`,
      },
    );
    return undefined;
  }
}

/** What a message may show of a value. */
function shown(key: string, value: unknown): unknown {
  if (SECRET_KEYS.has(key)) return '<redacted>';
  if (URL_KEYS.has(key) && typeof value === 'string') return redactUrl(value);
  if (URL_KEYS.has(key) && Array.isArray(value)) {
    return value.map((v: unknown) => (typeof v === 'string' ? redactUrl(v) : v));
  }
  return value;
}
