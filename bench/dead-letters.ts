/**
 * Dead Letter Queue: failed items stored per second through n8n's engine (Store Failed Items, one
 * statement per item) into SQLite and PostgreSQL (`PG_URL`), the longest the event loop waited
 * meanwhile (other executions' timers and requests), and how long Get Due for Replay takes to claim
 * 1,000 entries out of the stored ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IDataObject, INode } from 'n8n-workflow';
import { Client } from 'pg';

import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { finish, line } from './_report';

const COUNT = Number(process.env.BENCH_ITEMS ?? 10_000);
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function failedLeads(count: number, round: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		email_match_key: `lead-${round}-${index}@example.com`,
		first_name: 'Ana',
		company: 'ACME Ltda',
		utm_source: 'linkedin',
		error: { message: 'Request failed with status code 503' },
	}));
}

/** Runs `work` while a 1 ms timer measures the longest gap between its ticks. */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ value: T; longestStallMs: number }> {
	let last = performance.now();
	let longest = 0;
	const timer = setInterval(() => {
		const now = performance.now();
		longest = Math.max(longest, now - last);
		last = now;
	}, 1);
	try {
		const value = await work();
		return { value, longestStallMs: Math.round(longest) };
	} finally {
		clearInterval(timer);
	}
}

async function measure(label: string, storeParameters: Record<string, unknown>, credentials?: Record<string, IDataObject>) {
	const withCredentials = (entry: INode) => (credentials ? { ...entry, credentials: { warehousePostgresApi: { id: '1', name: 'pg' } } } : entry);
	const storeNode = withCredentials(node('Keep', 'n8n-nodes-revops.deadLetters', { ...storeParameters, operation: 'store', keyField: 'email_match_key', reasonFields: 'error' }));
	const store = { nodes: [node('Input', INPUT_NODE_TYPE), storeNode], connections: chain([['Input', 'Keep']]) };
	const claimNode = withCredentials(
		node('Due', 'n8n-nodes-revops.deadLetters', { ...storeParameters, operation: 'getDue', firstDelayMinutes: 0, maxDelayMinutes: 0, maxAttempts: 5, replayOptions: { limit: 1000 } }),
	);
	const claim = { nodes: [node('Input', INPUT_NODE_TYPE), claimNode], connections: chain([['Input', 'Due']]) };

	const items = failedLeads(COUNT, 0);
	const started = performance.now();
	const { value: run, longestStallMs } = await withStallMeter(() => runWorkflow(store, items, { credentials }));
	const seconds = (performance.now() - started) / 1000;
	if (run.error || run.output('Keep').length !== COUNT) throw new Error(`${label}: store failed: ${run.error}`);
	const claimStarted = performance.now();
	const claimed = await runWorkflow(claim, [{}], { credentials });
	const claimMs = Math.round(performance.now() - claimStarted);
	if (claimed.output('Due').length !== 1000) throw new Error(`${label}: claimed ${claimed.output('Due').length}`);
	const perSecond = Math.round(COUNT / seconds);
	line(`${label}: ${COUNT} failed items stored in ${seconds.toFixed(2)} s (${perSecond} items/s), longest event-loop stall ${longestStallMs} ms; 1,000 due entries claimed in ${claimMs} ms`);
	return { itemsPerSecond: perSecond, longestStallMs, claim1000Ms: claimMs };
}

async function main() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-dead-letters-'));
	const admin = new Client({ connectionString: PG_URL });
	await admin.connect();
	const schema = `bench_dlq_${process.pid}`;
	await admin.query(`CREATE SCHEMA ${schema}`);
	try {
		const sqlite = await measure('SQLite', { store: 'sqlite', databaseFile: path.join(dir, 'dead-letters.sqlite') });
		const url = new URL(PG_URL);
		const credentials = {
			warehousePostgresApi: { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), ssl: 'disable' },
		};
		const postgres = await measure('PostgreSQL', { store: 'postgres', tableName: `${schema}.dead_letters` }, credentials);
		finish({ bench: 'dead-letters', items: COUNT, sqlite, postgres });
	} finally {
		await admin.query(`DROP SCHEMA ${schema} CASCADE`);
		await admin.end();
		rmSync(dir, { recursive: true, force: true });
	}
}

void main();
