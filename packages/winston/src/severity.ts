import { type LevelSet, severityNumber } from 'azure-ingestion-core/adapter';

/**
 * Infers the level set from the logger's levels: winston's syslog and cli configs are recognised
 * by labels only they have; anything else (npm or custom) maps as npm.
 */
export function inferLevelSet(levels: Readonly<Record<string, number>> | undefined): LevelSet {
  if (!levels) return 'npm';
  if ('emerg' in levels && 'crit' in levels) return 'syslog';
  if ('prompt' in levels && 'input' in levels) return 'cli';
  return 'npm';
}

/**
 * Severity numbers by label, memoised: a logger has a handful of labels, so the lookup on the
 * hot path is one Map get. Rebuilt when the level set changes (the transport joined a logger).
 */
export class SeverityTable {
  readonly #custom: Readonly<Record<string, number>> | undefined;
  readonly #fixedSet: LevelSet | undefined;
  #set: LevelSet = 'npm';
  #levels: object | undefined;
  readonly #cache = new Map<string, number>();
  #lastLabel: string | undefined;
  #lastSeverity = 0;

  constructor(custom: Readonly<Record<string, number>> | undefined, set: LevelSet | undefined) {
    this.#custom = custom;
    this.#fixedSet = set;
    if (set) this.#set = set;
  }

  /** The severity of `label` for a logger whose levels are `levels`. */
  lookup(label: string, levels: Readonly<Record<string, number>> | undefined): number {
    if (levels !== this.#levels) this.#rebase(levels);
    // Logs come in runs of one level: the last answer first, then the Map.
    if (label === this.#lastLabel) return this.#lastSeverity;
    let n = this.#cache.get(label);
    if (n === undefined) {
      n = severityNumber(label, this.#custom, this.#set);
      this.#cache.set(label, n);
    }
    this.#lastLabel = label;
    this.#lastSeverity = n;
    return n;
  }

  #rebase(levels: Readonly<Record<string, number>> | undefined): void {
    this.#levels = levels;
    const set = this.#fixedSet ?? inferLevelSet(levels);
    if (set !== this.#set) {
      this.#set = set;
      this.#cache.clear();
      this.#lastLabel = undefined;
    }
  }
}
