/**
 * Bundling step run after `n8n-node build` (tsc + icons). n8n installs community packages
 * without their dependencies' freedom to differ from the host, and this pack keeps
 * `dependencies` empty, so every pure-JS library a node needs (zod, libphonenumber-js, pg, ...)
 * is inlined into that node's single output file. Only what the n8n host provides at run time
 * stays external.
 */
const { build } = require('esbuild');
const { readdirSync, rmSync, statSync } = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, 'dist');
/** Provided by the n8n process that loads the node (peer dependency / Node built-ins). */
const HOST_PROVIDED = ['n8n-workflow', 'n8n-core'];

function filesUnder(dir) {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? filesUnder(full) : [full];
	});
}

function isEntryPoint(file) {
	return /\.(node|credentials)\.js$/.test(file);
}

async function bundle() {
	const compiled = filesUnder(DIST).filter((file) => file.endsWith('.js'));
	const entryPoints = compiled.filter(isEntryPoint);
	await build({
		entryPoints,
		outdir: DIST,
		outbase: DIST,
		allowOverwrite: true,
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		external: HOST_PROVIDED,
		// A community node must not write to n8n's console; tests exercise the real paths instead.
		drop: ['console', 'debugger'],
		legalComments: 'eof',
		logLevel: 'warning',
	});
	// Everything else tsc emitted is now inlined into the entry points: ship only those.
	for (const file of compiled) if (!isEntryPoint(file)) rmSync(file);
	rmSync(path.join(DIST, 'lib'), { recursive: true, force: true });
	rmSync(path.join(DIST, 'package.json'), { force: true });
}

exports.bundle = bundle;
exports.default = bundle;
