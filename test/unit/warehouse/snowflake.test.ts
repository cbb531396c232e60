import { HttpStatusError, fetchSend } from '../../../lib/warehouse/http';
import { loadRows } from '../../../lib/warehouse/load';
import { prepareRows, type ConflictPolicy } from '../../../lib/warehouse/rows';
import { SnowflakeClient, SnowflakeWriter, snowflakeMergeSql, snowflakeSpec } from '../../../lib/warehouse/snowflake';
import { npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponse, npsResponses } from '../../fixtures/npsResponses';
import { rsaKeyPair } from '../../support/keys';
import { startSnowflakeStub, type SnowflakeStub } from '../../support/snowflakeServer';
import { ledgerViolationsOf } from '../../support/vendorLedger';

describe('Snowflake SQL API v2 writer (against a local stand-in checking every request)', () => {
	const keys = rsaKeyPair();
	let stub: SnowflakeStub;
	const spec = npsResponsesTable({ keepUnknownFields: true, dimensions: ['plan'] });

	beforeEach(async () => {
		stub = await startSnowflakeStub({ account: 'myorg-acct', user: 'n8n_loader', publicKey: keys.publicKey });
	});
	// Every call the client made is a current endpoint of the vendor API ledger.
	afterEach(() => expect(ledgerViolationsOf(stub.requests.map((request) => ({ ...request, host: 'acme.snowflakecomputing.com' })))).toEqual([]));
	afterEach(() => stub.close());

	function client() {
		return new SnowflakeClient(
			{ account: 'myorg-acct', user: 'n8n_loader', privateKey: keys.privateKey, database: 'ANALYTICS', schema: 'PUBLIC', warehouse: 'LOADING', baseUrl: stub.url },
			fetchSend,
			async () => undefined,
		);
	}

	async function load(records: Array<Record<string, unknown>>, onConflict: ConflictPolicy = 'skip', batchSize = 100) {
		const writer = new SnowflakeWriter(client(), spec, onConflict);
		await writer.ensureTable(true);
		const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict });
		return loadRows(writer, prepared.rows, { batchSize, retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 5 } });
	}

	const merges = () => stub.requests.filter((request) => request.body.statement?.startsWith('MERGE'));

	it('creates the table, sends one authenticated MERGE per batch, and a replay adds zero rows', async () => {
		const records = npsResponses(250);
		expect((await load(records)).written).toHaveLength(250);
		expect(merges()).toHaveLength(3);
		for (const request of stub.requests) {
			expect(request.headers['x-snowflake-authorization-token-type']).toBe('KEYPAIR_JWT');
			expect(request.body).toMatchObject({ database: 'ANALYTICS', schema: 'PUBLIC', warehouse: 'LOADING' });
		}
		const batches = merges().map((request) => JSON.parse(String(request.body.bindings?.['1'].value)) as unknown[][]);
		expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
		expect(batches[0][0].slice(0, 3)).toEqual(['resp-0', 'delighted', 'survey-0']);
		expect(stub.requests[1].body.statement).toMatch(/^CREATE TABLE IF NOT EXISTS "NPS_RESPONSES" \(\n\t"RESPONSE_ID" VARCHAR NOT NULL,/);

		await load(records);
		expect(stub.tables.get('NPS_RESPONSES')?.rows.size).toBe(250);
	});

	it('updates existing keys only when asked to', async () => {
		await load([npsResponse(1)]);
		await load([npsResponse(1, { nps_score: 0, nps_segment: 'detractor' })], 'skip');
		const table = () => stub.tables.get('NPS_RESPONSES')!;
		const score = () => table().rows.get('["resp-1"]')![table().columns.indexOf('NPS_SCORE')];
		expect(score()).toBe(7);
		await load([npsResponse(1, { nps_score: 0, nps_segment: 'detractor' })], 'update');
		expect(score()).toBe(0);
	});

	it('retries 429 honouring Retry-After and follows 202 to the result', async () => {
		stub.failNextMerges.push({ status: 429, retryAfter: '0' }, { status: 503 });
		stub.deferNextMerge = true;
		const result = await load(npsResponses(10));
		expect(result.written).toHaveLength(10);
		expect(merges()).toHaveLength(3);
		expect(stub.requests.filter((request) => request.method === 'GET')).toHaveLength(1);
	});

	it('isolates a refused row (SQLSTATE 22018) while the rest of the batch merges', async () => {
		const records: Array<Record<string, unknown>> = npsResponses(40);
		records[13] = { ...records[13], nps_score: 'ten' };
		const result = await load(records, 'skip', 40);
		expect(result.rejected.map(({ row, reason }) => [row.index, reason])).toEqual([[13, "Snowflake: Numeric value 'ten' is not recognized"]]);
		expect(stub.tables.get('NPS_RESPONSES')?.rows.size).toBe(39);
	});

	it('refuses with the service message on a wrong key, without retrying', async () => {
		const other = rsaKeyPair();
		const wrong = new SnowflakeClient(
			{ account: 'myorg-acct', user: 'n8n_loader', privateKey: other.privateKey, database: 'ANALYTICS', schema: 'PUBLIC', baseUrl: stub.url },
			fetchSend,
		);
		const error = await new SnowflakeWriter(wrong, spec, 'skip').ensureTable(true).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(HttpStatusError);
		expect((error as HttpStatusError).message).toBe('Snowflake: JWT token is invalid: JWT signature does not verify');
		expect(new SnowflakeWriter(wrong, spec, 'skip').isTransient(error)).toBe(false);
	});

	it('builds a MERGE over the bound batch with upper-case quoted names and typed casts', () => {
		const sql = snowflakeMergeSql(snowflakeSpec(spec), 'update');
		expect(sql).toMatch(/^MERGE INTO "NPS_RESPONSES" AS target USING \(SELECT r\.value\[0\]::VARCHAR AS "RESPONSE_ID", /);
		expect(sql).toContain('r.value[8]::NUMBER(38,0) AS "NPS_SCORE"');
		expect(sql).toContain('PARSE_JSON(r.value[10]::VARCHAR) AS "THEMES"');
		expect(sql).toContain('FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS r) AS s ON target."RESPONSE_ID" = s."RESPONSE_ID"');
		expect(sql).toContain('WHEN MATCHED THEN UPDATE SET target."PROVIDER" = s."PROVIDER"');
		expect(snowflakeMergeSql(snowflakeSpec(spec), 'skip')).not.toContain('WHEN MATCHED');
	});
});
