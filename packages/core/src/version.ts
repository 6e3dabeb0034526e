/**
 * The package version, put in the User-Agent header. Kept as a literal (not read from
 * package.json at run time) so the bundle needs no file access; test/adapter-rules.test.ts
 * checks the header against package.json's version.
 */
export const VERSION = '0.1.0';

/** The User-Agent value: the caller's product tokens first, then ours and the runtime's. */
export function userAgent(prefix: string | undefined): string {
  const own = `azure-ingestion-core/${VERSION} Node.js/${process.versions.node} (${process.platform})`;
  return prefix ? `${prefix} ${own}` : own;
}
