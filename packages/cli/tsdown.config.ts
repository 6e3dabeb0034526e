import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.shared.ts';

// The library entry (doctor, schema proposals) as ESM + CommonJS, and the `azure-ingestion` bin.
export default defineConfig(packageBuild({ cli: true }));
