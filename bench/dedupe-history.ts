/**
 * Dedupe against a large history: how long one webhook lead takes to be matched and remembered, and a
 * 10,000-lead batch, against histories of 10,000, 100,000 and 1,000,000 leads (B2B preset, the lead
 * capture templates' rules) in PostgreSQL (PG_URL) and SQLite. Per size: p50/p99 of one lead through the
 * record store on a warm connection (the look-up, the insert and the lock: what grows with the history),
 * p50/p99 of one lead through n8n's engine as an execution runs the Dedupe node (it opens its store per
 * execution), the batch time, and the heap after each, which must stay flat as the history grows.
 *
 * The histories are kept between runs (PostgreSQL: history names `bench-history-<size>`; SQLite: a file in
 * .cache/bench), filled once: filling 1,000,000 leads takes minutes.
 * `BENCH_SIZES=10000,100000` picks sizes; `BENCH_LOOKUPS` single leads per size (default 300).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IDataObject } from 'n8n-workflow';
import { Client } from 'pg';

import { RuleMatcher } from '../lib/dedupe/matcher';
import { dedupeAgainstStore } from '../lib/dedupe/remember';
import { b2bRules } from '../lib/dedupe/rules';
import { PostgresRecordStore } from '../lib/dedupe/store/postgres';
import type { RecordStore } from '../lib/dedupe/store/recordStore';
import { SqliteRecordStore } from '../lib/dedupe/store/sqlite';
import { PG_URL, pgConnection } from '../test/support/postgres';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { finish, line, seededRandom } from './_report';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 300);
const ENGINE_RUNS = Math.min(LOOKUPS, 100);
const BATCH = 10_000;
const FILL_CHUNK = 5_000;
const SQLITE_FILE = path.join(__dirname, 'dedupe-history.sqlite');

const matcher = new RuleMatcher({ rules: b2bRules() });
const FIRST = ['Ana', 'Maria', 'João', 'Lucas', 'Sofia', 'James', 'Jennifer', 'Robert', 'Elizabeth', 'Carlos', 'Julia', 'Pedro', 'Laura', 'Michael', 'Camila'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Smith', 'Johnson', 'García', 'Martínez', 'Brown', 'Costa', 'Pereira', 'Lopez', 'Wilson', 'Almeida', 'Taylor'];

/** Lead n of the history: one person per n, companies shared by about twenty people each. */
function lead(n: number): Record<string, string> {
	const company = `Company ${Math.floor(n / 20)}`;
	return {
		email: `person${n}@company${Math.floor(n / 20)}.example`,
		first_name: FIRST[n % FIRST.length],
		last_name: `${LAST[(n * 7) % LAST.length]}-${n % 997}`,
		company,
		phone: `+1${String(2_000_000_000 + n * 7919).slice(0, 10)}`,
		utm_source: 'webinar',
	};
}

