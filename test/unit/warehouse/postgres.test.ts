
import { loadRows } from '../../../lib/warehouse/load';
import { PgSession, clientConfig, copyChunks, copyText, ensurePgTable, isPgRowRejection, isTransientPgError, openPostgresWriters, stagedInsertSql } from '../../../lib/warehouse/postgres';
import { prepareRows, type ConflictPolicy } from '../../../lib/warehouse/rows';
import { customTable, leadsTable, npsResponsesTable, type TableSpec } from '../../../lib/warehouse/tables';
import { npsResponse, npsResponses } from '../../fixtures/npsResponses';
import { pgConnection, useScratchSchema } from '../../support/postgres';

describe('PostgreSQL writer (real server at PG_URL)', () => {
	const { schema, admin } = useScratchSchema('pg');
	let session: PgSession;
	/** A second connection: batches are written concurrently, as the node does. */
	let second: PgSession;

	beforeEach(() => {
		session = new PgSession(clientConfig(pgConnection()));
		second = new PgSession(clientConfig(pgConnection()));
	});
	afterEach(async () => {
		await session.close();
		await second.close();
	});

	const nps = (options: { dimensions?: string[]; table?: string } = {}) =>
		npsResponsesTable({ table: `${schema}.${options.table ?? 'nps_responses'}`, keepUnknownFields: true, dimensions: options.dimensions ?? ['plan'] });

	async function load(spec: TableSpec, records: Array<Record<string, unknown>>, onConflict: ConflictPolicy = 'skip', batchSize = 1000) {
		const writers = await openPostgresWriters([session, second], spec, onConflict, true);
		const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict });
		return loadRows(writers, prepared.rows, { batchSize });
	}

	const count = async (table = 'nps_responses') => Number((await admin().query(`SELECT count(*) FROM ${schema}.${table}`)).rows[0].count);

	it('creates the table with proper types and loads every row; replaying adds zero rows', async () => {
		const records = npsResponses(2500);
		expect((await load(nps(), records)).written).toHaveLength(2500);
		expect((await load(nps(), records)).written).toHaveLength(2500);
		expect(await count()).toBe(2500);

		const { rows: types } = await admin().query(
			`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'nps_responses' ORDER BY ordinal_position`,
			[schema],
		);
		expect(Object.fromEntries(types.map((row) => [row.column_name, row.data_type]))).toMatchObject({
			response_id: 'text',
			survey_date: 'timestamp with time zone',
			nps_score: 'integer',
			themes: 'jsonb',
			properties: 'jsonb',
			is_update: 'boolean',
			plan: 'text',
			extra: 'jsonb',
		});
		const { rows } = await admin().query(`SELECT * FROM ${schema}.nps_responses WHERE response_id = 'resp-3'`);
		expect(rows[0]).toMatchObject({ nps_score: 10, nps_segment: 'promoter', plan: 'enterprise', themes: ['performance', 'pricing'], is_update: false });
		expect(rows[0].survey_date.toISOString()).toBe('2026-04-04T12:00:00.000Z');
	});

	it('skips or updates existing keys, and an unchanged replay in update mode rewrites nothing', async () => {
		await load(nps({ table: 'upserts' }), [npsResponse(1), npsResponse(2)]);
		const changed = [npsResponse(1, { nps_score: 0, nps_segment: 'detractor' }), npsResponse(2)];
		await load(nps({ table: 'upserts' }), changed, 'skip');
		expect((await admin().query(`SELECT nps_score FROM ${schema}.upserts ORDER BY response_id`)).rows).toEqual([{ nps_score: 7 }, { nps_score: 3 }]);
		await load(nps({ table: 'upserts' }), changed, 'update');
		expect((await admin().query(`SELECT nps_score FROM ${schema}.upserts ORDER BY response_id`)).rows).toEqual([{ nps_score: 0 }, { nps_score: 3 }]);
		const before = (await admin().query(`SELECT xmin::text AS version FROM ${schema}.upserts ORDER BY response_id`)).rows;
		await load(nps({ table: 'upserts' }), changed, 'update');
		expect((await admin().query(`SELECT xmin::text AS version FROM ${schema}.upserts ORDER BY response_id`)).rows).toEqual(before);
	});

	it('copies new rows straight into the table, and stages once a batch meets stored keys', async () => {
		const spec = nps({ table: 'direct' });
		const stageTable = `pg_temp.warehouse_stage_${spec.columns.length}`;
		const stageExists = async () => (await session.query<{ stage: string | null }>('SELECT to_regclass($1)::text AS stage', [stageTable]))[0].stage !== null;
		const loadAlone = async (records: Array<Record<string, unknown>>, onConflict: ConflictPolicy) =>
			loadRows(await openPostgresWriters([session], spec, onConflict, true), prepareRows(records, spec, { unknownFields: 'keep', onConflict }).rows, {
				batchSize: 100,
			});

		expect((await loadAlone(npsResponses(300), 'skip')).written).toHaveLength(300);
		expect(await stageExists()).toBe(false);

		// Stored keys (scores changed) in the middle of a batch of new ones: the direct COPY is rolled back whole.
		const mixed = [...npsResponses(50, 1_000), ...npsResponses(100, 200).map((record) => ({ ...record, nps_score: 0 })), ...npsResponses(50, 2_000)];
		expect((await loadAlone(mixed, 'update')).written).toHaveLength(200);
		expect(await stageExists()).toBe(true);
		expect(await count('direct')).toBe(400);
		const stored = npsResponses(100, 200).map(({ response_id }) => response_id);
		const { rows } = await admin().query(`SELECT count(*) FILTER (WHERE nps_score = 0) AS zeroed FROM ${schema}.direct WHERE response_id = ANY($1)`, [stored]);
		expect(Number(rows[0].zeroed)).toBe(100);
	});

	it('isolates the rows PostgreSQL refuses, with its reason, while every other row commits', async () => {
		const records: Array<Record<string, unknown>> = npsResponses(1000, 10_000);
		records[17] = { ...records[17], nps_score: 12 };
		records[500] = { ...records[500], survey_date: 'not a date' };
		records[999] = { ...records[999], nps_score: 'ten' };
		const result = await load(nps({ table: 'rejects' }), records, 'skip', 400);
		expect(result.written).toHaveLength(997);
		const rejected = result.rejected.map(({ row, reason }) => [row.index, reason]).sort(([left], [right]) => Number(left) - Number(right));
		expect(rejected).toEqual([
			[17, expect.stringMatching(/violates check constraint/)],
			[500, expect.stringMatching(/invalid input syntax for type timestamp with time zone: "not a date"/)],
			[999, expect.stringMatching(/invalid input syntax for type integer: "ten"/)],
		]);
		expect(await count('rejects')).toBe(997);
	});

	it('stops streaming a batch the server refuses at its first row, and the connection stays usable', async () => {
		// 5,000 rows are 20 chunks: the refusal arrives while most of them are still to be sent.
		const spec = nps({ table: 'refused_early' });
		const loadAlone = async (records: Array<Record<string, unknown>>) =>
			loadRows(await openPostgresWriters([session], spec, 'skip', true), prepareRows(records, spec, { unknownFields: 'keep', onConflict: 'skip' }).rows, {
				batchSize: 5000,
			});
		await loadAlone([npsResponse(0)]);
		// A stored key first (the direct COPY fails with unique_violation), then a refused value.
		const records: Array<Record<string, unknown>> = npsResponses(5000);
		records[1] = { ...records[1], nps_score: 11 };
		const result = await loadAlone(records);
		expect(result.stopped).toBeUndefined();
		expect(result.rejected.map(({ row, reason }) => [row.index, reason])).toEqual([[1, expect.stringMatching(/violates check constraint/)]]);
		expect(result.written).toHaveLength(4999);
		expect(await count('refused_early')).toBe(4999);
		expect(await session.query('SELECT 1 AS alive')).toEqual([{ alive: 1 }]);
	});

	it('calls a COPY off when a chunk cannot be encoded: nothing commits and the connection stays usable', async () => {
		await session.query(`CREATE TABLE ${schema}.called_off (line text)`);
		function* chunks(): Generator<string> {
			yield 'first\n';
			throw new Error('row 2 cannot be encoded');
		}
		await expect(session.copyFrom(`COPY ${schema}.called_off FROM STDIN`, chunks())).rejects.toThrow('row 2 cannot be encoded');
		expect(await session.query('SELECT count(*)::int AS lines FROM ' + `${schema}.called_off`)).toEqual([{ lines: 0 }]);
	});

	it('binds values: quotes, backslashes, braces, unicode and SQL in values arrive verbatim', async () => {
		const nasty = `O'Brien "quoted" \\ \\N \t tab\nnew line {a,b} NULL ); DROP TABLE x; -- ção 🚀`;
		await load(nps({ table: 'nasty' }), [npsResponse(1, { comment: nasty, themes: [nasty], properties: { plan: nasty } })]);
		const { rows } = await admin().query(`SELECT raw_text, themes, plan FROM ${schema}.nasty`);
		expect(rows).toEqual([{ raw_text: nasty, themes: [nasty], plan: nasty }]);
	});

	it('loads leads keyed on the matching email', async () => {
		const spec = leadsTable({ table: `${schema}.leads`, keepUnknownFields: false });
		const lead = { email: 'Ana@Gmail.com', email_match_key: 'ana@gmail.com', first_name: 'Ana', attribution: { original: null, latest: null }, consent: { given: true } };
		await load(spec, [lead, { ...lead, first_name: 'Ana Paula' }], 'update');
		expect((await admin().query(`SELECT lead_key, first_name, consent FROM ${schema}.leads`)).rows).toEqual([
			{ lead_key: 'ana@gmail.com', first_name: 'Ana Paula', consent: { given: true } },
		]);
	});

	it('lets workers that find the table missing at the same moment all load into it (one creates it, none fails)', async () => {
		// n8n queue mode: the first executions on two workers both find the table missing and create it
		const sessions = Array.from({ length: 6 }, () => new PgSession(clientConfig(pgConnection())));
		try {
			const spec = nps({ table: 'raced' });
			const outcomes = await Promise.allSettled(sessions.map((racer) => ensurePgTable(racer, spec, 'postgres', true)));
			expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.get('nps_score') : String(outcome.reason)))).toEqual(Array(6).fill('integer'));
			// and a column added to the spec later is added once, however many add it at once
			const grown = nps({ table: 'raced', dimensions: ['plan', 'region'] });
			const added = await Promise.allSettled(sessions.map((racer) => ensurePgTable(racer, grown, 'postgres', true)));
			expect(added.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.get('region') : String(outcome.reason)))).toEqual(Array(6).fill('text'));
		} finally {
			await Promise.all(sessions.map((racer) => racer.close()));
		}
	});

	it('names a missing table or column instead of creating it when not allowed', async () => {
		await expect(openPostgresWriters([session], nps({ table: 'absent' }), 'skip', false)).rejects.toThrow(/Table '.*\.absent' does not exist/);
		await load(nps({ table: 'narrow', dimensions: [] }), [npsResponse(1)]);
		await expect(openPostgresWriters([session], nps({ table: 'narrow', dimensions: ['plan', 'region'] }), 'skip', false)).rejects.toThrow(
			/has no column 'plan', 'region'/,
		);
	});

	it('moves staged rows with quoted identifiers and casts to the column types', () => {
		const spec = npsResponsesTable({ keepUnknownFields: false });
		const sql = stagedInsertSql(spec, new Map([['nps_score', 'integer']]), 'skip');
		expect(sql).toMatch(/^INSERT INTO "nps_responses" AS target \("response_id", "provider", /);
		expect(sql).toContain('CAST(s.c9 AS integer)');
		expect(sql).toContain('FROM pg_temp.warehouse_stage_15 AS s');
		expect(sql).toMatch(/ON CONFLICT \("response_id"\) DO NOTHING$/);
	});

	it('writes COPY text with nulls and escapes', () => {
		const spec = customTable({
			table: 'copy_text',
			keepUnknownFields: false,
			columns: [
				{ column: 'a', type: 'text' },
				{ column: 'b', type: 'text' },
				{ column: 'c', type: 'integer' },
				{ column: 'd', type: 'boolean' },
			],
			key: ['a'],
		});
		const { rows } = prepareRows([{ a: 'a\tb\\c\nd\re', b: null, c: 7, d: true }], spec, { unknownFields: 'ignore', onConflict: 'skip' });
		expect(copyText(rows)).toBe('a\\tb\\\\c\\nd\\re\t\\N\t7\ttrue\n');
	});

	it('streams COPY text in chunks of whole rows that add up to the batch', () => {
		const spec = nps();
		const { rows } = prepareRows(npsResponses(10), spec, { unknownFields: 'keep', onConflict: 'skip' });
		const chunks = [...copyChunks(rows, 3)];
		expect(chunks.map((chunk) => chunk.split('\n').length - 1)).toEqual([3, 3, 3, 1]);
		expect(chunks.join('')).toBe(copyText(rows));
	});

	it('tells transient failures from refused rows', () => {
		expect(isTransientPgError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
		expect(isTransientPgError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
		expect(isTransientPgError(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isTransientPgError(Object.assign(new Error('x'), { code: '22P02' }))).toBe(false);
		expect(isPgRowRejection(Object.assign(new Error('x'), { code: '23514' }))).toBe(true);
		expect(isPgRowRejection(Object.assign(new Error('relation does not exist'), { code: '42P01' }))).toBe(false);
	});
});
