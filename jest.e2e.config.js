/** End-to-end tests: a real n8n 2.41.1 server with the packed pack installed as a community package.
 * Run them with `npm run test:e2e`, which installs the runtime and builds first. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	// Packing, installing and starting n8n (database migrations on a fresh user folder) takes a minute or two.
	testTimeout: 300_000,
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
		// mockttp (the CRM stand-in) needs these ESM-only packages; jest loads modules as CommonJS.
		'/node_modules/(get-port|milliparsec)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
	},
	transformIgnorePatterns: ['/node_modules/(?!(get-port|milliparsec)/)'],
};
