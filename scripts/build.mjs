// `npm run build`: n8n's own node build (tsc + static files), then the esbuild bundling step of gulpfile.js.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

for (const [cmd, args] of [
	[bin('n8n-node'), ['build']],
	[bin('gulp'), ['bundle']],
]) {
	const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
