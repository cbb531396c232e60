// `npm run build`: n8n's own node build (tsc + static files), then the esbuild bundling step of gulpfile.js.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// n8n-node's spinner (@clack/prompts) animates unless CI=true: into a log or a pipe that is hundreds of
// frames, so outside a terminal it gets its CI mode (one line per step), and no colour codes.
const env = process.stdout.isTTY ? process.env : { ...process.env, CI: 'true', NO_COLOR: '1' };

for (const [cmd, args] of [
	[bin('n8n-node'), ['build']],
	[bin('gulp'), ['bundle']],
]) {
	const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
