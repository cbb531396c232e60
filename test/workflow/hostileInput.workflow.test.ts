/**
 * The hostile-input suite on the nodes, inside n8n's engine (short, seeded; `npm run bench --
 * hostile` is the long run): whatever the items hold, a node returns within a time proportional
 * to the input's size, every item comes out exactly once across its outputs with its pairedItem,
 * and Warehouse Insert stores exactly what it read (SQLite, and PostgreSQL at PG_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { npsResponses } from '../fixtures/npsResponses';
import { TEST_SCALE, hostileRecord, timeBoundMs } from '../support/hostile';
import { pgConnection, useScratchSchema } from '../support/postgres';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const SEED = 18;
const RUNS = 6;
const ITEMS = 5;

type Outputs = INodeExecutionData[][];

/** Runs one node on `items` and checks the invariants every node keeps; returns its outputs. */
async function runNode(type: string, parameters: Record<string, unknown>, outputCount: number, items: IDataObject[], credentials?: Record<string, IDataObject>): Promise<Outputs> {
	const tested = node('Node', type, parameters as never);
	if (credentials) tested.credentials = Object.fromEntries(Object.keys(credentials).map((credentialType) => [credentialType, { id: '1', name: credentialType }]));
	const workflow = { nodes: [node('Input', INPUT_NODE_TYPE), tested], connections: chain([['Input', 'Node']]) };
	const started = performance.now();
	const run = await runWorkflow(workflow, items, { credentials });
	const took = performance.now() - started;
	expect(run.error).toBeUndefined();
	expect(took).toBeLessThan(timeBoundMs(items, 3000));
	return Array.from({ length: outputCount }, (_, index) => run.output('Node', index));
}

/** Each input item is paired with exactly one output item, across all outputs. */
function expectEachItemOnce(outputs: Outputs, count: number): void {
	const paired = outputs.flat().flatMap((item) => {
		const pairs = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
		return pairs.map((pair) => (typeof pair === 'number' ? pair : pair?.item));
	});
	expect(paired.sort((a, b) => (a ?? -1) - (b ?? -1))).toEqual(Array.from({ length: count }, (_, index) => index));
}

const batchOf = (fields: string[], plausible: Record<string, unknown>) =>
	fc.array(hostileRecord(fields, TEST_SCALE, plausible), { minLength: 1, maxLength: ITEMS }).map((records) => records as IDataObject[]);

const nodeProperty = (arbitrary: fc.Arbitrary<IDataObject[]>, check: (items: IDataObject[]) => Promise<void>) =>
	fc.assert(fc.asyncProperty(arbitrary, check), { seed: SEED, numRuns: RUNS });

const LEAD = { email: 'ana@acme.com', phone: '+55 11 98765-4321', first_name: 'Ana', last_name: 'Silva', company: 'Acme', country: 'BR' };
const LEAD_FIELDS = ['email', 'phone', 'first_name', 'last_name', 'company', 'country', 'website', 'industry', 'utm_source', 'created_at', 'id'];

describe('hostile input through the nodes', () => {
	it('Normalize Lead: every item on Valid or Invalid once', async () => {
		await nodeProperty(batchOf(LEAD_FIELDS, LEAD), async (items) => {
			expectEachItemOnce(await runNode('n8n-nodes-revops.normalizeLead', { defaultCountry: 'BR', options: {} }, 2, items), items.length);
		});
	});

	it('Dedupe: every item on Unique or Duplicates once, and in exactly one merged record', async () => {
		await nodeProperty(batchOf(LEAD_FIELDS, LEAD), async (items) => {
			expectEachItemOnce(await runNode('n8n-nodes-revops.dedupe', { operation: 'withinInput', preset: 'b2b', options: {} }, 2, items), items.length);
			const merged = await runNode(
				'n8n-nodes-revops.dedupe',
				{ operation: 'withinInput', preset: 'b2b', outputMode: 'merge', options: { timestampField: 'created_at' } },
				1,
				items,
			);
			expectEachItemOnce(merged, items.length);
		});
	});

	it('Map to CRM Fields: every item mapped or refused once', async () => {
		const parameters = { crm: 'hubspot', hubspotObject: 'contacts', output: 'records', fieldMappings: {}, options: {} };
		await nodeProperty(batchOf(LEAD_FIELDS, LEAD), async (items) => {
			const outputs = await runNode('n8n-nodes-revops.mapToCrmFields', parameters, 2, items);
			expectEachItemOnce(outputs, items.length);
		});
	});
});

