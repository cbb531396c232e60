/** Queue-mode tests: n8n 2.41.1 as main + webhook processor + workers on PostgreSQL and Redis, the packed
 * pack installed in each. Run them with `npm run test:queue`, which installs the runtime and builds first. */
const e2e = require('./jest.e2e.config.js');

module.exports = {
	...e2e,
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.test.ts'],
	// Four n8n processes start (and migrate a fresh database) on a shared 2-core machine: minutes, not seconds.
	testTimeout: 600_000,
};
