'use strict';
/**
 * Installs, into a cache folder, the runtime the scripts need: Node 24 (n8n 2.41 requires it, the
 * machines and CI have Node 20) and n8n 2.41.1 itself. Every step writes a marker file when it has
 * finished, so an interrupted install is redone from scratch on the next run instead of being trusted.
 * Recipe and reasons: /work/shared/notes/n8n-runtime.md.
 *
 * Plain CommonJS so that the .mjs scripts (on Node 20) and the jest tests (on Node 24) can both load it.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NODE_MAJOR = 24;
// 2.41.3 does not install: its @n8n/agents@0.26.2 is missing from the registry.
const N8N_VERSION = '2.41.1';
// linkedom >= 0.18.13 depends on cssomnom, which the registry does not have.
const LINKEDOM_VERSION = '0.18.12';

/** @returns {string} absolute path of the cache folder (env REVOPS_CACHE, else ~/.cache/n8n-nodes-revops) */
function cacheDir() {
	return path.resolve(process.env.REVOPS_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-revops'));
}

// npm's output goes to log files; no spinner frames or audit/fund notices in them either.
const QUIET_NPM = ['--no-audit', '--no-fund', '--no-progress'];

/** @param {string} message */
function progress(message) {
	process.stderr.write(`[revops] ${message}\n`);
}

/** @param {string} file @param {number} lineCount */
function tailOf(file, lineCount) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lineCount).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Runs a command to completion with its output going to logFile, and throws with the end of that log
 * when it fails: install output is thousands of lines nobody wants to see unless something broke.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, logFile: string, env?: NodeJS.ProcessEnv }} options
 */
