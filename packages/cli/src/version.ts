/**
 * This package's version, for `--version` and the User-Agent header. A literal, so the bundle
 * reads no file; test/public/cli.test.ts checks it against package.json.
 */
export const VERSION = '0.1.0';

/** This package's product token in the User-Agent header. */
export const PRODUCT = `azure-ingestion-cli/${VERSION}`;
