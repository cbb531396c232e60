import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

import { loadRows } from '../../../lib/warehouse/load';
import { prepareRows } from '../../../lib/warehouse/rows';
import { SqliteWriter, defaultSqlitePath, openSqlite, sqliteInsertSql } from '../../../lib/warehouse/sqlite';
import { customTable, npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponse, npsResponses } from '../../fixtures/npsResponses';

describe('SQLite writer (real database files)', () => {
	let dir: string;
	let db: DatabaseSync;

	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'warehouse-sqlite-'));
		db = openSqlite(path.join(dir, 'warehouse.sqlite'));
	});
	afterEach(() => {
		db.close();
		rmSync(dir, { recursive: true, force: true });
	});

	async function load(records: Array<Record<string, unknown>>, onConflict: 'skip' | 'update' = 'skip', dimensions = ['plan']) {
		const spec = npsResponsesTable({ keepUnknownFields: true, dimensions });
		const writer = new SqliteWriter(db, spec, onConflict);
		writer.ensureTable(true);
		const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict });
		return { prepared, result: await loadRows(writer, prepared.rows, { batchSize: 100 }) };
	}

	it('creates a STRICT table and writes every row once; replaying adds zero rows', async () => {
		const records = npsResponses(250);
		const first = await load(records);
		expect(first.result.written).toHaveLength(250);
		const replay = await load(records);
		expect(replay.result.written).toHaveLength(250);
		expect(db.prepare('SELECT count(*) AS n FROM nps_responses').get()).toEqual({ n: 250 });
		const row = db.prepare(`SELECT * FROM nps_responses WHERE response_id = 'resp-3'`).get() as Record<string, unknown>;
		expect(row).toMatchObject({ nps_score: 10, nps_segment: 'promoter', plan: 'enterprise', is_update: 0, raw_text: null });
		expect(JSON.parse(row.themes as string)).toEqual(['performance', 'pricing']);
		expect(String((db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'nps_responses'`).get() as { sql: string }).sql)).toMatch(/STRICT$/);
	});

	it('skips or updates an existing key as chosen', async () => {
		await load([npsResponse(1)]);
		await load([npsResponse(1, { nps_score: 2, nps_segment: 'detractor' })], 'skip');
		expect(db.prepare(`SELECT nps_score FROM nps_responses`).get()).toEqual({ nps_score: 7 });
		await load([npsResponse(1, { nps_score: 2, nps_segment: 'detractor' })], 'update');
		expect(db.prepare(`SELECT nps_score, nps_segment FROM nps_responses`).get()).toEqual({ nps_score: 2, nps_segment: 'detractor' });
	});

	it('sends the rows SQLite refuses to the failures with its reason while the rest commit', async () => {
		const records: Array<Record<string, unknown>> = npsResponses(5);
		records[1] = { ...records[1], nps_score: 11 };
		records[3] = { ...records[3], nps_score: 'nine' };
		records[4] = { ...records[4], survey_date: 'last tuesday' };
		const { result } = await load(records);
		expect(result.written.map(({ index }) => index)).toEqual([0, 2]);
		expect(result.rejected.map(({ row, reason }) => [row.index, reason])).toEqual([
			[1, expect.stringMatching(/CHECK constraint failed/)],
			[3, expect.stringMatching(/cannot store TEXT value in INTEGER column/)],
			[4, expect.stringMatching(/CHECK constraint failed/)],
		]);
		expect(db.prepare('SELECT count(*) AS n FROM nps_responses').get()).toEqual({ n: 2 });
	});

	it('keeps unknown fields in the extra JSON column', async () => {
		await load([{ ...npsResponse(9), utm_source: 'newsletter', nps_question: 'How likely...' }]);
		const { extra } = db.prepare('SELECT extra FROM nps_responses').get() as { extra: string };
		expect(JSON.parse(extra)).toEqual({ utm_source: 'newsletter', nps_question: 'How likely...' });
	});

	it('adds a dimension column to an existing table, checked once', async () => {
		await load([npsResponse(1)], 'skip', []);
		await load([npsResponse(2)], 'skip', ['plan', 'region']);
		expect(db.prepare(`SELECT region FROM nps_responses WHERE response_id = 'resp-2'`).get()).toEqual({ region: 'apac' });
	});

	it('refuses a missing table or column unless allowed to create it', () => {
		const spec = customTable({
			table: 'accounts',
			keepUnknownFields: false,
			columns: [{ column: 'account_id', type: 'text' }, { column: 'mrr', type: 'number', field: 'billing.mrr' }],
			key: ['account_id'],
		});
		expect(() => new SqliteWriter(db, spec, 'skip').ensureTable(false)).toThrow(/Table 'accounts' does not exist/);
		db.exec('CREATE TABLE accounts (account_id TEXT PRIMARY KEY)');
		expect(() => new SqliteWriter(db, spec, 'skip').ensureTable(false)).toThrow(/has no column 'mrr'/);
	});

	it('maps custom columns from nested fields', async () => {
		const spec = customTable({
			table: 'accounts',
			keepUnknownFields: false,
			columns: [{ column: 'account_id', type: 'text', field: 'id' }, { column: 'mrr', type: 'number', field: 'billing.mrr' }, { column: 'active', type: 'boolean' }],
			key: ['account_id'],
		});
		const writer = new SqliteWriter(db, spec, 'update');
		writer.ensureTable(true);
		const prepared = prepareRows([{ id: 'a1', billing: { mrr: 99.5 }, active: true }], spec, { unknownFields: 'ignore', onConflict: 'update' });
		await loadRows(writer, prepared.rows, { batchSize: 10 });
		expect(db.prepare('SELECT * FROM accounts').all()).toEqual([{ account_id: 'a1', mrr: 99.5, active: 1 }]);
	});

	it('builds the upsert with every identifier quoted and every value a parameter', () => {
		const spec = npsResponsesTable({ keepUnknownFields: false });
		expect(sqliteInsertSql(spec, 'update')).toMatch(
			/^INSERT INTO "nps_responses" \("response_id", .*\) VALUES \(\?(, \?){14}\) ON CONFLICT \("response_id"\) DO UPDATE SET "provider" = excluded."provider", /,
		);
	});

	it('defaults the file to the n8n user folder', () => {
		expect(defaultSqlitePath({ N8N_USER_FOLDER: '/data' })).toBe('/data/.n8n/revops-warehouse.sqlite');
	});
});

describe('SQLite writer under a concurrent writer', () => {
	it('waits for the lock to clear (SQLITE_BUSY is transient) and writes every row', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'warehouse-busy-'));
		const file = path.join(dir, 'busy.sqlite');
		const db = openSqlite(file, 50);
		const other = openSqlite(file, 50);
		try {
			const spec = npsResponsesTable({ keepUnknownFields: false });
			const writer = new SqliteWriter(db, spec, 'skip');
			writer.ensureTable(true);
			other.exec('BEGIN IMMEDIATE');
			setTimeout(() => other.exec('COMMIT'), 300);
			const prepared = prepareRows(npsResponses(10), spec, { unknownFields: 'ignore', onConflict: 'skip' });
			const result = await loadRows(writer, prepared.rows, { batchSize: 10, retry: { attempts: 10, baseDelayMs: 50, maxDelayMs: 200 } });
			expect(result.written).toHaveLength(10);
			expect(result.stopped).toBeUndefined();
		} finally {
			db.close();
			other.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