/** A table of every logical type, keyed on a unique id so each Written item has its own row to compare. */
function customParameters(target: Record<string, unknown>) {
	return {
		...target,
		tableKind: 'custom',
		columns: {
			column: [
				{ column: 'id', type: 'text', field: 'id' },
				{ column: 'note', type: 'text', field: 'note' },
				{ column: 'data', type: 'json', field: 'data' },
				{ column: 'at', type: 'timestamp', field: 'at' },
				{ column: 'n', type: 'number', field: 'n' },
				{ column: 'flag', type: 'boolean', field: 'flag' },
			],
		},
		keyColumns: 'id',
		onConflict: 'update',
		unknownFields: 'keep',
		createTable: true,
		options: {},
	};
}

const warehouseBatch = fc
	.array(hostileRecord(['note', 'data', 'at', 'n', 'flag'], TEST_SCALE, { note: 'ok', at: '2026-01-01T00:00:00Z', n: 1, flag: true }), { minLength: 1, maxLength: ITEMS })
	.map((records) => records.map((record, index) => ({ ...record, id: `k${index}` })) as IDataObject[]);

/** What a Written item's text and JSON columns must hold: exactly the strings and JSON it carried. */
function expectStoredAsRead(item: IDataObject, stored: { note: unknown; data: unknown; extra: unknown }, jsonOf: (stored: unknown) => unknown): void {
	if (typeof item.note === 'string') expect(stored.note).toBe(item.note);
	if (item.data !== undefined && item.data !== null) expect(jsonOf(stored.data)).toEqual(JSON.parse(JSON.stringify(item.data)));
}

/** Issue 18 cases 3, 5 and 8: eight NPS items, one with survey_date 1e16, one with a lone surrogate, one without received_at. */
function npsBatch(): IDataObject[] {
	const items: Array<Record<string, unknown>> = npsResponses(8);
	items[5] = { ...items[5], survey_date: 1e16 };
	items[6] = { ...items[6], comment: 'a\ud800b' };
	delete items[7].received_at;
	return items as IDataObject[];
}

function expectNpsBatchRouted([written, failed]: Outputs): void {
	expect(written.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 7].map((item) => ({ item })));
	expect(failed.map((item) => [item.pairedItem, item.json.error])).toEqual([
		[{ item: 5 }, "Column 'survey_date' 10000000000000000 is not a time between 0001-01-01 and 9999-12-31"],
		[{ item: 6 }, "Column 'raw_text' contains a lone UTF-16 surrogate, which no database stores as sent"],
	]);
}

const NPS_PARAMETERS = { tableKind: 'nps', onConflict: 'skip', unknownFields: 'keep', createTable: true, options: {} };

