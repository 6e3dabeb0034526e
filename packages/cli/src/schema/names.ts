/**
 * Column names for fields, valid for Log Analytics: `user.id` → `UserId`, `x-request-id` →
 * `XRequestId`; 2–45 letters, digits or `_`, a letter first; a reserved name (`TenantId`,
 * `Type`, `id`, …) or a default column's name gets `Field` appended; a name already taken (in
 * any case) gets a number.
 */
import { columnNameIssue, DEFAULT_COLUMNS } from 'azure-ingestion-core/adapter';

const MAX = 45;

/** `responseTime` → `ResponseTime`, `x-request-id` → `XRequestId`. */
function pascal(key: string): string {
  return key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function free(name: string, taken: ReadonlySet<string>): boolean {
  return !taken.has(name.toLowerCase()) && columnNameIssue(name) === undefined;
}

const clip = (name: string, room = 0) => name.slice(0, MAX - room);

/**
 * A valid column name for the field at `path`, not in `taken` (lower-case names); the name is
 * added to `taken`.
 */
export function columnName(path: readonly string[], taken: Set<string>): string {
  let name = path.map(pascal).join('');
  if (!/^[A-Za-z]/.test(name)) name = `F${name}`;
  name = clip(name);
  const defaults: readonly string[] = DEFAULT_COLUMNS;
  if (name.length < 2 || columnNameIssue(name) !== undefined || defaults.includes(name)) {
    name = `${clip(name, 5)}Field`;
  }
  let candidate = name;
  for (let n = 2; !free(candidate, taken); n++) candidate = `${clip(name, String(n).length)}${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
