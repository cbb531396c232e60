/** Unit and in-process workflow tests. End-to-end tests against a real n8n server live in test/e2e
 * and run only through `npm run test:e2e` (they need the n8n runtime that scripts/lib/runtime.js installs);
 * queue-mode tests in test/queue only through `npm run test:queue`. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/queue/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
};