function runLogged(command, args, { cwd, logFile, env }) {
	const logFd = fs.openSync(logFile, 'w');
	try {
		const result = spawnSync(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', logFd, logFd] });
		if (result.error) throw result.error;
		if (result.status !== 0) {
			throw new Error(
				`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) in ${cwd}; ` +
					`end of ${logFile}:\n${tailOf(logFile, 40)}`,
			);
		}
	} finally {
		fs.closeSync(logFd);
	}
}

/** @param {number} milliseconds */
function sleepSync(milliseconds) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** @param {number} pid */
function isRunning(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * Runs `action` while holding a lock on the cache folder: the scripts, benchmarks and tests may all
 * start at once on a fresh cache, and two installs or node-gyp builds in one folder break each other.
 * A lock whose holder has died (a killed run) is taken over.
 * @template T
 * @param {() => T} action
 * @returns {T}
 */
function withCacheLock(action) {
	const lockDir = path.join(cacheDir(), '.install-lock');
	const holderFile = path.join(lockDir, 'pid');
	fs.mkdirSync(cacheDir(), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		let holder = 0;
		try {
			holder = Number(fs.readFileSync(holderFile, 'utf8'));
		} catch {
			// the holder has not written its pid yet (or died right before): stale only after a minute
			const lockedAt = fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
			if (Date.now() - lockedAt > 60_000) holder = -1;
		}
		if (holder === -1 || (holder > 0 && !isRunning(holder))) {
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!announced) progress(`waiting for another install into ${cacheDir()} (pid ${holder || '?'}) to finish`);
		announced = true;
		sleepSync(2000);
	}
	try {
		fs.writeFileSync(holderFile, String(process.pid));
		return action();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/**
 * Runs `step` unless its marker file exists; a missing marker means the step never finished, so
 * `resetDir` (when given) is emptied first rather than trusting whatever a killed run left behind.
 * @param {{ marker: string, resetDir?: string, description: string, step: () => void }} options
 */
function runStepOnce({ marker, resetDir, description, step }) {
	if (fs.existsSync(marker)) return;
	withCacheLock(() => {
		// another process may have done the step while this one waited for the lock
		if (fs.existsSync(marker)) return;
		progress(description);
		const startedAt = Date.now();
		if (resetDir) fs.rmSync(resetDir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(marker), { recursive: true });
		step();
		fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
		progress(`done in ${Math.round((Date.now() - startedAt) / 1000)} s`);
	});
}

function node24Paths() {
	const prefix = path.join(cacheDir(), 'node24');
	return {
		prefix,
		bin: path.join(prefix, 'bin', 'node'),
		// The registry package `node` carries the official build, headers included (for node-gyp).
		headers: path.join(
			prefix,
			'lib',
			'node_modules',
			'node',
			'node_modules',
			`node-${process.platform}-${process.arch}`,
		),
		marker: path.join(prefix, `.revops-installed-node@${NODE_MAJOR}`),
	};
}

/** @returns {string} absolute path of a Node 24 binary, installed from the npm registry on first use */
function ensureNode24() {
	const node24 = node24Paths();
	runStepOnce({
		marker: node24.marker,
		resetDir: node24.prefix,
		description: `installing Node ${NODE_MAJOR} into ${node24.prefix} (first run only, under a minute)`,
		step: () => {
			fs.mkdirSync(node24.prefix, { recursive: true });
			// The package fetches the platform binary in a preinstall script; a project .npmrc up the
			// tree may switch scripts off, so switch them back on for this one install.
			runLogged('npm', ['install', '--prefix', node24.prefix, '-g', '--ignore-scripts=false', ...QUIET_NPM, `node@${NODE_MAJOR}`], {
				cwd: node24.prefix,
				logFile: path.join(cacheDir(), 'node24-install.log'),
			});
			const version = spawnSync(node24.bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
			if (!version.startsWith(`v${NODE_MAJOR}.`)) {
				throw new Error(`${node24.bin} reports "${version}" after install, expected v${NODE_MAJOR}.x`);
			}
		},
	});
	return node24.bin;
}

/** @returns {{ n8nBin: string, nodeModules: string }} n8n's CLI script (run it with Node 24) and its node_modules */
function ensureN8n() {
	const node24 = node24Paths();
	ensureNode24();
	const installDir = path.join(cacheDir(), 'n8n');
	const nodeModules = path.join(installDir, 'node_modules');
	const installedMarker = path.join(installDir, `.revops-installed-n8n@${N8N_VERSION}`);
	const sqliteMarker = path.join(installDir, `.revops-sqlite3-built-node${NODE_MAJOR}`);
	runStepOnce({
		marker: installedMarker,
		resetDir: installDir,
		description: `installing n8n ${N8N_VERSION} into ${installDir} (first run only, about 5 minutes, 2.8 GB)`,
		step: () => {
			fs.mkdirSync(installDir, { recursive: true });
			const manifest = {
				name: 'n8n-runtime',
				private: true,
				dependencies: { n8n: N8N_VERSION },
				overrides: { linkedom: LINKEDOM_VERSION },
			};
			fs.writeFileSync(path.join(installDir, 'package.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
			// Install scripts off: @confluentinc/kafka-javascript tries to build librdkafka and fails;
			// the one native module n8n needs (sqlite3) is built in the next step.
			runLogged('npm', ['install', '--ignore-scripts', ...QUIET_NPM], {
				cwd: installDir,
				logFile: path.join(cacheDir(), 'n8n-install.log'),
			});
		},
	});
	runStepOnce({
		marker: sqliteMarker,
		description: `building sqlite3 for Node ${NODE_MAJOR} (first run only, about 1.5 minutes)`,
		step: () => {
			// The user npmrc may set nodedir (to Node 20's headers); npm exports it as npm_config_nodedir,
			// which node-gyp prefers over --nodedir, so override it in the environment as well.
			const env = {
				...process.env,
				PATH: `${path.dirname(node24.bin)}${path.delimiter}${process.env.PATH}`,
				npm_config_nodedir: node24.headers,
			};
			runLogged('npx', ['--yes', '--no-progress', 'node-gyp', 'rebuild', `--nodedir=${node24.headers}`], {
				cwd: path.join(nodeModules, 'sqlite3'),
				logFile: path.join(cacheDir(), 'sqlite3-build.log'),
				env,
			});
		},
	});
	return { n8nBin: path.join(nodeModules, 'n8n', 'bin', 'n8n'), nodeModules };
}

/**
 * Installs the project's dependencies when node_modules is missing or older than package-lock.json
 * (npm writes node_modules/.package-lock.json at the end of every successful install).
 * @param {string} root project folder
 */
function ensureProjectDeps(root) {
	const lockFile = path.join(root, 'package-lock.json');
	const installedLock = path.join(root, 'node_modules', '.package-lock.json');
	const isCurrent = fs.existsSync(installedLock) && fs.statSync(installedLock).mtimeMs >= fs.statSync(lockFile).mtimeMs;
	if (isCurrent) return;
	const logFile = path.join(cacheDir(), 'npm-ci.log');
	progress(`installing the project's dependencies (npm ci) in ${root}, about two minutes; log: ${logFile}`);
	fs.mkdirSync(cacheDir(), { recursive: true });
	try {
		runLogged('npm', ['ci', ...QUIET_NPM], { cwd: root, logFile });
	} catch (error) {
		// A lock file out of step with package.json (edited by hand, an older checkout) makes npm ci refuse;
		// `install --no-save` installs what package.json asks for without rewriting the lock file.
		progress(`npm ci refused the lock file (${String(error.message).split('\n').find((line) => /Missing|Invalid/.test(line))?.trim() ?? `see ${logFile}`}); trying npm install --no-save`);
		runLogged('npm', ['install', '--no-save', ...QUIET_NPM], { cwd: root, logFile: path.join(cacheDir(), 'npm-install.log') });
	}
}

/**
 * Runs Node 24 synchronously (output inherited unless opts.stdio says otherwise).
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [opts]
 * @returns {import('node:child_process').SpawnSyncReturns<string | Buffer>}
 */
function runWithNode24(args, opts = {}) {
	const result = spawnSync(ensureNode24(), args, { stdio: 'inherit', ...opts });
	if (result.error) throw result.error;
	return result;
}

module.exports = {
	N8N_VERSION,
	cacheDir,
	progress,
	ensureNode24,
	ensureN8n,
	ensureProjectDeps,
	runWithNode24,
};
