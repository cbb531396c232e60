import { BigQueryClient } from '../../../lib/warehouse/bigquery';
import { BigQueryLoadJobWriter, bigQueryMergeSql, bigQueryWritePath, stagingFields } from '../../../lib/warehouse/bigqueryLoadJob';
import { fetchSend, type HttpSend } from '../../../lib/warehouse/http';
import { loadRows } from '../../../lib/warehouse/load';
import { prepareRows, type ConflictPolicy } from '../../../lib/warehouse/rows';
import { settle } from '../../../lib/warehouse/settle';
import { customTable, npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponses } from '../../fixtures/npsResponses';
import { googleCalls, startBigQueryStub, type BigQueryRequest, type BigQueryStub } from '../../support/bigqueryServer';
import { rsaKeyPair } from '../../support/keys';
import { ledgerViolationsOf } from '../../support/vendorLedger';

/** fetch, with a dropped connection reported as n8n's HTTP helpers (axios) report it. */
const send: HttpSend = async (request) => {
	const outcome = await settle(fetchSend(request));
	if (outcome.ok) return outcome.value;
	throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
};

describe('BigQuery load-job writer (against the local BigQuery stand-in checking every request)', () => {
	const keys = rsaKeyPair();
	const clientEmail = 'n8n-loader@acme-analytics.iam.gserviceaccount.com';
	let stub: BigQueryStub;
	const spec = npsResponsesTable({ keepUnknownFields: true, dimensions: ['plan'] });
	const pollWaits: number[] = [];

	beforeEach(async () => {
		stub = await startBigQueryStub({ clientEmail, publicKey: keys.publicKey, project: 'acme-analytics', dataset: 'revops', location: 'europe-west3' });
		pollWaits.length = 0;
	});
	// Every call the client made is a current endpoint of the vendor API ledger.
	afterEach(() => expect(ledgerViolationsOf(googleCalls(stub.requests))).toEqual([]));
	afterEach(() => stub.close());

	function writer(onConflict: ConflictPolicy = 'skip') {
		const client = new BigQueryClient(
			{ clientEmail, privateKey: keys.privateKey, projectId: 'acme-analytics', dataset: 'revops', tokenUri: stub.tokenUri, baseUrl: stub.url },
			send,
		);
		return new BigQueryLoadJobWriter(client, spec, onConflict, {
			intervalMs: 10,
			maxIntervalMs: 40,
			sleep: async (ms) => {
				pollWaits.push(ms);
			},
		});
	}

	async function load(records: Array<Record<string, unknown>>, onConflict: ConflictPolicy = 'skip', batchSize = 50_000) {
		const bigquery = writer(onConflict);
		await bigquery.ensureTable(true);
		const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict });
		return loadRows(bigquery, prepared.rows, { batchSize, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
	}

	const ofKind = (kind: BigQueryRequest['kind']) => stub.requests.filter((request) => request.kind === kind);
	const uploads = () => ofKind('jobs.upload').map((request) => request.upload as NonNullable<BigQueryRequest['upload']>);
	const merges = () => ofKind('jobs.insert').map((request) => (request.body.configuration as { query: { query: string } }).query.query);
	const targetRows = () => [...(stub.tables.get('nps_responses')?.rows.values() ?? [])];

	it('uploads NDJSON into an expiring staging table, polls the job in its location, MERGEs on the key and drops the staging table', async () => {
		stub.jobPolls = 3;
		const result = await load(npsResponses(1200));
		expect(result.stopped).toBeUndefined();
		expect(result.written).toHaveLength(1200);

		expect(stub.requests.map(({ kind }) => kind)).toEqual([
			'token',
			'tables.get',
			'tables.insert',
			'jobs.upload',
			'jobs.get',
			'jobs.get',
			'jobs.get',
			'jobs.insert',
			'jobs.get',
			'jobs.get',
			'jobs.get',
			'tables.delete',
		]);
		for (const request of stub.requests.slice(1)) expect(request.headers.authorization).toMatch(/^Bearer stub-/);
		expect(pollWaits).toEqual([10, 20, 10, 20]);

		const [upload] = uploads();
		expect(ofKind('jobs.upload')[0].headers['content-type']).toMatch(/^multipart\/related; boundary=revops_/);
		const jobId = (upload.configuration.jobReference as { jobId: string }).jobId;
		expect(upload.configuration.jobReference).toEqual({ projectId: 'acme-analytics', jobId, location: 'europe-west3' });
		expect(jobId).toMatch(/^revops_load_[0-9a-f]{12}_[0-9a-f]{16}$/);
		const loadConfig = (upload.configuration.configuration as { load: Record<string, unknown> }).load;
		const staging = (loadConfig.destinationTable as { tableId: string }).tableId;
		expect(staging).toBe(jobId.replace('revops_load_', '_revops_stage_'));
		expect(loadConfig).toMatchObject({
			destinationTable: { projectId: 'acme-analytics', datasetId: 'revops', tableId: staging },
			sourceFormat: 'NEWLINE_DELIMITED_JSON',
			createDisposition: 'CREATE_IF_NEEDED',
			writeDisposition: 'WRITE_TRUNCATE',
			// Bad rows are skipped and named, the rest loaded.
			maxBadRecords: 1200,
		});
		const expiresIn = Date.parse((loadConfig.destinationTableProperties as { expirationTime: string }).expirationTime) - Date.now();
		expect(expiresIn).toBeGreaterThan(23 * 3600_000);
		expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
		expect((loadConfig.schema as { fields: unknown[] }).fields).toEqual(
			expect.arrayContaining([
				{ name: 'response_id', type: 'STRING', mode: 'REQUIRED' },
				{ name: 'nps_score', type: 'INT64', mode: 'REQUIRED' },
				// JSON columns are staged as text and parsed by the MERGE.
				{ name: 'themes', type: 'STRING', mode: 'NULLABLE' },
			]),
		);
		const lines = upload.data.split('\n');
		expect(lines).toHaveLength(1201);
		expect(lines.at(-1)).toBe('');
		expect(JSON.parse(lines[0])).toMatchObject({ response_id: 'resp-0', nps_score: 0, themes: '["pricing"]', plan: 'free' });

		const jobGets = ofKind('jobs.get').map(({ path }) => path);
		expect(jobGets[0]).toBe(`/bigquery/v2/projects/acme-analytics/jobs/${jobId}?location=europe-west3`);
		const mergeRequest = ofKind('jobs.insert')[0].body;
		expect(mergeRequest.jobReference).toEqual({ projectId: 'acme-analytics', jobId: jobId.replace('revops_load_', 'revops_merge_'), location: 'europe-west3' });
		expect(mergeRequest.configuration).toMatchObject({ query: { useLegacySql: false, defaultDataset: { projectId: 'acme-analytics', datasetId: 'revops' } } });
		expect(merges()[0]).toBe(bigQueryMergeSql(spec, staging, 'skip', stub.tables.get('nps_responses')?.fields ?? []));
		expect(merges()[0]).not.toContain('WHEN MATCHED');
		expect(ofKind('tables.delete')[0].path).toBe(`/bigquery/v2/projects/acme-analytics/datasets/revops/tables/${staging}`);

		expect(stub.tables.has(staging)).toBe(false);
		expect(targetRows()).toHaveLength(1200);
		expect(stub.tables.get('nps_responses')?.rows.get('resp-3')).toMatchObject({ response_id: 'resp-3', nps_score: 10, themes: ['performance', 'pricing'] });
	});

	it('adds zero rows when the execution is replayed, and with Update overwrites the stored rows', async () => {
		await load(npsResponses(300));
		await load(npsResponses(300));
		expect(targetRows()).toHaveLength(300);
		const [first, second] = uploads().map(({ configuration }) => (configuration.jobReference as { jobId: string }).jobId);
		// Each run names its own jobs: BigQuery would refuse (409) the replay's jobs under the first run's ids.
		expect(second).not.toBe(first);

		const changed = npsResponses(300).map((record) => ({ ...record, nps_segment: 'changed' }));
		const result = await load(changed, 'update');
		expect(result.written).toHaveLength(300);
		expect(targetRows()).toHaveLength(300);
		expect(targetRows().every((row) => row.nps_segment === 'changed')).toBe(true);
		const update = merges()[2];
		expect(update).toContain('WHEN MATCHED THEN UPDATE SET `provider` = s.`provider`, ');
		expect(update).toContain('`themes` = PARSE_JSON(s.`themes`)');
		expect(update).not.toContain('`response_id` = s.`response_id`,');
	});

	it('sends the rows a load job skips to Failed with BigQuery\'s reason, and merges the rest in one go', async () => {
		const records: Array<Record<string, unknown>> = npsResponses(20);
		records[6] = { ...records[6], nps_score: 'six' };
		records[12] = { ...records[12], survey_date: 'yesterday' };
		const result = await load(records);
		expect(result.rejected.map(({ row, reason }) => [row.index, reason])).toEqual([
			[6, 'BigQuery: Cannot convert value to integer (bad value): six. Field: nps_score; Value: six'],
			[12, "BigQuery: Couldn't convert value to timestamp: yesterday. Field: survey_date; Value: yesterday"],
		]);
		expect(result.written).toHaveLength(18);
		expect(targetRows()).toHaveLength(18);
		expect((uploads()[0].configuration.configuration as { load: { maxBadRecords: number } }).load.maxBadRecords).toBe(20);
		expect(uploads()).toHaveLength(1);
		expect(merges()).toHaveLength(1);
	});

	it('loads again without the named rows while BigQuery skipped more rows than it named', async () => {
		stub.loadErrorsListed = 1;
		const records: Array<Record<string, unknown>> = npsResponses(20);
		for (const index of [3, 8, 15]) records[index] = { ...records[index], nps_score: 'n/a' };
		const result = await load(records);
		expect(result.rejected.map(({ row }) => row.index)).toEqual([3, 8, 15]);
		expect(result.written).toHaveLength(17);
		expect(targetRows()).toHaveLength(17);
		expect(uploads().map(({ data }) => data.split('\n').length - 1)).toEqual([20, 19, 18]);
		// The two incomplete loads' staging tables are dropped unmerged.
		expect(merges()).toHaveLength(1);
		expect(ofKind('tables.delete')).toHaveLength(3);
		expect([...stub.tables.keys()]).toEqual(['nps_responses']);
	});

	it('gives up on a batch after ten loads that each leave bad rows unnamed, reporting every row as not written', async () => {
		stub.loadErrorsListed = 1;
		const records = npsResponses(30).map((record, index) => (index < 12 ? { ...record, survey_date: 'soon' } : record));
		const result = await load(records);
		expect(uploads()).toHaveLength(10);
		expect(String(result.stopped?.error)).toMatch(/BigQuery load job revops_load_\w+ failed: 3 rows refused, 1 of them named; .*Value: soon/);
		expect(result.stopped?.unwritten).toHaveLength(30);
		expect(targetRows()).toHaveLength(0);
	});

	it('fails the whole load clearly when the job fails without naming a row, without retrying it', async () => {
		const message = 'Access Denied: Table acme-analytics:revops._revops_stage: Permission bigquery.tables.updateData denied';
		stub.jobFailures.push({ kind: 'load', errorResult: { reason: 'accessDenied', message } });
		const result = await load(npsResponses(5));
		expect(result.written).toHaveLength(0);
		expect(result.stopped?.unwritten).toHaveLength(5);
		expect(String(result.stopped?.error)).toMatch(new RegExp(`BigQuery load job revops_load_\\w+ failed: ${message}`));
		expect(uploads()).toHaveLength(1);
		expect(ofKind('jobs.insert')).toHaveLength(0);
	});

	it('fails clearly when the MERGE job fails, and still drops the staging table', async () => {
		stub.jobFailures.push({ kind: 'query', errorResult: { reason: 'invalidQuery', message: 'Query error: Cannot query over table without a filter' } });
		const result = await load(npsResponses(5));
		expect(String(result.stopped?.error)).toMatch(/^Error: BigQuery MERGE job revops_merge_\w+ failed: Query error: Cannot query over table without a filter$/);
		expect(targetRows()).toHaveLength(0);
		expect(ofKind('tables.delete')).toHaveLength(1);
		expect([...stub.tables.keys()]).toEqual(['nps_responses']);
	});

	it('retries a 429 (honouring Retry-After) and a 503 while polling, without uploading the batch again', async () => {
		stub.failNext.push({ kind: 'jobs.upload', status: 429, retryAfter: '0' }, { kind: 'jobs.get', status: 503 });
		stub.jobPolls = 2;
		const result = await load(npsResponses(40));
		expect(result.written).toHaveLength(40);
		expect(targetRows()).toHaveLength(40);
		// The 429 had no effect; after the 503 the writer goes on polling the job it started.
		expect(uploads()).toHaveLength(2);
		expect([...stub.jobs.values()].map(({ kind }) => kind)).toEqual(['load', 'query']);
	});

	it('after a lost answer (a timeout), follows the job it had in fact started instead of starting another', async () => {
		stub.loseAnswerOf.push('jobs.upload', 'jobs.insert');
		const result = await load(npsResponses(30));
		expect(result.written).toHaveLength(30);
		expect(targetRows()).toHaveLength(30);
		const loadIds = uploads().map(({ configuration }) => (configuration.jobReference as { jobId: string }).jobId);
		const mergeIds = ofKind('jobs.insert').map(({ body }) => (body.jobReference as { jobId: string }).jobId);
		// Each sent twice under the same id; BigQuery (the stand-in) answered the second 409 Already Exists.
		expect(loadIds).toHaveLength(2);
		expect(new Set(loadIds).size).toBe(1);
		expect(mergeIds).toHaveLength(2);
		expect(new Set(mergeIds).size).toBe(1);
		expect(stub.jobs.size).toBe(2);
	});

	it('starts a fresh job when BigQuery fails one with a transient reason', async () => {
		stub.jobFailures.push({ kind: 'load', errorResult: { reason: 'backendError', message: 'Backend error. Job aborted.' } });
		const result = await load(npsResponses(10));
		expect(result.written).toHaveLength(10);
		const loadIds = uploads().map(({ configuration }) => (configuration.jobReference as { jobId: string }).jobId);
		expect(loadIds).toHaveLength(2);
		expect(loadIds[1]).toBe(`${loadIds[0]}_1`);
	});
});

