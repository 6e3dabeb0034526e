/**
 * This package's version, for the User-Agent header. A literal, so the bundle reads no file;
 * test/adapter-rules.test.ts checks the header against package.json's version.
 */
export const VERSION = '0.1.0';
