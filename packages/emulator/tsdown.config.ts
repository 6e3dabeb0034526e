import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.shared.ts';

// The web console's static files (src/ui) go to dist/ui, beside the bundles: ui-files.ts reads
// them relative to its own module, which the shims make work in the CommonJS build too.
const [library, cli] = packageBuild({ cli: true });
export default defineConfig([
  { ...library, shims: true, copy: [{ from: 'src/ui/*', to: 'dist/ui' }] },
  cli!,
]);
