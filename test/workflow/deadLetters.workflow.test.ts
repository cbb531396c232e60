import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { npsResponse } from '../fixtures/npsResponses';
import { pgConnection, useScratchSchema } from '../support/postgres';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const DEAD_LETTERS = 'n8n-nodes-revops.deadLetters';

function deadLetters(name: string, parameters: Record<string, unknown>): INode {
	return node(name, DEAD_LETTERS, parameters as INode['parameters']);
}

function workflow(nodes: INode[], connections: IConnections) {
	return { nodes: [node('Input', INPUT_NODE_TYPE), ...nodes], connections };
}

describe('Dead Letter Queue inside the n8n engine (SQLite)', () => {
	let dir: string;
	let store: Record<string, unknown>;
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'dead-letters-node-'));
		store = { store: 'sqlite', databaseFile: path.join(dir, 'dead-letters.sqlite') };
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	const storeNode = (parameters: Record<string, unknown> = {}) =>
		deadLetters('Keep Failed', { ...store, operation: 'store', reasonFields: 'error, errors, details', keyField: 'email_match_key', ...parameters });
	const list = async () => {
		const run = await runWorkflow(workflow([deadLetters('List', { ...store, operation: 'list', status: '', limit: 50 })], chain([['Input', 'List']])), [{}]);
		return run.output('List').map(({ json }) => json);
	};

	it('deletes entries older than Max Age (Days) each time it runs, whatever their status', async () => {
		const flow = workflow([storeNode()], chain([['Input', 'Keep Failed']]));
		await runWorkflow(flow, [{ email_match_key: 'old@acme.com', error: 'boom' }, { email_match_key: 'recent@acme.com', error: 'boom' }]);
		const db = openSqlite(store.databaseFile as string);
		db.prepare("UPDATE revops_dead_letters SET last_failed_at = '2020-01-01T00:00:00.000Z' WHERE item_key = 'old@acme.com'").run();
		db.close();
		const kept = await runWorkflow(workflow([deadLetters('List', { ...store, operation: 'list', status: '', limit: 50, maxAgeDays: 30 })], chain([['Input', 'List']])), [{}]);
		expect(kept.output('List').map(({ json }) => json.key)).toEqual(['recent@acme.com']);
	});

	it('stores each failed item once per key, annotates it, and routes an item it cannot keep to Not Stored', async () => {
		const items = [
			{ email_match_key: 'jane@acme.com', email: 'Jane@Acme.com', error: { message: 'Request failed with status code 503' } },
			{ email_match_key: 'li@acme.com', email: 'li@acme.com', errors: [{ field: 'phone', code: 'too_short', message: "phone '12' is too short" }] },
			{ email_match_key: 'big@acme.com', notes: 'x'.repeat(3000), error: 'boom' },
		];
		const flow = workflow([storeNode({ storeOptions: { maxItemKb: 2 } })], chain([['Input', 'Keep Failed']]));
		const first = await runWorkflow(flow, items);
		expect(first.error).toBeUndefined();
		const stored = first.output('Keep Failed', 0);
		expect(stored.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(stored[0].json).toMatchObject({
			email_match_key: 'jane@acme.com',
			error: { message: 'Request failed with status code 503' },
			_dead_letter: { status: 'pending', attempts: 1, step: 'Input', workflowId: 'harness', workflowName: 'harness', key: 'jane@acme.com', keySource: 'field:email_match_key' },
		});
		expect(first.output('Keep Failed', 1)).toEqual([
			{ json: { error: 'The item is 3.0 KB, more than the 2.0 KB the dead-letter store accepts (option Max Item Size): not stored', item: items[2] }, pairedItem: { item: 2 } },
		]);

		const second = await runWorkflow(flow, items.slice(0, 1));
		expect(second.output('Keep Failed', 0)[0].json._dead_letter).toMatchObject({ id: (stored[0].json._dead_letter as IDataObject).id, attempts: 2 });
		const entries = await list();
		expect(entries).toHaveLength(2);
		expect(entries.find((entry) => entry.key === 'li@acme.com')).toMatchObject({
			reason: "phone: phone '12' is too short",
			item: { email_match_key: 'li@acme.com', email: 'li@acme.com' },
		});
	});

	it("keeps Warehouse Insert's refused rows with the database's reason, then replays and resolves them", async () => {
		const capture = workflow(
			[
				node('Warehouse Insert', 'n8n-nodes-revops.warehouseInsert', {
					target: 'sqlite',
					databaseFile: path.join(dir, 'warehouse.sqlite'),
					tableKind: 'nps',
					onConflict: 'skip',
					unknownFields: 'keep',
					createTable: true,
					options: {},
				}),
				storeNode({ keyField: 'response_id', itemField: 'item', reasonFields: 'error' }),
			],
			chain([
				['Input', 'Warehouse Insert'],
				['Warehouse Insert', 'Keep Failed', 1],
			]),
		);
		const captured = await runWorkflow(capture, [npsResponse(1), npsResponse(2, { nps_score: 42 })] as IDataObject[]);
		expect(captured.output('Warehouse Insert', 0)).toHaveLength(1);
		const [kept] = captured.output('Keep Failed', 0);
		expect(kept.json._dead_letter).toMatchObject({ step: 'Warehouse Insert', key: 'resp-2', reason: expect.stringMatching(/CHECK constraint failed/) });

		// Replay: the items come back as received; a node in between replaces them, the entry id is read through pairedItem.
		const replay = workflow(
			[
				deadLetters('Get Due', { ...store, operation: 'getDue', firstDelayMinutes: 0, maxDelayMinutes: 0, maxAttempts: 3, replayOptions: {} }),
				node('Deliver', 'n8n-nodes-base.set', { mode: 'raw', jsonOutput: '={{ { "delivered": $json.response_id } }}', options: {} }, 3.4),
				deadLetters('Resolve', { ...store, operation: 'markResolved', entryId: "={{ $('Get Due').item.json._dead_letter.id }}", resolution: 'Replayed' }),
			],
			chain([
				['Input', 'Get Due'],
				['Get Due', 'Deliver'],
				['Deliver', 'Resolve'],
			]),
		);
		const replayed = await runWorkflow(replay, [{}]);
		expect(replayed.error).toBeUndefined();
		const [due] = replayed.output('Get Due', 0);
		expect(due.json).toMatchObject({ ...npsResponse(2, { nps_score: 42 }), _dead_letter: { attempts: 1, status: 'pending' } });
		expect(due.json).not.toHaveProperty('error');
		expect(replayed.output('Resolve', 0)).toMatchObject([{ json: { delivered: 'resp-2', _dead_letter: { status: 'resolved', resolution: 'Replayed' } }, pairedItem: { item: 0 } }]);
		// Resolved: the next replay has nothing to do.
		expect((await runWorkflow(replay, [{}])).output('Get Due', 0)).toEqual([]);
		expect(await list()).toMatchObject([{ status: 'resolved', resolution: 'Replayed', key: 'resp-2' }]);
	});

	it('records failed attempts until the entry is given up, and routes items naming no entry to Not Found', async () => {
		await runWorkflow(workflow([storeNode()], chain([['Input', 'Keep Failed']])), [{ email_match_key: 'a@x.com', error: 'CRM down' }]);
		const replay = workflow(
			[
				deadLetters('Get Due', { ...store, operation: 'getDue', firstDelayMinutes: 0, maxDelayMinutes: 0, maxAttempts: 2, replayOptions: {} }),
				node('Fail', 'n8n-nodes-base.set', { mode: 'raw', jsonOutput: '={{ { ...$json, "error": "CRM still down" } }}', options: {} }, 3.4),
				deadLetters('Failed Again', { ...store, operation: 'recordFailedAttempt', entryId: '', reasonFields: 'error' }),
			],
			chain([
				['Input', 'Get Due'],
				['Get Due', 'Fail'],
				['Fail', 'Failed Again'],
			]),
		);
		const first = await runWorkflow(replay, [{}]);
		expect(first.output('Failed Again', 0)).toMatchObject([{ json: { _dead_letter: { attempts: 2, reason: 'CRM still down', status: 'pending' } } }]);
		const second = await runWorkflow(replay, [{}]);
		expect(second.output('Get Due', 0)).toEqual([]);
		expect(second.output('Get Due', 1)).toMatchObject([
			{ json: { email_match_key: 'a@x.com', _dead_letter: { status: 'gave_up', resolution: 'Gave up after 2 attempts: CRM still down' } }, pairedItem: { item: 0 } },
		]);

		const resolve = workflow([deadLetters('Resolve', { ...store, operation: 'markResolved', entryId: '', resolution: 'x' })], chain([['Input', 'Resolve']]));
		const orphan = await runWorkflow(resolve, [{ email: 'no-entry@x.com' }, { _dead_letter: { id: 999 } }]);
		expect(orphan.output('Resolve', 1)).toEqual([
			{ json: { error: 'The item names no dead-letter entry (Entry ID is empty and the item has no _dead_letter.id)', item: { email: 'no-entry@x.com' } }, pairedItem: { item: 0 } },
			{ json: { error: 'No dead-letter entry 999', item: { _dead_letter: { id: 999 } } }, pairedItem: { item: 1 } },
		]);
	});
});

