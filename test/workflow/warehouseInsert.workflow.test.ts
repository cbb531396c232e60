import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { npsResponse, npsResponses } from '../fixtures/npsResponses';
import { pgConnection, useScratchSchema } from '../support/postgres';
import { startBigQueryStub, type BigQueryStub } from '../support/bigqueryServer';
import { rsaKeyPair } from '../support/keys';
import { startSnowflakeStub, type SnowflakeStub } from '../support/snowflakeServer';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const WAREHOUSE = 'n8n-nodes-revops.warehouseInsert';

function workflow(parameters: Record<string, unknown>, credentialType?: string) {
	const warehouse = node('Warehouse Insert', WAREHOUSE, parameters as never);
	if (credentialType) warehouse.credentials = { [credentialType]: { id: '1', name: 'warehouse' } };
	return { nodes: [node('Input', INPUT_NODE_TYPE), warehouse], connections: chain([['Input', 'Warehouse Insert']]) };
}

/** Canonical records as the plain JSON items n8n passes around. */
const asItems = (records: object[]) => records as IDataObject[];

const NPS_DEFAULTS = { tableKind: 'nps', onConflict: 'skip', unknownFields: 'keep', createTable: true, options: {} };

describe('Warehouse Insert inside the n8n engine: SQLite', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'warehouse-node-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('writes NPS responses to Written, refused ones to Failed with SQLite\'s reason, keeping pairedItem', async () => {
		const file = path.join(dir, 'nps.sqlite');
		const items: Array<Record<string, unknown>> = npsResponses(6);
		items[2] = { ...items[2], nps_score: 42 };
		const run = await runWorkflow(workflow({ ...NPS_DEFAULTS, target: 'sqlite', databaseFile: file, dimensions: 'plan, region' }), asItems(items));
		expect(run.error).toBeUndefined();
		expect(run.output('Warehouse Insert', 0).map((item) => item.pairedItem)).toEqual([0, 1, 3, 4, 5].map((index) => ({ item: index })));
		const [failed] = run.output('Warehouse Insert', 1);
		expect(failed.pairedItem).toEqual({ item: 2 });
		expect(failed.json).toMatchObject({ error: expect.stringMatching(/CHECK constraint failed/), row: { response_id: 'resp-2', nps_score: 42 } });

		const replay = await runWorkflow(workflow({ ...NPS_DEFAULTS, target: 'sqlite', databaseFile: file, dimensions: 'plan, region' }), asItems(items));
		expect(replay.output('Warehouse Insert', 0)).toHaveLength(5);
		const db = openSqlite(file);
		expect(db.prepare('SELECT count(*) AS n, count(DISTINCT region) AS regions FROM nps_responses').get()).toEqual({ n: 5, regions: 3 });
		db.close();
	});

	it('defaults the database file to the n8n user folder', async () => {
		const previous = process.env.N8N_USER_FOLDER;
		process.env.N8N_USER_FOLDER = dir;
		try {
			const run = await runWorkflow(workflow({ ...NPS_DEFAULTS, target: 'sqlite', databaseFile: '' }), asItems([npsResponse(1)]));
			expect(run.output('Warehouse Insert', 0)).toHaveLength(1);
			expect(existsSync(path.join(dir, '.n8n', 'revops-warehouse.sqlite'))).toBe(true);
		} finally {
			if (previous === undefined) delete process.env.N8N_USER_FOLDER;
			else process.env.N8N_USER_FOLDER = previous;
		}
	});

	it('reports unknown fields as failures naming them, when chosen', async () => {
		const run = await runWorkflow(
			workflow({ ...NPS_DEFAULTS, target: 'sqlite', databaseFile: path.join(dir, 'x.sqlite'), unknownFields: 'fail' }),
			asItems([npsResponse(1), { ...npsResponse(2), utm_campaign: 'spring' }]),
		);
		expect(run.output('Warehouse Insert', 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(run.output('Warehouse Insert', 1)[0].json.error).toBe("Unknown field 'utm_campaign': the table has no column for it");
	});

	it('loads a custom table through its column mapping; an item repeating a key shares its row', async () => {
		const file = path.join(dir, 'custom.sqlite');
		const run = await runWorkflow(
			workflow({
				target: 'sqlite',
				databaseFile: file,
				tableKind: 'custom',
				customTableName: 'accounts',
				columns: { column: [{ column: 'account_id', type: 'text', field: 'id' }, { column: 'mrr', type: 'number', field: 'billing.mrr' }] },
				keyColumns: 'account_id',
				onConflict: 'update',
				unknownFields: 'ignore',
				createTable: true,
				options: { batchSize: 1 },
			}),
			[{ id: 'a', billing: { mrr: 10 } }, { id: 'b', billing: { mrr: 20 } }, { id: 'a', billing: { mrr: 15 } }],
		);
		expect(run.output('Warehouse Insert', 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const db = openSqlite(file);
		expect(db.prepare('SELECT account_id, mrr FROM accounts ORDER BY 1').all()).toEqual([
			{ account_id: 'a', mrr: 15 },
			{ account_id: 'b', mrr: 20 },
		]);
		db.close();
	});

	it('fails the node on an invalid table name instead of building SQL with it', async () => {
		const run = await runWorkflow(
			workflow({ ...NPS_DEFAULTS, target: 'sqlite', databaseFile: path.join(dir, 'x.sqlite'), tableName: 'nps; DROP TABLE users' }),
			asItems([npsResponse(1)]),
		);
		expect(run.error).toMatch(/Table 'nps; DROP TABLE users' is not a valid name/);
	});
});

describe('Warehouse Insert inside the n8n engine: PostgreSQL', () => {
	const { schema, admin } = useScratchSchema('node');
	// The server trusts local connections, so any value works; the test checks it never shows up.
	const credentialMarker = 'Sup3r-Secret-Pa55';
	const credentials = { warehousePostgresApi: { ...pgConnection(), password: credentialMarker } };
	const pgParameters = { ...NPS_DEFAULTS, target: 'postgres', tableName: `${schema}.nps_responses`, dimensions: 'plan' };


	it('loads in batches, routes refused rows with PostgreSQL\'s reason, and a replay adds zero rows', async () => {
		const items: Array<Record<string, unknown>> = npsResponses(1200);
		items[7] = { ...items[7], survey_date: '2026-02-30T00:00:00Z' };
		const parameters = { ...pgParameters, options: { batchSize: 500 } };
		const run = await runWorkflow(workflow(parameters, 'warehousePostgresApi'), asItems(items), { credentials });
		expect(run.error).toBeUndefined();
		const written = run.output('Warehouse Insert', 0);
		expect(written).toHaveLength(1199);
		expect(written[7].pairedItem).toEqual({ item: 8 });
		const failed = run.output('Warehouse Insert', 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 7 }]);
		expect(failed[0].json.error).toMatch(/date\/time field value out of range: "2026-02-30T00:00:00Z"/);

		const replay = await runWorkflow(workflow(parameters, 'warehousePostgresApi'), asItems(items), { credentials });
		expect(replay.output('Warehouse Insert', 0)).toHaveLength(1199);
		expect((await admin().query(`SELECT count(*)::int AS n FROM ${schema}.nps_responses`)).rows[0].n).toBe(1199);
	});

	it('fails with the database\'s reason, never the password, when the table is missing and may not be created', async () => {
		const run = await runWorkflow(
			workflow({ ...pgParameters, tableName: `${schema}.absent`, createTable: false }, 'warehousePostgresApi'),
			asItems([npsResponse(1)]),
			{ credentials },
		);
		expect(run.error).toMatch(/Table '.*\.absent' does not exist/);
		expect(JSON.stringify(run.run.data.resultData)).not.toContain(credentialMarker);
	});

	it('with Continue On Fail, routes every unwritten item to Failed when the server cannot be reached', async () => {
		const unreachable = { warehousePostgresApi: { ...credentials.warehousePostgresApi, port: 1 } };
		const flow = workflow({ ...pgParameters, options: { retries: 1 } }, 'warehousePostgresApi');
		flow.nodes[1].continueOnFail = true;
		const run = await runWorkflow(flow, asItems([npsResponse(1), npsResponse(2)]), { credentials: unreachable });
		const failed = run.output('Warehouse Insert', 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failed[0].json.error).toMatch(/^Not written: .*ECONNREFUSED/);
	});
});

