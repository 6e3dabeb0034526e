/**
 * Logger level labels → OpenTelemetry SeverityNumber (TRACE 1-4, DEBUG 5-8, INFO 9-12,
 * WARN 13-16, ERROR 17-20, FATAL 21-24), so one KQL filter (`SeverityNumber >= 13`) works for
 * winston and pino alike.
 */

export type LevelSet = 'npm' | 'syslog' | 'cli' | 'pino';

/**
 * The level sets of winston (`npm`, `syslog`, `cli`) and pino. Levels between two OTel ranges
 * take the nearest sensible slot: npm `http` is INFO2 (10), `verbose` is DEBUG2 (6), `silly` is
 * TRACE (1); syslog `notice` is INFO2 (10), `crit`/`alert`/`emerg` climb FATAL 22-24; in `cli`,
 * `help`, `data`, `prompt` and `input` are interactive output, so INFO (9).
 */
export const LEVEL_SETS: Readonly<Record<LevelSet, Readonly<Record<string, number>>>> =
  Object.freeze({
    npm: Object.freeze({ error: 17, warn: 13, info: 9, http: 10, verbose: 6, debug: 5, silly: 1 }),
    syslog: Object.freeze({
      emerg: 24,
      alert: 23,
      crit: 22,
      error: 17,
      warning: 13,
      notice: 10,
      info: 9,
      debug: 5,
    }),
    cli: Object.freeze({
      error: 17,
      warn: 13,
      help: 9,
      data: 9,
      info: 9,
      debug: 5,
      prompt: 9,
      verbose: 6,
      input: 9,
      silly: 1,
    }),
    pino: Object.freeze({ trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 }),
  });

/** Every label of every set (first set wins on a clash; the sets agree on shared labels). */
const ANY: ReadonlyMap<string, number> = new Map(
  (['pino', 'npm', 'syslog', 'cli'] as const)
    .flatMap((s) => Object.entries(LEVEL_SETS[s]))
    .reverse(),
);

const HEURISTICS: readonly [RegExp, number][] = [
  [/fatal|crit|emerg|panic/, 21],
  [/alert/, 23],
  [/err|fail|severe/, 17],
  [/warn/, 13],
  [/notice/, 10],
  [/debug|verbose/, 5],
  [/trac|silly|fine/, 1],
];

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts an ANSI colour code
const ANSI = /\u001b\[[0-9;]*m/g;

/** The label without ANSI colour codes (winston's colorize() puts them into info.level). */
export function stripAnsi(s: string): string {
  return s.includes('\u001b') ? s.replace(ANSI, '') : s;
}

function fromHeuristics(label: string): number {
  for (const [re, n] of HEURISTICS) if (re.test(label)) return n;
  return 9;
}

function own(map: Readonly<Record<string, number>> | undefined, key: string): number | undefined {
  if (map === undefined || !Object.hasOwn(map, key)) return undefined;
  const n = map[key];
  return typeof n === 'number' && n >= 1 && n <= 24 ? n : undefined;
}

/**
 * The SeverityNumber of a level label: the `custom` map first, then the given set, then any known
 * label of any set, then name heuristics (fatal/crit/emerg → 21, err → 17, warn → 13,
 * debug → 5, trace → 1); 9 (INFO) otherwise. Case and ANSI colour codes are ignored.
 */
export function severityNumber(
  level: string,
  custom?: Readonly<Record<string, number>>,
  set?: LevelSet,
): number {
  const hit = own(custom, level) ?? (set === undefined ? undefined : own(LEVEL_SETS[set], level));
  if (hit !== undefined) return hit;
  const label = stripAnsi(String(level)).trim().toLowerCase();
  if (label !== level) {
    const again =
      own(custom, label) ?? (set === undefined ? undefined : own(LEVEL_SETS[set], label));
    if (again !== undefined) return again;
  }
  return ANY.get(label) ?? fromHeuristics(label);
}
