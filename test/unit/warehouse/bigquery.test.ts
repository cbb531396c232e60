import { BigQueryClient, BigQueryWriter, insertAllRequests, parseServiceAccount } from '../../../lib/warehouse/bigquery';
import { HttpStatusError, fetchSend } from '../../../lib/warehouse/http';
import { loadRows } from '../../../lib/warehouse/load';
import { prepareRows } from '../../../lib/warehouse/rows';
import { npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponses } from '../../fixtures/npsResponses';
import { googleCalls, startBigQueryStub, type BigQueryStub } from '../../support/bigqueryServer';
import { rsaKeyPair } from '../../support/keys';
import { ledgerViolationsOf } from '../../support/vendorLedger';

describe('BigQuery insertAll writer (against a local OAuth + BigQuery stand-in checking every request)', () => {
	const keys = rsaKeyPair();
	const clientEmail = 'n8n-loader@acme-analytics.iam.gserviceaccount.com';
	let stub: BigQueryStub;
	const spec = npsResponsesTable({ keepUnknownFields: true, dimensions: ['plan'] });

	beforeEach(async () => {
		stub = await startBigQueryStub({ clientEmail, publicKey: keys.publicKey, project: 'acme-analytics', dataset: 'revops' });
	});
	// Every call the client made is a current endpoint of the vendor API ledger.
	afterEach(() => expect(ledgerViolationsOf(googleCalls(stub.requests))).toEqual([]));
	afterEach(() => stub.close());

	function writer(privateKey = keys.privateKey) {
		const client = new BigQueryClient(
			{ clientEmail, privateKey, projectId: 'acme-analytics', dataset: 'revops', tokenUri: stub.tokenUri, baseUrl: stub.url },
			fetchSend,
		);
		return new BigQueryWriter(client, spec);
	}

	async function load(records: Array<Record<string, unknown>>, batchSize = 5000) {
		const bigquery = writer();
		await bigquery.ensureTable(true);
		const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict: 'skip' });
		return loadRows(bigquery, prepared.rows, { batchSize, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
	}

	const inserts = () => stub.requests.filter((request) => request.path.endsWith('/insertAll'));

	it('exchanges a service-account JWT for a token, creates the table, streams at most 500 rows per request with insertId = response_id', async () => {
		const result = await load(npsResponses(1200));
		expect(result.written).toHaveLength(1200);
		expect(stub.requests[0].path).toBe('/token');
		expect(stub.requests.filter((request) => request.path === '/token')).toHaveLength(1);
		expect(inserts().map((request) => (request.body.rows as unknown[]).length)).toEqual([500, 500, 200]);
		const first = (inserts()[0].body.rows as Array<{ insertId: string; json: Record<string, unknown> }>)[0];
		expect(first.insertId).toBe('resp-0');
		expect(first.json).toMatchObject({ response_id: 'resp-0', nps_score: 0, themes: '["pricing"]', plan: 'free' });
		const created = stub.requests.find((request) => request.method === 'POST' && request.path.endsWith('/tables'));
		expect((created?.body.schema as { fields: unknown[] }).fields).toEqual(
			expect.arrayContaining([
				{ name: 'response_id', type: 'STRING', mode: 'REQUIRED' },
				{ name: 'survey_date', type: 'TIMESTAMP', mode: 'REQUIRED' },
				{ name: 'themes', type: 'JSON', mode: 'NULLABLE' },
			]),
		);
	});

	it('adds zero rows when the execution is replayed (insertId)', async () => {
		await load(npsResponses(300));
		await load(npsResponses(300));
		expect(stub.tables.get('nps_responses')?.rows.size).toBe(300);
	});

	it('keeps requests under 9 MB', () => {
		const big = prepareRows(npsResponses(400).map((record) => ({ ...record, comment: 'x'.repeat(50_000) })), spec, { unknownFields: 'keep', onConflict: 'skip' });
		const requests = insertAllRequests(spec, big.rows);
		expect(requests.length).toBeGreaterThan(2);
		for (const { body } of requests) expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(9 * 1024 * 1024);
		expect(requests.reduce((sum, { rows }) => sum + rows.length, 0)).toBe(400);
	});

	it('retries 429 and 503 and reports the rows BigQuery refuses while the others are inserted', async () => {
		stub.failNextInserts.push({ status: 429, retryAfter: '0' }, { status: 503 });
		const records: Array<Record<string, unknown>> = npsResponses(20);
		records[6] = { ...records[6], nps_score: 'six' };
		const result = await load(records);
		expect(result.rejected.map(({ row, reason }) => [row.index, reason])).toEqual([[6, 'BigQuery: nps_score: Cannot convert value to integer (bad value): six']]);
		expect(result.written).toHaveLength(19);
		expect(stub.tables.get('nps_responses')?.rows.size).toBe(19);
		expect(inserts()).toHaveLength(3);
	});

	it('fails on a key Google refuses, with its message and without retrying', async () => {
		const error = await writer(rsaKeyPair().privateKey).ensureTable(true).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(HttpStatusError);
		expect((error as Error).message).toBe('Google OAuth: Invalid JWT Signature.');
		expect(writer().isTransient(error)).toBe(false);
	});

	it('reads the pasted service-account key file', () => {
		const file = JSON.stringify({ type: 'service_account', project_id: 'p', client_email: 'e@p.iam.gserviceaccount.com', private_key: 'k', token_uri: 'https://oauth2.googleapis.com/token' });
		expect(parseServiceAccount(file)).toEqual({ clientEmail: 'e@p.iam.gserviceaccount.com', privateKey: 'k', projectId: 'p', tokenUri: 'https://oauth2.googleapis.com/token' });
		expect(() => parseServiceAccount('{"project_id":"p"}')).toThrow('The service account key has no client_email');
	});
});
