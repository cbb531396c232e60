// `npm test` runs the unit and in-process workflow tests, `npm run test:e2e` (--e2e) the tests against a
// real n8n server, `npm run test:queue` (--queue) those against n8n in queue mode. All run jest on Node 24,
// the Node n8n 2.41 needs; any other arguments go to jest.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const runtime = require('./lib/runtime.js');

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MODES = { '--e2e': 'jest.e2e.config.js', '--queue': 'jest.queue.config.js' };
const mode = process.argv.slice(2).find((arg) => arg in MODES);
const jestArgs = process.argv.slice(2).filter((arg) => !(arg in MODES));

runtime.ensureProjectDeps(root);
runtime.ensureNode24();
// The workflow tests load n8n's built-in nodes from this install and the e2e tests run it; installing
// here keeps the first run's minutes out of jest's timeouts.
runtime.ensureN8n();
// The e2e tests pack dist/; a broken build should fail here, before any test runs.
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const modeArgs = mode ? ['-c', MODES[mode], '--runInBand'] : [];
const result = runtime.runWithNode24([jest, '--ci', ...modeArgs, ...jestArgs], {
	cwd: root,
	// tells the e2e tests dist/ is fresh, so they pack it without building again
	env: { ...process.env, REVOPS_DIST_BUILT: '1' },
});
process.exit(result.status ?? 1);