describe('Warehouse Insert inside the n8n engine: Snowflake through n8n HTTP helpers', () => {
	const keys = rsaKeyPair();
	let stub: SnowflakeStub;
	beforeEach(async () => {
		stub = await startSnowflakeStub({ account: 'myorg-acct', user: 'n8n_loader', publicKey: keys.publicKey });
	});
	afterEach(() => stub.close());

	it('merges in batches with key-pair JWT auth, routes a refused row to Failed, and survives a 429', async () => {
		const credentials = {
			warehouseSnowflakeApi: { account: 'myorg-acct', user: 'n8n_loader', privateKey: keys.privateKey, database: 'ANALYTICS', schema: 'PUBLIC', baseUrl: stub.url },
		};
		const items: Array<Record<string, unknown>> = npsResponses(30);
		items[4] = { ...items[4], survey_date: 'yesterday' };
		stub.failNextMerges.push({ status: 429, retryAfter: '1' });
		const flow = workflow({ ...NPS_DEFAULTS, target: 'snowflake', options: { batchSize: 10 } }, 'warehouseSnowflakeApi');
		const run = await runWorkflow(flow, asItems(items), { credentials });
		expect(run.error).toBeUndefined();
		expect(run.output('Warehouse Insert', 0)).toHaveLength(29);
		const failed = run.output('Warehouse Insert', 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 4 }]);
		expect(failed[0].json.error).toBe("Snowflake: Timestamp 'yesterday' is not recognized");
		expect(stub.tables.get('NPS_RESPONSES')?.rows.size).toBe(29);
		const merges = stub.requests.filter((request) => request.body.statement?.startsWith('MERGE'));
		// Batch 1: 429, then refused, then split around item 4: [0-4] [0-2] [3-4] [3] [4] [5-9]; batches 2 and 3 once each.
		const sizes = merges.map((request) => (JSON.parse(String(request.body.bindings?.['1'].value)) as unknown[]).length);
		expect(sizes).toEqual([10, 10, 5, 3, 2, 1, 1, 5, 10, 10]);
		expect(JSON.stringify(run.run.data.resultData)).not.toContain('PRIVATE KEY');
	});
});

