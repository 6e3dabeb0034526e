import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.shared.ts';

export default defineConfig(packageBuild({ entries: ['src/index.ts', 'src/adapter.ts'] }));
