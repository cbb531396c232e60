import { subjectOf } from '../../../lib/privacy/subject';
import { auditRecord } from '../../../lib/privacy/forget';
import { bigQueryRunner, eraseFromTable, leadsErasable, npsErasable, pgRunner, snowflakeRunner, writeAudit } from '../../../lib/privacy/warehouse';
import { HttpStatusError, type HttpResponse } from '../../../lib/warehouse/http';
import type { PgSession } from '../../../lib/warehouse/postgres';

const maria = subjectOf({ email: 'Maria.Silva+promo@gmail.com', phone: '+55 11 98765-4321' }).subject;

describe('warehouse erasure statements', () => {
	it('Snowflake: candidates by domain, phone and key with positional bindings, then a DELETE of the matching keys only', async () => {
		const sent: Array<{ statement: string; bindings: unknown }> = [];
		const client = {
			execute: async (statement: string, bindings: Record<string, unknown> = {}) => {
				sent.push({ statement, bindings });
				if (!statement.startsWith('SELECT')) return { statementHandle: 'h' };
				return {
					statementHandle: 'h',
					resultSetMetaData: { rowType: [{ name: 'lead_key' }, { name: 'email' }, { name: 'email_match_key' }, { name: 'phone' }] },
					data: [
						['mariasilva@gmail.com', 'maria.silva@gmail.com', 'mariasilva@gmail.com', null],
						['other@gmail.com', 'other@gmail.com', 'other@gmail.com', null],
					],
				};
			},
		};
		const keys = await eraseFromTable(snowflakeRunner(client), leadsErasable('revops.leads'), maria);
		expect(keys).toEqual(['mariasilva@gmail.com']);
		expect(sent[0].statement).toBe(
			'SELECT "lead_key", "email", "email_match_key", "phone" FROM "revops"."leads" WHERE LOWER("email") LIKE ? OR LOWER("email_match_key") LIKE ? OR "phone" = ?',
		);
		expect(sent[0].bindings).toEqual({
			'1': { type: 'TEXT', value: '%@gmail.com' },
			'2': { type: 'TEXT', value: '%@gmail.com' },
			'3': { type: 'TEXT', value: '+5511987654321' },
		});
		expect(sent[1]).toEqual({ statement: 'DELETE FROM "revops"."leads" WHERE "lead_key" IN (?)', bindings: { '1': { type: 'TEXT', value: 'mariasilva@gmail.com' } } });
		expect(sent).toHaveLength(2);
	});

	it('BigQuery: jobs.query with named parameters in the credential dataset; the rows are read by the schema', async () => {
		const requests: Array<{ method: string; path: string; body: Record<string, unknown> }> = [];
		const client = {
			projectPath: '/projects/acme',
			connection: { projectId: 'acme', dataset: 'revops', clientEmail: '', privateKey: '', tokenUri: '' },
			request: async (method: string, path: string, body?: unknown): Promise<HttpResponse> => {
				requests.push({ method, path, body: body as Record<string, unknown> });
				const isSelect = String((body as { query: string }).query).startsWith('SELECT');
				return {
					status: 200,
					headers: {},
					body: isSelect
						? { jobComplete: true, schema: { fields: [{ name: 'response_id' }, { name: 'email' }, { name: 'identity_key' }, { name: 'customer_id' }] }, rows: [{ f: [{ v: 'r1' }, { v: 'M.A.R.I.A.Silva@gmail.com' }, { v: null }, { v: null }] }] }
						: { jobComplete: true },
				};
			},
		};
		const keys = await eraseFromTable(bigQueryRunner(client), npsErasable(), maria);
		expect(keys).toEqual(['r1']);
		expect(requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /projects/acme/queries', 'POST /projects/acme/queries']);
		expect(requests[0].body).toEqual(
			expect.objectContaining({
				query: 'SELECT `response_id`, `email`, `identity_key`, `customer_id` FROM `nps_responses` WHERE LOWER(`email`) LIKE @p1 OR LOWER(`identity_key`) LIKE @p2',
				useLegacySql: false,
				parameterMode: 'NAMED',
				defaultDataset: { projectId: 'acme', datasetId: 'revops' },
			}),
		);
		expect(requests[1].body).toEqual(
			expect.objectContaining({
				query: 'DELETE FROM `nps_responses` WHERE `response_id` IN (@p1)',
				queryParameters: [{ name: 'p1', parameterType: { type: 'STRING' }, parameterValue: { value: 'r1' } }],
			}),
		);
	});

	it('BigQuery and Snowflake: a missing table holds nobody; any other failure is thrown', async () => {
		const failing = (error: Error) => ({ execute: async () => Promise.reject(error) });
		await expect(eraseFromTable(snowflakeRunner(failing(new HttpStatusError("Snowflake: Object 'LEADS' does not exist or not authorized.", 422, '42S02'))), leadsErasable(), maria)).resolves.toEqual([]);
		await expect(eraseFromTable(snowflakeRunner(failing(new HttpStatusError('Snowflake: permission denied', 403))), leadsErasable(), maria)).rejects.toThrow('permission denied');
	});

	it('Redshift: $n placeholders through the PostgreSQL session; the audit table is created in the dialect, then the record inserted', async () => {
		const sent: Array<{ text: string; values?: unknown[] }> = [];
		const session = { query: async (text: string, values?: unknown[]) => (sent.push({ text, values }), []) } as unknown as PgSession;
		const record = auditRecord(maria, 'salt', { warehouse_leads: 1 }, new Date('2026-12-05T00:00:00Z'), 'e1');
		await writeAudit(pgRunner(session, 'redshift'), record);
		expect(sent[0].text).toContain('CREATE TABLE IF NOT EXISTS "privacy_erasures"');
		expect(sent[0].text).toContain('"total_removed" INTEGER NOT NULL');
		expect(sent[1]).toEqual({
			text: 'INSERT INTO "privacy_erasures" ("erasure_id", "subject_hash", "requested_at", "removed", "total_removed") VALUES ($1, $2, $3, $4, $5)',
			values: ['e1', record.subject_hash, '2026-12-05T00:00:00.000Z', '{"warehouse_leads":1}', 1],
		});
	});
});