describe('Warehouse Insert inside the n8n engine: BigQuery through n8n HTTP helpers', () => {
	const keys = rsaKeyPair();
	const clientEmail = 'n8n-loader@acme-analytics.iam.gserviceaccount.com';
	let stub: BigQueryStub;
	beforeEach(async () => {
		stub = await startBigQueryStub({ clientEmail, publicKey: keys.publicKey, project: 'acme-analytics', dataset: 'revops' });
	});
	afterEach(() => stub.close());

	const credentials = () => ({
		warehouseBigQueryApi: {
			privateKeyJson: JSON.stringify({ type: 'service_account', project_id: 'acme-analytics', client_email: clientEmail, private_key: keys.privateKey, token_uri: stub.tokenUri }),
			dataset: 'revops',
			baseUrl: stub.url,
		},
	});

	it('streams with insertId, routes refused rows to Failed, and a replay adds zero rows', async () => {
		const items: Array<Record<string, unknown>> = npsResponses(700);
		items[650] = { ...items[650], nps_score: 'n/a' };
		const flow = workflow({ ...NPS_DEFAULTS, target: 'bigquery' }, 'warehouseBigQueryApi');
		const run = await runWorkflow(flow, asItems(items), { credentials: credentials() });
		expect(run.error).toBeUndefined();
		expect(run.output('Warehouse Insert', 0)).toHaveLength(699);
		expect(run.output('Warehouse Insert', 1).map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 650 }, 'BigQuery: nps_score: Cannot convert value to integer (bad value): n/a'],
		]);
		await runWorkflow(flow, asItems(items), { credentials: credentials() });
		expect(stub.tables.get('nps_responses')?.rows.size).toBe(699);
		const sizes = stub.requests.filter((request) => request.path.endsWith('/insertAll')).map((request) => (request.body.rows as unknown[]).length);
		expect(sizes).toEqual([500, 200, 500, 200]);
		expect(JSON.stringify(run.run.data.resultData)).not.toContain('PRIVATE KEY');
	});

	it('with On Existing Key Update, loads through a job and MERGE: refused rows to Failed, a retried 429 and a lost answer, replay adds zero rows', async () => {
		const items: Array<Record<string, unknown>> = npsResponses(30);
		items[9] = { ...items[9], nps_score: 'nine' };
		stub.jobPolls = 2;
		stub.failNext.push({ kind: 'jobs.get', status: 429, retryAfter: '0' });
		// The connection drops after BigQuery took the upload: the retry must find that job (409), not load twice.
		stub.loseAnswerOf.push('jobs.upload');
		const flow = workflow({ ...NPS_DEFAULTS, target: 'bigquery', onConflict: 'update', options: { retries: 3 } }, 'warehouseBigQueryApi');
		const run = await runWorkflow(flow, asItems(items), { credentials: credentials() });
		expect(run.error).toBeUndefined();
		expect(run.output('Warehouse Insert', 0).map((item) => item.pairedItem)).toEqual(
			[...Array(30).keys()].filter((index) => index !== 9).map((index) => ({ item: index })),
		);
		expect(run.output('Warehouse Insert', 1).map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 9 }, 'BigQuery: Cannot convert value to integer (bad value): nine. Field: nps_score; Value: nine'],
		]);
		expect(stub.requests.filter((request) => request.kind === 'insertAll')).toHaveLength(0);
		// One load job (it skips and names item 9), sent twice: the lost answer's retry was told 409 and followed it.
		expect([...stub.jobs.values()].map(({ kind }) => kind)).toEqual(['load', 'query']);
		expect(stub.requests.filter((request) => request.kind === 'jobs.upload')).toHaveLength(2);
		expect(stub.tables.get('nps_responses')?.rows.size).toBe(29);

		const updated = items.map((item) => ({ ...item, nps_segment: 'rescored' }));
		const replay = await runWorkflow(flow, asItems(updated), { credentials: credentials() });
		expect(replay.output('Warehouse Insert', 0)).toHaveLength(29);
		const rows = [...(stub.tables.get('nps_responses')?.rows.values() ?? [])];
		expect(rows).toHaveLength(29);
		expect(rows.every((row) => row.nps_segment === 'rescored')).toBe(true);
		expect([...stub.tables.keys()]).toEqual(['nps_responses']);
		expect(JSON.stringify(run.run.data.resultData)).not.toContain('PRIVATE KEY');
	});

	it('Auto streams up to the Load Job Threshold and loads through a job above it', async () => {
		const flow = (count: number) =>
			runWorkflow(workflow({ ...NPS_DEFAULTS, target: 'bigquery', options: { loadJobThreshold: 5 } }, 'warehouseBigQueryApi'), asItems(npsResponses(count)), {
				credentials: credentials(),
			});
		expect((await flow(5)).output('Warehouse Insert', 0)).toHaveLength(5);
		expect(stub.requests.map(({ kind }) => kind).filter((kind) => kind === 'insertAll' || kind === 'jobs.upload')).toEqual(['insertAll']);
		expect((await flow(6)).output('Warehouse Insert', 0)).toHaveLength(6);
		expect(stub.requests.map(({ kind }) => kind).filter((kind) => kind === 'insertAll' || kind === 'jobs.upload')).toEqual(['insertAll', 'jobs.upload']);
		expect(stub.tables.get('nps_responses')?.rows.size).toBe(6);
	});

	it('refuses Update with the Streaming Inserts method, naming the settings', async () => {
		const flow = workflow({ ...NPS_DEFAULTS, target: 'bigquery', onConflict: 'update', options: { bigQueryWriteMethod: 'streaming' } }, 'warehouseBigQueryApi');
		const run = await runWorkflow(flow, asItems([npsResponse(1)]), { credentials: credentials() });
		expect(run.error).toBe('BigQuery streaming inserts cannot update stored rows: set On Existing Key to Skip, or BigQuery Write Method to Load Job or Auto');
	});
});

describe('Warehouse Insert inside the n8n engine: unreadable credentials', () => {
	it('fails the node naming the problem, without echoing the pasted key', async () => {
		const credentialMarker = 'not-a-key-file-4711';
		const flow = workflow({ ...NPS_DEFAULTS, target: 'bigquery' }, 'warehouseBigQueryApi');
		const run = await runWorkflow(flow, asItems([npsResponse(1)]), {
			credentials: { warehouseBigQueryApi: { privateKeyJson: `{${credentialMarker}`, dataset: 'revops' } },
		});
		expect(run.error).toBe('The service account key is not valid JSON: paste the whole key file');
		expect(JSON.stringify(run.run.data.resultData)).not.toContain(credentialMarker);
	});
});
