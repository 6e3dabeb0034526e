// Where the bench scripts load the workspace's packages from: each package directory has its
// own dependencies (pnpm is strict), so a require made from there resolves what that package
// would. Build the packages first (see each script's header).
import { createRequire } from 'node:module';

const at = (dir) => createRequire(new URL(`../../${dir}/package.json`, import.meta.url));

/** require() as packages/winston sees it: winston, winston-transport, the adapter itself. */
export const winstonRequire = at('packages/winston');
/** require() as packages/pino sees it: pino, the adapter itself. */
export const pinoRequire = at('packages/pino');
/** require() as packages/core sees it: the core, @azure/monitor-ingestion, @azure/identity. */
export const coreRequire = at('packages/core');
/** require() as bench/ sees it: the emulator, the Azure SDK packages. */
export const benchRequire = at('bench');
