// `npm run bench -- <name>`: bundles bench/<name>.ts with esbuild and runs it on Node 24 (what n8n
// 2.41 runs on), after making sure the project's dependencies and the n8n runtime are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const runtime = require('./lib/runtime.js');

const available = readdirSync(path.join(root, 'bench'))
	.filter((file) => file.endsWith('.ts') && !file.startsWith('_'))
	.map((file) => file.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
	console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
	process.exit(2);
}

runtime.ensureProjectDeps(root);
const node24 = runtime.ensureNode24();
runtime.ensureN8n();

const outDir = path.join(root, '.cache', 'bench');
mkdirSync(outDir, { recursive: true });
const bundled = path.join(outDir, `${name}.cjs`);
const esbuild = require(path.join(root, 'node_modules', 'esbuild'));
esbuild.buildSync({
	entryPoints: [path.join(root, 'bench', `${name}.ts`)],
	outfile: bundled,
	bundle: true,
	platform: 'node',
	target: 'node22',
	format: 'cjs',
	// Resolved at run time from node_modules, exactly as the tests load them.
	external: ['n8n-core', 'n8n-workflow'],
	logLevel: 'warning',
});
if (!existsSync(bundled)) process.exit(1);
const result = spawnSync(node24, ['--expose-gc', bundled, ...args], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
});
process.exit(result.status ?? 1);
