'use strict';
/**
 * Starts n8n 2.41.1 in queue mode, as n8n documents it: a main process (editor, API, activation),
 * webhook processors (`n8n webhook`, which take the production webhooks and queue executions) and
 * workers (`n8n worker`, which run them), all on one PostgreSQL database and the machine's Redis, with one
 * N8N_ENCRYPTION_KEY. Each run gets a fresh database and its own Bull prefix, so parallel runs do not
 * meet, and both are removed at stop. Each process has a user folder of its own, as separate hosts would,
 * and the pack is installed into each one's `~/.n8n/nodes` (n8n's manual installation of a community
 * package, which every process type loads at start). Used by the queue-mode tests and benches.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');
const {
	DEFAULT_OWNER,
	freePort,
	importIntoN8n,
	installCommunityPackage,
	n8nCli,
	n8nEnv,
	published,
	setUpOwner,
	spawnN8nProcess,
	waitForPublication,
} = require('./n8n-instance.js');

const READY_LINES = {
	start: 'Editor is now accessible',
	webhook: 'Webhook listener waiting for requests.',
	worker: 'n8n worker is now ready',
};

/** The PostgreSQL server of PG_URL (CI's), or the machine's on 127.0.0.1:5432 with trust auth. */
function postgresServer() {
	const url = new URL(process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
	return {
		host: url.hostname,
		port: Number(url.port || 5432),
		user: decodeURIComponent(url.username) || 'postgres',
		password: decodeURIComponent(url.password),
	};
}

/**
 * Runs one statement as the server's admin on its `postgres` database (CREATE/DROP DATABASE cannot run
 * inside a database they affect).
 * @param {string} sql
 */
async function adminStatement(sql) {
	const client = new Client({ ...postgresServer(), database: 'postgres' });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

/**
 * Sends one command to Redis in its wire protocol (RESP) and resolves with the raw reply: enough for the
 * clean-up, without a client library.
 * @param {{ host: string, port: number, db: number }} redis
 * @param {string[]} args
 * @returns {Promise<string>}
 */
function redisCommand(redis, args) {
	const encode = (/** @type {string[]} */ parts) =>
		`*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
	return new Promise((resolve, reject) => {
		const socket = net.connect(redis.port, redis.host);
		let reply = '';
		socket.setTimeout(10_000, () => socket.destroy(new Error('Redis did not answer within 10 s')));
		socket.on('error', reject);
		// SELECT answers +OK first; the command's reply follows it.
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			const lines = reply.split('\r\n');
			if (lines.length >= 3) {
				socket.end();
				resolve(lines[1]);
			}
		});
		socket.write(encode(['SELECT', String(redis.db)]) + encode(args));
	});
}

/** Deletes every key under a Bull prefix (the queue's jobs, locks and events). */
const DELETE_BY_PATTERN = "local n = 0 for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) n = n + 1 end return n";

/**
 * @param {import('./n8n-queue').StartQueueOptions} opts
 * @returns {Promise<import('./n8n-queue').QueueRig>}
 */
async function startQueueRig(opts) {
	const workDir = path.resolve(opts.workDir);
	const runId = `${process.pid}_${Date.now().toString(36)}_${crypto.randomBytes(2).toString('hex')}`;
	const database = `revops_queue_${runId}`;
	const redis = {
		host: process.env.QUEUE_BULL_REDIS_HOST ?? '127.0.0.1',
		port: Number(process.env.QUEUE_BULL_REDIS_PORT ?? 6379),
		db: opts.redisDb ?? 0,
		prefix: `revops-queue-${runId}`,
	};
	const pg = postgresServer();
	const queueEnv = {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('base64'),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_REDIS_DB: String(redis.db),
		QUEUE_BULL_PREFIX: redis.prefix,
		// n8n's default is 2 connections per process, shared with its 2-second health ping: a ping that takes
		// 5 s under load marks the database down, and the webhook processor then answers every post 503
		// "Database is not ready!" until a ping gets through (seen here with the default).
		DB_POSTGRESDB_POOL_SIZE: '5',
		// Production webhooks are the webhook processor's; main answers the editor, API and test webhooks.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		// n8n warns against filesystem binary data in queue mode; nothing here keeps binary data.
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		...opts.env,
	};

	await adminStatement(`CREATE DATABASE ${database}`);
	/** @type {Array<{ name: string, process: import('./n8n-instance').N8nProcess }>} */
	const processes = [];
	const db = new Client({ ...pg, database });
	let dbConnected = false;

	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			// Webhook processor and workers first: they hold connections to the database main created.
			await Promise.all(processes.filter(({ name }) => name !== 'main').map(({ process }) => process.stop()));
			await Promise.all(processes.map(({ process }) => process.stop()));
			if (dbConnected) await db.end();
			await adminStatement(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
			await redisCommand(redis, ['EVAL', DELETE_BY_PATTERN, '0', `${redis.prefix}:*`]);
		})();
		return stopping;
	};

	/**
	 * @param {string} name
	 * @param {'start' | 'webhook' | 'worker'} command
	 * @param {string[]} args
	 */
	async function prepare(name, command, args = []) {
		const userFolder = path.join(workDir, name);
		fs.mkdirSync(userFolder, { recursive: true });
		const packageName = installCommunityPackage(userFolder, opts.tarball);
		const port = await freePort();
		const env = n8nEnv({ userFolder, port, brokerPort: await freePort(), extra: queueEnv });
		const launch = () => {
			const process = spawnN8nProcess({
				command: [command, ...args],
				env,
				cwd: userFolder,
				logFile: path.join(workDir, `${name}.log`),
				readyLine: READY_LINES[command],
				packageName,
			});
			processes.push({ name, process });
			return process;
		};
		return { name, userFolder, port, env, launch };
	}

	/** @param {string} sql @param {unknown[]} [params] */
	const query = async (sql, params = []) => {
		let index = 0;
		const { rows } = await db.query(
			sql.replace(/\?/g, () => `$${++index}`),
			params,
		);
		return rows;
	};

	try {
		const main = await prepare('main', 'start');
		// The CLI migrates the fresh database on its first call, then imports into it.
		const workflows = importIntoN8n(n8nCli(main.env, main.userFolder), { ...opts, activate: true });
		await main.launch().ready;
		await db.connect();
		dbConnected = true;
		const baseUrl = `http://127.0.0.1:${main.port}`;
		await setUpOwner(baseUrl, DEFAULT_OWNER);
		await waitForPublication(
			query,
			published(workflows).map(({ id }) => id),
		);
		const webhooks = [];
		for (let n = 1; n <= (opts.webhookProcessors ?? 1); n++) webhooks.push(await prepare(n === 1 ? 'webhook' : `webhook-${n}`, 'webhook'));
		const workers = [];
		for (let n = 1; n <= (opts.workers ?? 2); n++) {
			workers.push(await prepare(`worker-${n}`, 'worker', [`--concurrency=${opts.workerConcurrency ?? 5}`]));
		}
		await Promise.all([...webhooks, ...workers].map((prepared) => prepared.launch().ready));
		const webhookBases = webhooks.map(({ port }) => `http://127.0.0.1:${port}`);
		return {
			mainUrl: baseUrl,
			webhookProcessorUrls: webhookBases,
			database,
			bullPrefix: redis.prefix,
			workflowIds: workflows.map(({ id }) => id),
			webhookUrl: (webhookPath, processor = 0) => `${webhookBases[processor]}/webhook/${webhookPath.replace(/^\//, '')}`,
			query,
			processes: () => processes.map(({ name, process }) => ({ name, logFile: process.logFile, exited: process.exited })),
			kill: async (name) => {
				const found = processes.find((entry) => entry.name === name);
				if (!found) throw new Error(`no process named ${name}`);
				await found.process.kill();
			},
			logs: () => processes.map(({ name, process }) => `--- ${name} (${process.logFile}) ---\n${process.logs()}`).join('\n'),
			stop,
		};
	} catch (error) {
		const logs = processes.map(({ name, process }) => `--- ${name} ---\n${process.logs()}`).join('\n');
		await stop().catch(() => undefined);
		throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
			message: `${error instanceof Error ? error.message : error}\nqueue-mode rig logs:\n${logs}`,
		});
	}
}

module.exports = { startQueueRig };