/** Fills the history up to `size` leads (leads 0..size-1), resuming where an earlier run stopped. */
async function fill(store: RecordStore, history: string, size: number, alreadyStored: number): Promise<void> {
	const started = performance.now();
	for (let from = alreadyStored; from < size; from += FILL_CHUNK) {
		const records = Array.from({ length: Math.min(FILL_CHUNK, size - from) }, (_, i) => lead(from + i));
		const keys = matcher.blockKeys(records);
		await store.withClaim(history, (transaction) => transaction.insert(records.map((record, i) => ({ record, blockKeys: keys[i] }))));
	}
	if (size > alreadyStored) line(`  filled ${history} from ${alreadyStored} to ${size} leads in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/** Half returning leads (another spelling of a stored email), half new ones; never the same twice. */
function probe(size: number, index: number, random: () => number): Record<string, string> {
	if (index % 2 === 0) {
		const known = lead(Math.floor(random() * size));
		return { ...known, email: known.email.toUpperCase(), utm_source: 'linkedin' };
	}
	return lead(10_000_000 + size + index * 13 + Math.floor(random() * 7));
}

interface SizeFigures {
	size: number;
	storeP50Ms: number;
	storeP99Ms: number;
	engineP50Ms: number;
	engineP99Ms: number;
	batchSeconds: number;
	batchDuplicates: number;
	heapMb: number;
}

async function measure(label: string, open: () => Promise<RecordStore>, history: (size: number) => string, engine: { parameters: Record<string, unknown>; credentials?: Record<string, IDataObject> }): Promise<SizeFigures[]> {
	const figures: SizeFigures[] = [];
	const random = seededRandom(11);
	for (const size of SIZES) {
		const name = history(size);
		const store = await open();
		try {
			const counted = await countOf(label, name);
			await fill(store, name, size, counted);
			// a history grows lead by lead and autovacuum keeps its statistics; right after a bulk fill they are
			// stale, and the batch look-up took 8.9 s instead of 2.8 s at 1,000,000 leads: analyze as autovacuum would
			if (label === 'PostgreSQL' && counted < size) await analyzeHistory();
			const options = { history: name, idField: 'email', historySize: 0 };
			// one lead at a time, as a webhook execution brings it: matched, then remembered when new
			const times: number[] = [];
			for (let index = 0; index < LOOKUPS; index++) {
				const started = performance.now();
				await dedupeAgainstStore(store, matcher, [probe(size, index, random)], options);
				times.push(performance.now() - started);
			}
			const batch = Array.from({ length: BATCH }, (_, index) => probe(size, LOOKUPS + index, random));
			const batchStarted = performance.now();
			const result = await dedupeAgainstStore(store, matcher, batch, { ...options, remember: false });
			const batchSeconds = (performance.now() - batchStarted) / 1000;
			// the Dedupe node as an execution runs it: store opened, lead matched and remembered, store closed
			const workflow = {
				nodes: [node('Input', INPUT_NODE_TYPE), { ...node('Find New Leads', 'n8n-nodes-revops.dedupe', { operation: 'acrossExecutions', preset: 'b2b', historyName: name, ...engine.parameters, options: { idField: 'email', historySize: 0 } }, 1.1), ...(engine.credentials ? { credentials: { warehousePostgresApi: { id: '1', name: 'Warehouse PostgreSQL' } } } : {}) }],
				connections: chain([['Input', 'Find New Leads']]),
			};
			const engineTimes: number[] = [];
			for (let index = 0; index < ENGINE_RUNS; index++) {
				const started = performance.now();
				const run = await runWorkflow(workflow, [probe(size, LOOKUPS + BATCH + index, random)], { credentials: engine.credentials });
				if (run.error) throw new Error(`${label} ${size}: ${run.error}`);
				engineTimes.push(performance.now() - started);
			}
			(globalThis as { gc?: () => void }).gc?.();
			const entry: SizeFigures = {
				size,
				storeP50Ms: percentile(times, 50),
				storeP99Ms: percentile(times, 99),
				engineP50Ms: percentile(engineTimes, 50),
				engineP99Ms: percentile(engineTimes, 99),
				batchSeconds: Math.round(batchSeconds * 100) / 100,
				batchDuplicates: result.classified.duplicates.length,
				heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
			};
			figures.push(entry);
			line(
				`${label}, history of ${size.toLocaleString('en')} leads: one lead ${entry.storeP50Ms} ms p50 / ${entry.storeP99Ms} ms p99 in the store, ` +
					`${entry.engineP50Ms} / ${entry.engineP99Ms} ms as a Dedupe execution; ${BATCH.toLocaleString('en')} leads in ${entry.batchSeconds} s ` +
					`(${entry.batchDuplicates} returning found); heap ${entry.heapMb} MB`,
			);
		} finally {
			await store.close();
		}
	}
	return figures;
}

async function analyzeHistory(): Promise<void> {
	const client = new Client({ connectionString: PG_URL });
	await client.connect();
	try {
		await client.query('ANALYZE revops_dedupe_keys, revops_dedupe_records');
	} finally {
		await client.end();
	}
}

/** Leads already in a history (filled by an earlier run). */
async function countOf(label: string, history: string): Promise<number> {
	if (label === 'PostgreSQL') {
		const client = new Client({ connectionString: PG_URL });
		await client.connect();
		try {
			const { rows } = await client.query(`SELECT to_regclass('revops_dedupe_records') IS NOT NULL AS present`);
			if (!rows[0].present) return 0;
			const counted = await client.query('SELECT count(*)::int AS n FROM revops_dedupe_records WHERE history = $1 AND (record->>\'email\') LIKE \'person%\'', [history]);
			return counted.rows[0].n;
		} finally {
			await client.end();
		}
	}
	if (!fs.existsSync(SQLITE_FILE)) return 0;
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
	const db = new DatabaseSync(SQLITE_FILE, { readOnly: true });
	try {
		const row = db.prepare("SELECT count(*) AS n FROM dedupe_records WHERE history = ? AND json_extract(record, '$.email') LIKE 'person%'").get(history) as { n: number };
		return row.n;
	} finally {
		db.close();
	}
}

async function main(): Promise<void> {
	line(`Dedupe against a history (B2B preset): ${LOOKUPS} single leads (half returning) and one ${BATCH.toLocaleString('en')}-lead batch per size`);
	const postgres = await measure('PostgreSQL', () => PostgresRecordStore.connect(PG_URL), (size) => `bench-history-${size}`, {
		parameters: { store: 'postgres' },
		credentials: { warehousePostgresApi: { ...pgConnection(), ssl: 'disable' } },
	});
	const sqlite = await measure('SQLite', async () => SqliteRecordStore.open(SQLITE_FILE), (size) => `bench-history-${size}`, {
		parameters: { store: 'sqlite', sqlitePath: SQLITE_FILE },
	});
	finish({ bench: 'dedupe-history', lookups: LOOKUPS, batch: BATCH, postgres, sqlite });
}

void main();