describe('hostile input through Warehouse Insert: what is Written is what was read', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-warehouse-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('SQLite: a bad time or text fails its row alone, a missing received_at is written, and Written is what the table holds', async () => {
		const file = path.join(dir, 'nps.sqlite');
		const outputs = await runNode('n8n-nodes-revops.warehouseInsert', { ...NPS_PARAMETERS, target: 'sqlite', databaseFile: file }, 2, npsBatch());
		expectNpsBatchRouted(outputs);
		const db = openSqlite(file);
		try {
			expect((db.prepare('SELECT response_id FROM nps_responses ORDER BY response_id').all() as Array<{ response_id: string }>).map(({ response_id }) => response_id)).toEqual(
				outputs[0].map((item) => item.json.response_id).sort(),
			);
		} finally {
			db.close();
		}
	});

	it('SQLite', async () => {
		let run = 0;
		await nodeProperty(warehouseBatch, async (items) => {
			const file = path.join(dir, `w${run++}.sqlite`);
			const [written, failed] = await runNode('n8n-nodes-revops.warehouseInsert', customParameters({ target: 'sqlite', databaseFile: file, customTableName: 'hostile' }), 2, items);
			expectEachItemOnce([written, failed], items.length);
			const db = openSqlite(file);
			try {
				const rows = db.prepare('SELECT id, note, data, extra FROM hostile').all() as Array<{ id: string; note: unknown; data: unknown; extra: unknown }>;
				expect(rows.map(({ id }) => id).sort()).toEqual(written.map((item) => item.json.id).sort());
				for (const row of rows) expectStoredAsRead(items[Number(row.id.slice(1))], row, (text) => JSON.parse(String(text)));
			} finally {
				db.close();
			}
		});
	});

	describe('PostgreSQL', () => {
		const { schema, admin } = useScratchSchema('hostile');
		const credentials = { warehousePostgresApi: { ...pgConnection() } as IDataObject };

		it('a bad time or text fails its row alone; keys equal in the database are one row, not a failed batch', async () => {
			const nps = await runNode('n8n-nodes-revops.warehouseInsert', { ...NPS_PARAMETERS, target: 'postgres', tableName: `${schema}.nps_responses` }, 2, npsBatch(), credentials);
			expectNpsBatchRouted(nps);
			const { rows } = await admin().query<{ response_id: string }>(`SELECT response_id FROM ${schema}.nps_responses ORDER BY response_id`);
			expect(rows.map(({ response_id }) => response_id)).toEqual(nps[0].map((item) => item.json.response_id).sort());

			const keyed = {
				target: 'postgres',
				tableKind: 'custom',
				customTableName: `${schema}.keyed`,
				columns: { column: [{ column: 'id', type: 'text', field: 'id' }, { column: 'at', type: 'timestamp', field: 'at' }, { column: 'v', type: 'integer', field: 'v' }] },
				keyColumns: 'id, at',
				onConflict: 'update',
				unknownFields: 'ignore',
				createTable: true,
				options: {},
			};
			const items = [
				{ id: 1, at: '2026-01-01T00:00:00Z', v: 1 },
				{ id: '1', at: '2026-01-01T01:00:00+01:00', v: 2 },
				{ id: 'other', at: '2026-01-01T00:00:00Z', v: 3 },
			];
			const [written, failed] = await runNode('n8n-nodes-revops.warehouseInsert', keyed, 2, items, credentials);
			expect(failed).toEqual([]);
			expect(written.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
			const stored = await admin().query<{ id: string; v: number }>(`SELECT id, v FROM ${schema}.keyed ORDER BY id`);
			expect(stored.rows).toEqual([
				{ id: '1', v: 2 },
				{ id: 'other', v: 3 },
			]);
		});

		it('stores exactly what it read', async () => {
			let run = 0;
			await nodeProperty(warehouseBatch, async (items) => {
				const table = `${schema}.hostile_${run++}`;
				const [written, failed] = await runNode('n8n-nodes-revops.warehouseInsert', customParameters({ target: 'postgres', customTableName: table }), 2, items, credentials);
				expectEachItemOnce([written, failed], items.length);
				const { rows } = await admin().query<{ id: string; note: unknown; data: unknown; extra: unknown }>(`SELECT id, note, data, extra FROM ${table}`);
				expect(rows.map(({ id }) => id).sort()).toEqual(written.map((item) => item.json.id).sort());
				for (const row of rows) expectStoredAsRead(items[Number(row.id.slice(1))], row, (json) => json);
			});
		});
	});
});
