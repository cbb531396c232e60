/**
 * The analyst queries the README ships, run as written against tables Warehouse Insert filled:
 * SQLite and PostgreSQL on real databases; Redshift's on PostgreSQL 15, which shares that syntax.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadRows } from '../../../lib/warehouse/load';
import { PgSession, clientConfig, openPostgresWriters } from '../../../lib/warehouse/postgres';
import { prepareRows } from '../../../lib/warehouse/rows';
import { SqliteWriter, openSqlite } from '../../../lib/warehouse/sqlite';
import { npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponse, npsResponses } from '../../fixtures/npsResponses';
import { pgConnection, useScratchSchema } from '../../support/postgres';

function readmeQuery(dialect: string, kind: 'trend' | 'nps'): string {
	const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
	const match = new RegExp(`<!-- warehouse-query ${dialect} ${kind} -->\\n\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(readme);
	if (!match) throw new Error(`README has no ${dialect} ${kind} query`);
	return match[1];
}


// Plus responses just after midnight UTC on the 1st: still the previous month in São Paulo.
const records = [
	...npsResponses(600),
	...[0, 1, 2].map((offset) => npsResponse(1000 + offset, { survey_date: `2026-0${3 + offset}-01T01:30:00.000Z`, nps_score: 10, nps_segment: 'promoter' })),
];

/** What the queries must say, computed here from the records themselves. */
function expectedByMonth(): Array<{ month: string; avg: number; nps: number; responses: number }> {
	const months = new Map<string, number[]>();
	for (const record of records) {
		const month = record.survey_date.slice(0, 7);
		months.set(month, [...(months.get(month) ?? []), record.nps_score]);
	}
	return [...months.entries()]
		.sort(([left], [right]) => left.localeCompare(right))
		.map(([month, scores]) => {
			const promoters = scores.filter((score) => score >= 9).length;
			const detractors = scores.filter((score) => score <= 6).length;
			return {
				month,
				avg: scores.reduce((sum, score) => sum + score, 0) / scores.length,
				nps: Math.round((1000 * (promoters - detractors)) / scores.length) / 10,
				responses: scores.length,
			};
		});
}

describe('README analyst queries', () => {
	const expected = expectedByMonth();
	const spec = npsResponsesTable({ keepUnknownFields: false });
	const prepared = prepareRows(records, spec, { unknownFields: 'ignore', onConflict: 'skip' });

	it('SQLite: monthly trend and NPS per month', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'warehouse-readme-'));
		const db = openSqlite(path.join(dir, 'nps.sqlite'));
		try {
			const writer = new SqliteWriter(db, spec, 'skip');
			writer.ensureTable(true);
			await loadRows(writer, prepared.rows, { batchSize: 1000 });
			const trend = db.prepare(readmeQuery('sqlite', 'trend')).all() as Array<{ month: string; avg_score: number; responses: number }>;
			expect(trend.map(({ month, avg_score, responses }) => ({ month, avg: avg_score, responses }))).toEqual(
				expected.map(({ month, avg, responses }) => ({ month, avg: expect.closeTo(avg, 9), responses })),
			);
			const nps = db.prepare(readmeQuery('sqlite', 'nps')).all() as Array<{ month: string; nps: number }>;
			expect(nps.map(({ month, nps: value }) => ({ month, nps: value }))).toEqual(expected.map(({ month, nps: value }) => ({ month, nps: value })));
		} finally {
			db.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	describe('on PostgreSQL', () => {
		const { schema, admin } = useScratchSchema('readme');
		beforeAll(async () => {
			await admin().query(`SET search_path = ${schema}`);
			await admin().query(`SET TimeZone = 'America/Sao_Paulo'`);
			const session = new PgSession({ ...clientConfig(pgConnection()), options: `-c search_path=${schema}` });
			await loadRows(await openPostgresWriters([session], spec, 'skip', true), prepared.rows, { batchSize: 1000 });
			await session.close();
		});

		const monthOf = (value: Date) => value.toISOString().slice(0, 7);

		it('PostgreSQL: monthly trend and NPS per month, in UTC whatever the session time zone', async () => {
			const trend = (await admin().query(readmeQuery('postgres', 'trend'))).rows;
			// DATE_TRUNC of a timestamp without time zone: pg reads it as local time, so compare its parts.
			expect(trend.map((row) => ({ month: `${row.month.getFullYear()}-${String(row.month.getMonth() + 1).padStart(2, '0')}`, avg: Number(row.avg_score), responses: Number(row.responses) }))).toEqual(
				expected.map(({ month, avg, responses }) => ({ month, avg: expect.closeTo(avg, 9), responses })),
			);
			const nps = (await admin().query(readmeQuery('postgres', 'nps'))).rows;
			expect(nps.map((row) => Number(row.nps))).toEqual(expected.map(({ nps: value }) => value));
		});

		it('Redshift: the same figures (run on PostgreSQL 15 in UTC, as Redshift stores TIMESTAMPTZ)', async () => {
			await admin().query(`SET TimeZone = 'UTC'`);
			const trend = (await admin().query(readmeQuery('redshift', 'trend'))).rows;
			expect(trend.map((row) => ({ month: monthOf(row.month), avg: Number(row.avg_score), responses: Number(row.responses) }))).toEqual(
				expected.map(({ month, avg, responses }) => ({ month, avg: expect.closeTo(avg, 9), responses })),
			);
			const nps = (await admin().query(readmeQuery('redshift', 'nps'))).rows;
			expect(nps.map((row) => Number(row.nps))).toEqual(expected.map(({ nps: value }) => value));
		});
	});

	it('Snowflake and BigQuery (checked as text: no local server): promoters 9-10 minus detractors 0-6 per UTC month', () => {
		expect(readmeQuery('snowflake', 'trend')).toContain("DATE_TRUNC('month', CONVERT_TIMEZONE('UTC', survey_date)) AS month, AVG(nps_score)");
		expect(readmeQuery('snowflake', 'nps')).toContain('100 * (COUNT_IF(nps_score >= 9) - COUNT_IF(nps_score <= 6)) / COUNT(*)');
		expect(readmeQuery('bigquery', 'trend')).toContain('DATE_TRUNC(DATE(survey_date), MONTH) AS month, AVG(nps_score)');
		expect(readmeQuery('bigquery', 'nps')).toContain('100 * (COUNTIF(nps_score >= 9) - COUNTIF(nps_score <= 6)) / COUNT(*)');
		for (const dialect of ['snowflake', 'bigquery']) {
			for (const kind of ['trend', 'nps'] as const) expect(readmeQuery(dialect, kind)).toMatch(/GROUP BY month ORDER BY month;\n$/);
		}
	});
});