describe('Dead Letter Queue inside the n8n engine (PostgreSQL at PG_URL)', () => {
	const { schema } = useScratchSchema('dlq_node');

	it('stores through the Warehouse PostgreSQL credential and lists the entries', async () => {
		const connection = pgConnection();
		const credentials = { warehousePostgresApi: { ...connection, ssl: 'disable' } as unknown as IDataObject };
		const parameters = { store: 'postgres', tableName: `${schema}.dead_letters` };
		const storeNode = deadLetters('Keep Failed', { ...parameters, operation: 'store', reasonFields: 'error', keyField: '' });
		storeNode.credentials = { warehousePostgresApi: { id: '1', name: 'pg' } };
		const stored = await runWorkflow(workflow([storeNode], chain([['Input', 'Keep Failed']])), [{ response_id: 'r1', error: 'HubSpot 400' }, { response_id: 'r1', error: 'HubSpot 400' }], {
			credentials,
		});
		expect(stored.output('Keep Failed', 0).map(({ json }) => (json._dead_letter as IDataObject).attempts)).toEqual([1, 2]);
		const listNode = deadLetters('List', { ...parameters, operation: 'list', status: 'pending', limit: 10 });
		listNode.credentials = storeNode.credentials;
		const listed = await runWorkflow(workflow([listNode], chain([['Input', 'List']])), [{}], { credentials });
		expect(listed.output('List').map(({ json }) => json)).toMatchObject([{ attempts: 2, keySource: 'hash:sha256', reason: 'HubSpot 400', item: { response_id: 'r1' } }]);
	});
});
