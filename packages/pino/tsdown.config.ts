import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.shared.ts';

// Shims: the CommonJS build gets `import.meta.url` (checked-transport.ts loads pino relative to
// this package's own file, in both builds).
export default defineConfig(packageBuild({ cli: true }).map((c) => ({ ...c, shims: true })));
