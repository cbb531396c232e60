// `npm run lint`: n8n's own `n8n-node lint` (self-hosted rule set), failing on warnings too,
// since n8n-node exits 0 when eslint reports only warnings.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const result = spawnSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['lint', ...process.argv.slice(2)], {
	cwd: root,
	encoding: 'utf8',
	env: { ...process.env, FORCE_COLOR: '0' },
});
process.stdout.write(result.stdout ?? '');
process.stderr.write(result.stderr ?? '');
const reportedProblems = /\d+ problems? \(\d+ errors?, \d+ warnings?\)/.test(`${result.stdout}${result.stderr}`);
if (result.status !== 0 || reportedProblems) {
	console.error('lint: eslint reported problems; zero errors and zero warnings are required');
	process.exit(result.status || 1);
}
console.log('lint: 0 errors, 0 warnings');
