/** Fault tests (they stop and start the local PostgreSQL): `npm run test:fault`, one at a time, never beside other tests. */
const base = require('./jest.config.js');

module.exports = { ...base, testMatch: ['**/test/fault/**/*.fault.ts'], testPathIgnorePatterns: ['/node_modules/'] };
