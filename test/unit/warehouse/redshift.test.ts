/**
 * Redshift's SQL where PostgreSQL 15 shares it (temporary stage LIKE the table, multi-row VALUES,
 * MERGE, INSERT ... WHERE NOT EXISTS) runs on the real server, with Redshift's SUPER type and
 * JSON_PARSE stood in for by a jsonb domain and function; what PostgreSQL cannot run is checked
 * as text.
 */

import { createTableSql } from '../../../lib/warehouse/dialects';
import { loadRows } from '../../../lib/warehouse/load';
import { PgSession, clientConfig } from '../../../lib/warehouse/postgres';
import { openRedshiftWriters, redshiftMergeSql, stageInsertStatements } from '../../../lib/warehouse/redshift';
import { prepareRows, type ConflictPolicy } from '../../../lib/warehouse/rows';
import { npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponse, npsResponses } from '../../fixtures/npsResponses';
import { pgConnection, useScratchSchema } from '../../support/postgres';

describe('Redshift dialect', () => {
	const { schema, admin } = useScratchSchema('rs');
	let session: PgSession;

	beforeAll(async () => {
		await admin().query(`CREATE DOMAIN ${schema}.super AS jsonb`);
		await admin().query(`CREATE FUNCTION ${schema}.json_parse(text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS 'SELECT $1::jsonb'`);
	});
	beforeEach(() => {
		session = new PgSession({ ...clientConfig(pgConnection()), options: `-c search_path=${schema}` });
	});
	afterEach(async () => {
		await session.close();
	});

	const spec = (table = 'nps_responses') => npsResponsesTable({ table, keepUnknownFields: true, dimensions: ['plan'] });

	async function load(records: Array<Record<string, unknown>>, onConflict: ConflictPolicy, table?: string) {
		const writers = await openRedshiftWriters([session], spec(table), onConflict, true);
		const prepared = prepareRows(records, spec(table), { unknownFields: 'keep', onConflict });
		return loadRows(writers, prepared.rows, { batchSize: 300 });
	}

	it('stages and merges on PostgreSQL 15; replaying adds zero rows', async () => {
		const records = npsResponses(1000);
		await load(records, 'skip');
		await load(records, 'skip');
		await load(records, 'update');
		const { rows } = await admin().query(`SELECT count(*)::int AS n, count(DISTINCT response_id)::int AS keys FROM ${schema}.nps_responses`);
		expect(rows[0]).toEqual({ n: 1000, keys: 1000 });
		const stored = await admin().query(`SELECT themes, properties->>'plan' AS plan, survey_date FROM ${schema}.nps_responses WHERE response_id = 'resp-3'`);
		expect(stored.rows[0]).toMatchObject({ themes: ['performance', 'pricing'], plan: 'enterprise' });
	});

	it('skips or updates by key through MERGE', async () => {
		await load([npsResponse(1)], 'skip', 'merges');
		await load([npsResponse(1, { nps_score: 1, nps_segment: 'detractor' })], 'skip', 'merges');
		expect((await admin().query(`SELECT nps_score FROM ${schema}.merges`)).rows).toEqual([{ nps_score: 7 }]);
		await load([npsResponse(1, { nps_score: 1, nps_segment: 'detractor' }), npsResponse(2)], 'update', 'merges');
		expect((await admin().query(`SELECT response_id, nps_score FROM ${schema}.merges ORDER BY 1`)).rows).toEqual([
			{ response_id: 'resp-1', nps_score: 1 },
			{ response_id: 'resp-2', nps_score: 3 },
		]);
	});

	it('isolates refused rows while the rest of the batch merges', async () => {
		const records: Array<Record<string, unknown>> = npsResponses(300, 500);
		records[10] = { ...records[10], nps_score: 'ten' };
		records[200] = { ...records[200], survey_date: null };
		const result = await load(records, 'skip', 'refusals');
		expect(result.rejected.map(({ row, reason }) => [row.index, reason])).toEqual([
			[10, expect.stringMatching(/invalid input syntax for type integer/)],
			[200, expect.stringMatching(/null value in column "survey_date"/)],
		]);
		expect((await admin().query(`SELECT count(*)::int AS n FROM ${schema}.refusals`)).rows[0].n).toBe(298);
	});

	it('creates tables with Redshift types and no CHECK constraints (text)', () => {
		const ddl = createTableSql('redshift', spec());
		expect(ddl).toContain('"response_id" VARCHAR(65535) NOT NULL');
		expect(ddl).toContain('"survey_date" TIMESTAMPTZ NOT NULL');
		expect(ddl).toContain('"themes" SUPER');
		expect(ddl).toContain('PRIMARY KEY ("response_id")');
		expect(ddl).not.toContain('CHECK');
	});

	it('uses neither ON CONFLICT, unnest nor COPY, and parses JSON into SUPER (text)', () => {
		const prepared = prepareRows(npsResponses(3), spec(), { unknownFields: 'keep', onConflict: 'update' });
		const [statement] = stageInsertStatements(spec(), prepared.rows);
		const all = [statement.text, redshiftMergeSql(spec(), 'update'), redshiftMergeSql(spec(), 'skip')].join('\n');
		expect(all).not.toMatch(/ON CONFLICT|unnest|COPY/i);
		expect(statement.text).toMatch(/VALUES \(\$1, \$2, .*JSON_PARSE\(\$11\).*\), \(\$18, /);
		expect(statement.values).toHaveLength(3 * 17);
		expect(redshiftMergeSql(spec(), 'update')).toMatch(
			/^MERGE INTO "nps_responses" AS target USING warehouse_stage AS s ON target."response_id" = s."response_id" WHEN MATCHED THEN UPDATE SET "provider" = s."provider", .* WHEN NOT MATCHED THEN INSERT \("response_id", /,
		);
	});

	it('splits the staging VALUES so no statement passes the size or parameter limits', () => {
		const prepared = prepareRows(npsResponses(1000).map((record) => ({ ...record, comment: 'x'.repeat(1000) })), spec(), {
			unknownFields: 'keep',
			onConflict: 'skip',
		});
		const bySize = stageInsertStatements(spec(), prepared.rows, { maxBytes: 200_000, maxParameters: 32_000 });
		expect(bySize.length).toBeGreaterThan(5);
		for (const { text, values } of bySize) {
			expect(Buffer.byteLength(text) + values.reduce((sum, value) => sum + Buffer.byteLength(value ?? ''), 0)).toBeLessThan(200_000);
		}
		expect(bySize.reduce((sum, { values }) => sum + values.length, 0)).toBe(1000 * 17);
		const byParameters = stageInsertStatements(spec(), prepared.rows, { maxBytes: 15 * 1024 * 1024, maxParameters: 1700 });
		expect(byParameters.map(({ values }) => values.length)).toEqual(Array(10).fill(1700));
	});
});
