'use strict';
/**
 * Starts a real n8n 2.41.1 (Node 24, from the runtime cache) with this pack installed the way the
 * Community Nodes settings page installs it, workflows and credentials imported and published through
 * the n8n CLI, and the owner account set up. Used by `npm start` and by the end-to-end tests.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { ensureN8n, ensureNode24 } = require('./runtime.js');

// Printed by `n8n start` once it serves requests; 2.41 activates published workflows after that.
const READY_LINE = 'Editor is now accessible';
const DEFAULT_OWNER = {
	email: 'admin@revops.local',
	password: 'RevOps-demo-1',
	firstName: 'RevOps',
	lastName: 'Admin',
};
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;
const PUBLICATION_TIMEOUT_MS = 60_000;
const LOG_LINES_KEPT = 500;
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
/** Where n8n 2.x lets workflows read and write files, below its home (see N8N_RESTRICT_FILE_ACCESS_TO). */
const N8N_FILES_FOLDER = '.n8n-files';

/**
 * Checks a port on 127.0.0.1 is free by listening on it for a moment; port 0 picks any free one.
 * @param {number} port
 * @returns {Promise<number>} the port
 */
function probePort(port) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', (/** @type {NodeJS.ErrnoException} */ error) =>
			reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is already in use`) : error),
		);
		server.listen(port, '127.0.0.1', () => {
			const { port: boundPort } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(boundPort));
		});
	});
}

/** @returns {Promise<number>} a TCP port nothing listens on right now */
const freePort = () => probePort(0);

/**
 * The first free port of `count` from `first` on, or undefined when all are taken.
 * @param {number} first
 * @param {number} count
 * @returns {Promise<number | undefined>}
 */
async function firstFreePort(first, count) {
	for (let port = first; port < first + count; port++) {
		try {
			return await probePort(port);
		} catch (error) {
			// probePort reports a busy port without an error code; anything else (EACCES) is a real problem.
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== undefined) throw error;
		}
	}
	return undefined;
}

/**
 * Mirrors CommunityPackagesService.downloadPackage of n8n 2.41.1: unpack the tarball into
 * .n8n/nodes/node_modules/<name>, strip dev, peer and optional dependencies from its package.json,
 * `npm install` what is left without scripts, and record the version in .n8n/nodes/package.json.
 * The old copy is removed first so a rebuilt tarball of the same version replaces it.
 * @param {string} userFolder
 * @param {string} tarball
 * @returns {string} the package name
 */
function installCommunityPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const readManifest = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
	if (readManifest.status !== 0) throw new Error(`cannot read package.json from ${tarball}: ${readManifest.stderr}`);
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(readManifest.stdout);

	const packageDir = path.join(nodesDir, 'node_modules', manifest.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	const unpack = spawnSync('tar', ['-xzf', path.resolve(tarball), '-C', packageDir, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (unpack.status !== 0) throw new Error(`cannot unpack ${tarball}: ${unpack.stderr}`);
	fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(manifest, null, 2));
	const install = spawnSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir, encoding: 'utf8' },
	);
	if (install.status !== 0) {
		throw new Error(`npm install of ${manifest.name}'s dependencies failed:\n${install.stdout}${install.stderr}`);
	}

	const installedNodesFile = path.join(nodesDir, 'package.json');
	const installedNodes = fs.existsSync(installedNodesFile)
		? JSON.parse(fs.readFileSync(installedNodesFile, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	installedNodes.dependencies = { ...installedNodes.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(installedNodesFile, JSON.stringify(installedNodes, null, 2));
	return manifest.name;
}

/**
 * A workflow only a person starts (a Manual Trigger and no webhook or other trigger): n8n 2.41 refuses to
 * activate it ("has no trigger node"), and it runs with `n8n execute` or the editor's Execute button instead.
 * @param {{ nodes: Array<{ type: string }> }} workflow
 */
function startedByHand(workflow) {
	const starters = workflow.nodes.filter(({ type }) => /Trigger$/.test(type) || type === 'n8n-nodes-base.webhook');
	return starters.length > 0 && starters.every(({ type }) => type === MANUAL_TRIGGER);
}

/** @param {Array<{ id: string, publishable: boolean }>} workflows */
const published = (workflows) => workflows.filter(({ publishable }) => publishable);

/**
 * Copies each workflow file into `stagingDir`, giving it an id derived from its file name when it has
 * none: publishing needs the id, and a stable one makes re-imports update the same workflow.
 * @param {string[]} workflowFiles
 * @param {string} stagingDir
 * @returns {Array<{ id: string, publishable: boolean }>} the workflows, in file order
 */
function stageWorkflows(workflowFiles, stagingDir) {
	fs.mkdirSync(stagingDir, { recursive: true });
	return workflowFiles.map((file, index) => {
		const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
		workflow.id ??= crypto.createHash('sha256').update(path.basename(file)).digest('hex').slice(0, 16);
		fs.writeFileSync(path.join(stagingDir, `${index}.json`), JSON.stringify(workflow));
		return { id: workflow.id, publishable: !startedByHand(workflow) };
	});
}

/**
 * The environment every n8n process started here gets: its user folder and ports, nothing sent to n8n's
 * servers, and `extra` (queue-mode settings, a stand-in's proxy) on top.
 * @param {{ userFolder: string, port: number, brokerPort: number, extra?: Record<string, string> }} settings
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv({ userFolder, port, brokerPort, extra }) {
	// Jest sets NODE_ENV=test, which puts n8n into its own test mode (silent, and `start` exits 1).
	const { NODE_ENV, ...inheritedEnv } = process.env;
	return {
		...inheritedEnv,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// Plain http on localhost: a secure cookie would never be sent back, so logins would fail.
		N8N_SECURE_COOKIE: 'false',
		// n8n 2.x reads and writes files (Read/Write Files from Disk) only under ~/.n8n-files; n8n runs in
		// its user folder here, so that folder's .n8n-files plays the home's, as in n8n's Docker image
		// (home and working folder /home/node), and relative paths in templates resolve the same way.
		N8N_RESTRICT_FILE_ACCESS_TO: path.join(userFolder, N8N_FILES_FOLDER),
		// 2.41 applies published versions through an outbox polled every 15 s and reconciled every 10 s;
		// a local instance can look every second, so a re-imported workflow goes live right after start.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
		N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: '1',
		...extra,
	};
}

/**
 * Runs an n8n CLI command (import, publish) to completion with `env`; throws with its output when it fails.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} cwd
 * @returns {(args: string[]) => void}
 */
function n8nCli(env, cwd) {
	const node = ensureNode24();
	const { n8nBin } = ensureN8n();
	return (args) => {
		const result = spawnSync(node, [n8nBin, ...args], { env, encoding: 'utf8', cwd });
		if (result.status !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
			);
		}
	};
}

/**
 * Imports credentials and workflows through the n8n CLI and, with `activate`, publishes the workflows that
 * have a trigger, so the next `n8n start` activates them.
 * @param {(args: string[]) => void} runCli
 * @param {{ credentialFiles?: string[], workflowFiles?: string[], activate?: boolean }} opts
 * @returns {Array<{ id: string, publishable: boolean }>} the workflows, in file order
 */
function importIntoN8n(runCli, opts) {
	const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-n8n-import-'));
	/** @type {Array<{ id: string, publishable: boolean }>} */
	let workflows = [];
	try {
		if (opts.credentialFiles?.length) {
			// One file holding them all: every CLI call boots n8n, a few seconds each.
			const credentials = opts.credentialFiles.flatMap((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
			const credentialsFile = path.join(stagingDir, 'credentials.json');
			fs.writeFileSync(credentialsFile, JSON.stringify(credentials));
			runCli(['import:credentials', `--input=${credentialsFile}`]);
		}
		if (opts.workflowFiles?.length) {
			const workflowDir = path.join(stagingDir, 'workflows');
			workflows = stageWorkflows(opts.workflowFiles, workflowDir);
			runCli(['import:workflow', '--separate', `--input=${workflowDir}`]);
			// 2.41's import always leaves workflows unpublished (--activeState=fromJson is queue mode only);
			// publishing before start lets `n8n start` activate them, webhooks included.
			if (opts.activate) for (const { id } of published(workflows)) runCli(['publish:workflow', `--id=${id}`]);
		}
	} finally {
		fs.rmSync(stagingDir, { recursive: true, force: true });
	}
	return workflows;
}

/**
 * Starts one long-running n8n process (`start`, `webhook`, `worker`) and follows its output: every line
 * goes to `logFile` and the last ones are kept for failure messages. `ready` resolves when it prints
 * `readyLine`, and rejects when it exits first, cannot load `packageName`, or takes too long.
 * @param {{ command: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string, readyLine: string, packageName: string }} spec
 * @returns {import('./n8n-instance').N8nProcess}
 */
function spawnN8nProcess({ command, env, cwd, logFile, readyLine, packageName }) {
	const node = ensureNode24();
	const { n8nBin } = ensureN8n();
	const logStream = fs.createWriteStream(logFile, { flags: 'a' });
	/** @type {string[]} */
	const recentLines = [];
	const logs = () => recentLines.join('\n');
	// Not detached: a Ctrl-C in the terminal reaches n8n too, so an interrupted test run or script does
	// not leave it running. n8n stops its own task runners when it shuts down.
	const child = spawn(node, [n8nBin, ...command], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
	// A parent that exits without calling stop() (an uncaught error) must not leave n8n holding the port.
	const stopOnExit = () => child.kill('SIGTERM');
	process.once('exit', stopOnExit);

	/** @type {Promise<void> | undefined} */
	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			process.removeListener('exit', stopOnExit);
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
				await exited;
				clearTimeout(timer);
			}
			await new Promise((resolve) => logStream.end(resolve));
		})();
		return stopping;
	};

	/** n8n logs a package it cannot load and starts anyway; its workflows then just 404. @type {string[]} */
	const packageLoadFailure = [];
	const ready = new Promise((resolve, reject) => {
		const name = `n8n ${command[0]}`;
		const timer = setTimeout(
			() => reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s; log tail:\n${logs()}`)),
			READY_TIMEOUT_MS,
		);
		for (const stream of [child.stdout, child.stderr]) {
			readline.createInterface({ input: stream }).on('line', (line) => {
				logStream.write(`${line}\n`);
				recentLines.push(line);
				if (recentLines.length > LOG_LINES_KEPT) recentLines.shift();
				if (line.includes(`Failed to load package "${packageName}"`) || packageLoadFailure.length) {
					if (packageLoadFailure.length < 8) packageLoadFailure.push(line);
				}
				if (line.includes(readyLine)) {
					clearTimeout(timer);
					if (packageLoadFailure.length) reject(new Error(`${name} could not load ${packageName}:\n${packageLoadFailure.join('\n')}`));
					else resolve(undefined);
				}
			});
		}
		exited.then((reason) => {
			clearTimeout(timer);
			reject(new Error(`${name} exited (${reason}) before it was ready; log tail:\n${logs()}`));
		});
	});
	/** Ends the process at once (SIGKILL), as a crash or an OOM kill does; its log is closed. */
	const kill = async () => {
		process.removeListener('exit', stopOnExit);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		await exited;
		await new Promise((resolve) => logStream.end(resolve));
	};
	return { exited, ready, logs, logFile, stop, kill };
}

/**
 * @param {import('./n8n-instance').StartN8nOptions} opts
 * @returns {Promise<import('./n8n-instance').N8nInstance>}
 */
async function startN8n(opts) {
	const userFolder = path.resolve(opts.userFolder);
	const node = ensureNode24();
	const { n8nBin } = ensureN8n();
	// Checked before the minute of installing and importing, so a busy port fails fast.
	const port = await probePort(opts.port || 0);
	const brokerPort = await probePort(opts.brokerPort || 0);
	const env = n8nEnv({ userFolder, port, brokerPort, extra: opts.env });

	fs.mkdirSync(userFolder, { recursive: true });
	const packageName = installCommunityPackage(userFolder, opts.tarball);
	const workflows = importIntoN8n(n8nCli(env, userFolder), opts);

	const server = spawnN8nProcess({
		command: ['start'],
		env,
		cwd: userFolder,
		logFile: path.join(userFolder, 'n8n.log'),
		readyLine: READY_LINE,
		packageName,
	});
	const baseUrl = `http://127.0.0.1:${port}`;
	const owner = opts.owner ?? DEFAULT_OWNER;
	try {
		await server.ready;
		await setUpOwner(baseUrl, owner);
		if (opts.activate) {
			const ids = published(workflows).map(({ id }) => id);
			await waitForPublication(async (sql, params) => queryDatabase(node, userFolder, sql, params), ids);
		}
	} catch (error) {
		await server.stop();
		throw error;
	}

	return {
		baseUrl,
		port,
		userFolder,
		logFile: server.logFile,
		workflowIds: workflows.map(({ id }) => id),
		owner,
		exited: server.exited,
		webhookUrl: (webhookPath) => `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`,
		productionWebhooks: () => productionWebhooks((sql) => queryDatabase(node, userFolder, sql), baseUrl),
		execute: (workflowId) => executeWorkflow(node, n8nBin, env, userFolder, workflowId),
		logs: server.logs,
		stop: server.stop,
	};
}

/**
 * Runs a workflow once with `n8n execute` beside the running instance (same user folder, database and
 * community packages), as the editor's Execute button would; the way to start a Manual Trigger workflow
 * from a script. Asynchronous, so a stand-in server in the calling process keeps answering n8n.
 * @param {string} node24
 * @param {string} n8nBin
 * @param {NodeJS.ProcessEnv} env the running instance's environment
 * @param {string} userFolder
 * @param {string} workflowId
 * @returns {Promise<import('./n8n-instance').WorkflowExecution>}
 */
async function executeWorkflow(node24, n8nBin, env, userFolder, workflowId) {
	// The CLI starts task runners of its own: they need a broker port the server does not hold.
	const brokerPort = await freePort();
	// Into a file, not a pipe: the CLI exits right after printing, and a pipe would lose the end of a long execution.
	const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-n8n-execute-'));
	const outputFile = path.join(outputDir, 'output.txt');
	const outputFd = fs.openSync(outputFile, 'w');
	let output;
	let exitCode;
	try {
		const child = spawn(node24, [n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
			env: { ...env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
			cwd: userFolder,
			stdio: ['ignore', outputFd, outputFd],
		});
		exitCode = await new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
		output = fs.readFileSync(outputFile, 'utf8');
	} finally {
		fs.closeSync(outputFd);
		fs.rmSync(outputDir, { recursive: true, force: true });
	}
	// --rawOutput prints the execution as indented JSON; n8n's own log lines may come before it.
	const start = output.search(/^\{$/m);
	const end = output.lastIndexOf('\n}');
	const printed = start >= 0 && end > start;
	// Under load the CLI has been seen to die by a signal (SIGSEGV) while shutting down, after it had saved
	// and printed the finished execution: that execution stands; any other failure is the workflow's.
	const diedAfterPrinting = typeof exitCode === 'string' && printed;
	if ((exitCode !== 0 && !diedAfterPrinting) || !printed) {
		throw new Error(`n8n execute --id=${workflowId} failed (exit ${exitCode}):\n${output.slice(0, 8000)}`);
	}
	if (diedAfterPrinting) process.stderr.write(`[revops] n8n execute --id=${workflowId} printed its execution, then died by ${exitCode}\n`);
	return JSON.parse(output.slice(start, end + 2));
}

/**
 * Runs a read-only query on n8n's SQLite database with Node 24's built-in node:sqlite (the scripts
 * themselves may run on Node 20). n8n keeps the database in WAL mode, so reading while it runs is safe.
 * @param {string} node24
 * @param {string} userFolder
 * @param {string} sql
 * @param {unknown[]} [params]
 * @returns {Record<string, any>[]}
 */
function queryDatabase(node24, userFolder, sql, params = []) {
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const db = new DatabaseSync(process.argv[1], { readOnly: true, timeout: 5000 });
		process.stdout.write(JSON.stringify(db.prepare(process.argv[2]).all(...JSON.parse(process.argv[3]))));`;
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	const result = spawnSync(node24, ['--no-warnings', '-e', script, database, sql, JSON.stringify(params)], {
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`query on ${database} failed: ${result.stderr}`);
	return JSON.parse(result.stdout);
}

/**
 * The production webhooks n8n registered for its active workflows, from its database: this covers
 * every trigger node (Webhook, the pack's own triggers) without knowing how each builds its path.
 * @param {(sql: string) => Record<string, any>[]} query
 * @param {string} baseUrl
 * @returns {import('./n8n-instance').ProductionWebhook[]}
 */
function productionWebhooks(query, baseUrl) {
	const rows = query(`SELECT w.workflowId, f.name AS workflowName, w.method, w.webhookPath
		FROM webhook_entity w JOIN workflow_entity f ON f.id = w.workflowId
		ORDER BY f.name, w.webhookPath`);
	return rows.map((row) => ({
		workflowId: row.workflowId,
		workflowName: row.workflowName,
		method: row.method,
		url: `${baseUrl}/webhook/${row.webhookPath}`,
	}));
}

/**
 * @param {string} url
 * @param {RequestInit} [init]
 */
async function requestJson(url, init) {
	const response = await fetch(url, init);
	const text = await response.text();
	if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/**
 * Creates the owner account unless the instance already has one (a reused user folder).
 * @param {string} baseUrl
 * @param {import('./n8n-instance').N8nOwner} owner
 */
async function setUpOwner(baseUrl, owner) {
	const settings = await requestJson(`${baseUrl}/rest/settings`);
	if (!settings.data.userManagement.showSetupOnFirstLoad) return;
	await requestJson(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
}

/** @param {number} milliseconds */
const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Waits until n8n has applied the version of each workflow that was just imported and published.
 * n8n 2.41 applies it in the background after "Editor is now accessible" (through its publication
 * outbox) and only logs a failure (an unknown node type, a webhook path taken twice), so without this a
 * broken workflow would show up as a 404 much later, and a re-imported one would briefly run its old
 * version. The REST publication status cannot tell the new version's trigger statuses from the old
 * one's, so this reads the outbox and trigger statuses of the published version from the database.
 * Identifiers are quoted, so the same SQL runs on SQLite and PostgreSQL (n8n's camelCase columns).
 * @param {(sql: string, params: unknown[]) => Promise<Record<string, any>[]>} query
 * @param {string[]} workflowIds
 */
async function waitForPublication(query, workflowIds) {
	const deadline = Date.now() + PUBLICATION_TIMEOUT_MS;
	for (const id of workflowIds) {
		for (;;) {
			const [outcome] = await query(
				`SELECT o.status, o."errorMessage" FROM workflow_publication_outbox o
				JOIN workflow_entity w ON w.id = o."workflowId" AND w."activeVersionId" = o."publishedVersionId"
				WHERE o."workflowId" = ? AND o.status IN ('completed', 'failed') ORDER BY o.id DESC LIMIT 1`,
				[id],
			);
			if (outcome?.status === 'failed') throw new Error(`workflow ${id} did not activate: ${outcome.errorMessage}`);
			if (outcome?.status === 'completed') {
				const failedTriggers = await query(
					`SELECT t."errorMessage" FROM workflow_publication_trigger_status t
					JOIN workflow_entity w ON w.id = t."workflowId" AND w."activeVersionId" = t."versionId"
					WHERE t."workflowId" = ? AND t.status = 'failed'`,
					[id],
				);
				if (failedTriggers.length) {
					throw new Error(
						`workflow ${id} did not activate: ${failedTriggers.map((row) => row.errorMessage).join('; ')}`,
					);
				}
				break;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${id} was not activated within ${PUBLICATION_TIMEOUT_MS / 1000} s (has it a trigger node?)`,
				);
			}
			await sleep(500);
		}
	}
}

module.exports = {
	startN8n,
	freePort,
	firstFreePort,
	installCommunityPackage,
	startedByHand,
	n8nEnv,
	n8nCli,
	importIntoN8n,
	spawnN8nProcess,
	published,
	setUpOwner,
	waitForPublication,
	DEFAULT_OWNER,
	N8N_FILES_FOLDER,
};
