import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// .cache/ holds generated files (the bench bundles of scripts/bench.mjs), not sources.
export default [{ ignores: ['.cache/**'] }, ...configWithoutCloudSupport];