describe('BigQuery load-job SQL and path choice', () => {
	const accounts = customTable({
		table: 'accounts',
		keepUnknownFields: false,
		columns: [
			{ column: 'org_id', type: 'text' },
			{ column: 'account_id', type: 'text' },
			{ column: 'mrr', type: 'number' },
			{ column: 'tags', type: 'json' },
			{ column: 'meta', type: 'json' },
		],
		key: ['org_id', 'account_id'],
	});
	// An existing table whose `meta` column someone made STRING: the MERGE must not parse it.
	const existing = [
		{ name: 'org_id', type: 'STRING', mode: 'REQUIRED' },
		{ name: 'account_id', type: 'STRING', mode: 'REQUIRED' },
		{ name: 'mrr', type: 'FLOAT' },
		{ name: 'tags', type: 'JSON' },
		{ name: 'meta', type: 'STRING' },
	];

	it('merges on a composite key with every name quoted and JSON parsed only into JSON columns', () => {
		expect(bigQueryMergeSql(accounts, '_revops_stage_abc', 'update', existing)).toBe(
			[
				'MERGE `accounts` AS t',
				'USING `_revops_stage_abc` AS s',
				'ON t.`org_id` = s.`org_id` AND t.`account_id` = s.`account_id`',
				'WHEN MATCHED THEN UPDATE SET `mrr` = s.`mrr`, `tags` = PARSE_JSON(s.`tags`), `meta` = s.`meta`',
				'WHEN NOT MATCHED THEN INSERT (`org_id`, `account_id`, `mrr`, `tags`, `meta`) VALUES (s.`org_id`, s.`account_id`, s.`mrr`, PARSE_JSON(s.`tags`), s.`meta`)',
			].join('\n'),
		);
		expect(() => bigQueryMergeSql(accounts, 'stage`; DROP TABLE accounts; --', 'skip', existing)).toThrow(/is not a valid name/);
	});

	it('stages with the target\'s own types and modes, JSON as STRING', () => {
		expect(stagingFields(accounts, existing)).toEqual([
			{ name: 'org_id', type: 'STRING', mode: 'REQUIRED' },
			{ name: 'account_id', type: 'STRING', mode: 'REQUIRED' },
			{ name: 'mrr', type: 'FLOAT', mode: 'NULLABLE' },
			{ name: 'tags', type: 'STRING', mode: 'NULLABLE' },
			{ name: 'meta', type: 'STRING', mode: 'NULLABLE' },
		]);
	});

	it('chooses streaming for small skip loads and a load job above the threshold, for Update, or when asked', () => {
		expect(bigQueryWritePath('auto', 'skip', 10_000, 10_000)).toBe('streaming');
		expect(bigQueryWritePath('auto', 'skip', 10_001, 10_000)).toBe('loadJob');
		expect(bigQueryWritePath('auto', 'update', 1, 10_000)).toBe('loadJob');
		expect(bigQueryWritePath('loadJob', 'skip', 1, 10_000)).toBe('loadJob');
		expect(bigQueryWritePath('streaming', 'skip', 1_000_000, 10_000)).toBe('streaming');
		expect(() => bigQueryWritePath('streaming', 'update', 1, 10_000)).toThrow(
			'BigQuery streaming inserts cannot update stored rows: set On Existing Key to Skip, or BigQuery Write Method to Load Job or Auto',
		);
	});
});
