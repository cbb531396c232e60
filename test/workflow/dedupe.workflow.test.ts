import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationItemTypes, ICheckProcessedContextData, IConnections, IDataDeduplicator } from 'n8n-workflow';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

import { febrl } from '../../bench/_dedupeData';
import { openSqlite } from '../../lib/warehouse/sqlite';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';
import { pgConnection } from '../support/postgres';

const DEDUPE = 'n8n-nodes-revops.dedupe';

const LEADS = [
	{
		id: 'a',
		email: 'Maria.Silva@Gmail.com',
		first_name: 'Maria',
		last_name: 'Silva',
		company: 'Acme Ltda',
		source: 'google',
	},
	{
		id: 'b',
		email: 'john@globex.com',
		first_name: 'John',
		last_name: 'Smith',
		company: 'Globex',
		phone: '+1 415 555 2671',
	},
	{
		id: 'c',
		email: 'mariasilva+promo@gmail.com',
		first_name: 'Maria',
		last_name: 'Silva',
		source: 'facebook',
		campaign: 'q3',
	},
	{
		id: 'd',
		email: 'bob@initech.com',
		first_name: 'Bob',
		last_name: 'Jones',
		company: 'Initech Inc.',
	},
	{
		id: 'e',
		email: 'robert.jones@initech.com',
		first_name: 'Robert',
		last_name: 'Jones',
		company: 'INITECH, LLC',
		job_title: 'CTO',
	},
	{ id: 'f', note: 'no contact fields at all' },
];

/** Input -> Dedupe with the given parameters. */
function dedupeWorkflow(parameters: Record<string, unknown>) {
	return {
		nodes: [node('Input', INPUT_NODE_TYPE), node('Dedupe', DEDUPE, { options: {}, ...parameters } as never)],
		connections: chain([['Input', 'Dedupe']]),
	};
}

/**
 * Match only, write, then remember: what a workflow does so that a lead whose write failed is new
 * again on redelivery. The same behaviour on every record store that holds records.
 */
function rememberAfterWriteTests(storeParameters: () => Record<string, unknown>, storedRecords: () => Promise<Array<Record<string, unknown>>>): void {
	const matchOnly = () =>
		dedupeWorkflow({ operation: 'acrossExecutions', preset: 'b2b', ...storeParameters(), options: { rememberUnique: false } });
	/** Input -> Find New Leads (match only) -> its Unique output -> Remember Records, as a template chains them. */
	const matchThenRemember = {
		get nodes() {
			return [
				node('Input', INPUT_NODE_TYPE),
				node('Find New Leads', DEDUPE, { operation: 'acrossExecutions', preset: 'b2b', ...storeParameters(), options: { rememberUnique: false } } as never),
				node('Remember Records', DEDUPE, { operation: 'rememberRecords', preset: 'b2b', ...storeParameters(), options: {} } as never),
			];
		},
		connections: chain([
			['Input', 'Find New Leads'],
			['Find New Leads', 'Remember Records'],
		]),
	};

	it('matches without remembering: a lead not remembered is new again', async () => {
		for (let attempt = 0; attempt < 2; attempt++) {
			const { output, error } = await runWorkflow(matchOnly(), [LEADS[3]]);
			expect(error).toBeUndefined();
			expect(output('Dedupe', 0).map((item) => item.json._dedupe)).toEqual([{ status: 'unique', id: 'd', duplicate_count: 0 }]);
		}
	});

	it('remembers what Remember Records was given, passing the items through unchanged', async () => {
		const written = await runWorkflow(matchThenRemember, [LEADS[0], LEADS[2], LEADS[1]]);
		expect(written.error).toBeUndefined();
		// Within the input, c duplicates a: only a and b reach Remember Records, and come out as they went in.
		expect(written.output('Remember Records').map((item) => [item.json.id, item.pairedItem])).toEqual([
			['a', { item: 0 }],
			['b', { item: 1 }],
		]);
		expect(written.output('Remember Records')[0].json).toEqual(written.output('Find New Leads', 0)[0].json);
		expect(written.output('Remember Records')[0].json._dedupe).toBeDefined();
		// The history keeps the records, not the annotation Find New Leads added to them.
		expect(await storedRecords()).toEqual([LEADS[0], LEADS[1]]);

		const redelivered = await runWorkflow(matchOnly(), [
			{ id: 'a2', email: 'maria.silva@gmail.com' },
			{ id: 'b2', email: 'jsmith@gmail.com', phone: '+14155552671' },
			LEADS[4],
		]);
		expect(redelivered.output('Dedupe', 1).map((item) => item.json._dedupe)).toEqual([
			expect.objectContaining({ id: 'a2', matched_id: 'a', matched_in: 'existing', rule: 'email' }),
			expect.objectContaining({ id: 'b2', matched_id: 'b', matched_in: 'existing', rule: 'phone' }),
		]);
		// e (Robert Jones at Initech) matches nothing remembered: d was only ever matched, never remembered.
		expect(redelivered.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['e']);
	});

	it('remembers a record already kept once, marking it seen again', async () => {
		const first = await runWorkflow(matchThenRemember, [{ id: 'x', email: 'twice@hooli.com' }]);
		expect(first.output('Remember Records')).toHaveLength(1);
		const remembered = await runWorkflow(
			{ nodes: [node('Input', INPUT_NODE_TYPE), node('Dedupe', DEDUPE, { operation: 'rememberRecords', preset: 'b2b', ...storeParameters(), options: {} } as never)], connections: chain([['Input', 'Dedupe']]) },
			[{ id: 'x', email: 'twice@hooli.com' }],
		);
		expect(remembered.error).toBeUndefined();
		const cleared = await runWorkflow(dedupeWorkflow({ operation: 'clearHistory', ...storeParameters() }), [{}]);
		// a and b from the test before, x once
		expect(cleared.output('Dedupe', 0)[0].json.cleared).toBe(3);
	});

	it('holds a new lead until it is remembered: the same lead meanwhile comes out In Progress, paired, and a duplicate once remembered', async () => {
		const holding = (extra: Record<string, unknown> = {}) =>
			dedupeWorkflow({
				operation: 'acrossExecutions',
				preset: 'b2b',
				...storeParameters(),
				options: { rememberUnique: false, holdNewRecords: true, holdWaitSeconds: 0, copyFromMatch: 'crm_id', ...extra },
			});
		const lead = { id: 'held', email: 'held@hooli.com', first_name: 'Gavin', last_name: 'Belson', company: 'Hooli' };
		const first = await runWorkflow(holding(), [lead]);
		expect(first.error).toBeUndefined();
		expect(first.output('Dedupe', 0).map((item) => item.json._dedupe)).toEqual([{ status: 'unique', id: 'held', duplicate_count: 0 }]);

		const meanwhile = await runWorkflow(holding(), [{ id: 'other', email: 'other@hooli.com' }, { ...lead, id: 'again' }]);
		expect(meanwhile.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['other']);
		expect(meanwhile.output('Dedupe', 1)).toEqual([]);
		expect(meanwhile.output('Dedupe', 2).map((item) => [item.json._dedupe, item.pairedItem])).toEqual([
			[{ status: 'in_progress', id: 'again', matched_id: 'held', held_until: expect.any(String) }, { item: 1 }],
		]);

		const remembered = await runWorkflow(
			{ nodes: [node('Input', INPUT_NODE_TYPE), node('Dedupe', DEDUPE, { operation: 'rememberRecords', preset: 'b2b', ...storeParameters(), options: {} } as never)], connections: chain([['Input', 'Dedupe']]) },
			[{ ...lead, crm_id: 'H-1' }],
		);
		expect(remembered.error).toBeUndefined();
		const returning = await runWorkflow(holding(), [{ ...lead, id: 'returning' }]);
		expect(returning.output('Dedupe', 1).map((item) => item.json._dedupe)).toEqual([
			expect.objectContaining({ status: 'duplicate', matched_id: 'held', from_match: { crm_id: 'H-1' } }),
		]);
		expect(returning.output('Dedupe', 2)).toEqual([]);
		// held once, confirmed: one record; 'other' is still held
		const cleared = await runWorkflow(dedupeWorkflow({ operation: 'clearHistory', ...storeParameters() }), [{}]);
		expect(cleared.output('Dedupe', 0)[0].json.cleared).toBe(2);
	});
}

describe('Dedupe inside the n8n engine', () => {
	it('splits the input into Unique and Duplicates with the evidence, keeping pairedItem', async () => {
		const workflow = dedupeWorkflow({
			operation: 'withinInput',
			preset: 'b2b',
		});
		const { output, error } = await runWorkflow(workflow, LEADS);
		expect(error).toBeUndefined();
		const unique = output('Dedupe', 0);
		const duplicates = output('Dedupe', 1);
		expect(unique.map((item) => item.json.id)).toEqual(['a', 'b', 'd', 'f']);
		expect(unique.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }, { item: 5 }]);
		expect(duplicates.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 4 }]);
		expect(duplicates[0].json._dedupe).toEqual({
			status: 'duplicate',
			id: 'c',
			matched_id: 'a',
			matched_in: 'input',
			survivor_id: 'a',
			rule: 'email',
			score: 1,
			fields: ['email'],
			cluster_links: 1,
		});
		expect(duplicates[1].json._dedupe).toMatchObject({
			matched_id: 'd',
			rule: 'name + company',
			fields: ['name', 'company'],
		});
		expect(unique[0].json._dedupe).toEqual({
			status: 'unique',
			id: 'a',
			duplicate_count: 1,
		});
		expect(unique[3].json._dedupe).toMatchObject({
			status: 'unmatchable',
			id: 'f',
		});
	});

	it('reads leads straight from Webhook items (their body), as Normalize Lead does', async () => {
		const asWebhookItems = LEADS.map((lead) => ({ headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: lead }));
		const { output, error } = await runWorkflow(dedupeWorkflow({ operation: 'withinInput', preset: 'b2b' }), asWebhookItems);
		expect(error).toBeUndefined();
		expect(output('Dedupe', 1).map((item) => [item.pairedItem, item.json._dedupe])).toEqual([
			[{ item: 2 }, expect.objectContaining({ id: 'c', matched_id: 'a', rule: 'email' })],
			[{ item: 4 }, expect.objectContaining({ id: 'e', matched_id: 'd' })],
		]);
		// The item stays what the Webhook node emitted, so later nodes still find headers and body.
		expect(output('Dedupe', 1)[0].json.body).toEqual(LEADS[2]);
	});

	it('merges each group into one record that keeps the original source and fills blanks', async () => {
		const workflow = dedupeWorkflow({
			operation: 'withinInput',
			preset: 'b2b',
			outputMode: 'merge',
			survivorship: 'oldest',
		});
		const { output, error } = await runWorkflow(workflow, LEADS);
		expect(error).toBeUndefined();
		const merged = output('Dedupe', 0);
		expect(merged).toHaveLength(4);
		expect(merged[0].pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
		expect(merged[0].json).toMatchObject({
			id: 'a',
			email: 'Maria.Silva@Gmail.com',
			company: 'Acme Ltda',
			source: 'google',
			latest_source: 'facebook',
			campaign: 'q3',
			_dedupe: {
				merged_count: 2,
				renewed_interest: true,
				activity: [
					{ id: 'a', source: 'google' },
					{ id: 'c', source: 'facebook', campaign: 'q3' },
				],
			},
		});
		expect(merged[2].json).toMatchObject({
			id: 'd',
			first_name: 'Bob',
			job_title: 'CTO',
		});
	});

	it('matches input 1 against the existing records on input 2', async () => {
		const connections: IConnections = {
			Input: { main: [[{ node: 'Is Existing', type: 'main', index: 0 }]] },
			'Is Existing': {
				main: [[{ node: 'Dedupe', type: 'main', index: 1 }], [{ node: 'Dedupe', type: 'main', index: 0 }]],
			},
		};
		const workflow = {
			nodes: [
				node('Input', INPUT_NODE_TYPE),
				node(
					'Is Existing',
					'n8n-nodes-base.if',
					{
						conditions: {
							options: {
								caseSensitive: true,
								leftValue: '',
								typeValidation: 'strict',
							},
							conditions: [
								{
									id: 'k',
									leftValue: '={{ $json.kind }}',
									rightValue: 'crm',
									operator: { type: 'string', operation: 'equals' },
								},
							],
							combinator: 'and',
						},
						options: {},
					},
					2.2,
				),
				node('Dedupe', DEDUPE, {
					operation: 'againstInput',
					preset: 'b2b',
					options: { defaultCountry: 'US' },
				}),
			],
			connections,
		};
		const { output, error } = await runWorkflow(workflow, [
			{
				kind: 'crm',
				id: 'crm-1',
				email: 'jsmith@globex.com',
				phone: '(415) 555-2671',
			},
			{
				kind: 'form',
				id: 'n1',
				email: 'john.smith@globex.com',
				phone: '+14155552671',
			},
			{ kind: 'form', id: 'n2', email: 'new@lead.com' },
			{ kind: 'form', id: 'n3', email: 'NEW@lead.com' },
		]);
		expect(error).toBeUndefined();
		expect(output('Dedupe', 0).map((item) => item.json.id)).toEqual(['n2']);
		const duplicates = output('Dedupe', 1);
		expect(duplicates.map((item) => item.json._dedupe)).toEqual([
			expect.objectContaining({
				id: 'n1',
				matched_id: 'crm-1',
				matched_in: 'existing',
				rule: 'phone',
			}),
			expect.objectContaining({
				id: 'n3',
				matched_id: 'n2',
				matched_in: 'input',
				rule: 'email',
			}),
		]);
	});

	it('fails with a message naming the second input when it is not connected', async () => {
		const workflow = dedupeWorkflow({
			operation: 'againstInput',
			preset: 'b2b',
		});
		const { error } = await runWorkflow(workflow, LEADS);
		expect(error).toBe("Input 2 'Existing Records' is not connected");
	});

	it('applies custom rules: all comparisons of a rule must agree, any rule may match', async () => {
		const workflow = dedupeWorkflow({
			operation: 'withinInput',
			preset: 'custom',
			customRules: {
				rule: [
					{
						name: 'same customer number',
						comparisons: {
							comparison: [{ field: 'customer_no', type: 'exact', threshold: -1 }],
						},
					},
					{
						name: 'name + birthday',
						comparisons: {
							comparison: [
								{ field: 'name', type: 'personName', threshold: -1 },
								{ field: 'birthday, dob', type: 'date', threshold: -1 },
							],
						},
					},
				],
			},
			options: {},
		});
		const { output, error } = await runWorkflow(workflow, [
			{
				id: 1,
				name: 'Francisco Souza',
				birthday: '1980-02-03',
				customer_no: 'C1',
			},
			{ id: 2, name: 'Chico Souza', dob: '03/02/1980' },
			{ id: 3, name: 'Francisco Souza', birthday: '1991-07-07' },
			{ id: 4, name: 'Someone Else', customer_no: 'C1' },
		]);
		expect(error).toBeUndefined();
		expect(output('Dedupe', 0).map((item) => item.json.id)).toEqual([1, 3]);
		expect(output('Dedupe', 1).map((item) => item.json._dedupe)).toEqual([
			expect.objectContaining({
				id: 2,
				matched_id: 1,
				rule: 'name + birthday',
				fields: ['name', 'birthday'],
			}),
			expect.objectContaining({
				id: 4,
				matched_id: 1,
				rule: 'same customer number',
			}),
		]);
	});

	it('names the rule and comparison of a custom rule with an empty field', async () => {
		const workflow = dedupeWorkflow({
			operation: 'withinInput',
			preset: 'custom',
			customRules: {
				rule: [
					{
						name: 'broken',
						comparisons: {
							comparison: [{ field: ' ', type: 'exact', threshold: -1 }],
						},
					},
				],
			},
			options: {},
		});
		const { error } = await runWorkflow(workflow, [{ id: 1 }]);
		expect(error).toBe("Rule 'broken', comparison 1: the Field is empty");
	});

	it('runs the probabilistic preset on FEBRL 1 through the engine', async () => {
		const set = febrl(1);
		const workflow = dedupeWorkflow({
			operation: 'withinInput',
			preset: 'probabilistic',
			matchProbability: 0.99,
			options: { idField: 'rec_id' },
		});
		const { output, error } = await runWorkflow(workflow, set.records);
		expect(error).toBeUndefined();
		const unique = output('Dedupe', 0);
		const duplicates = output('Dedupe', 1);
		expect(unique.length + duplicates.length).toBe(1000);
		// FEBRL 1 holds 500 originals and 500 corrupted copies: nearly every copy names a record of the same person.
		const samePerson = duplicates.filter((item) => {
			const annotation = item.json._dedupe as { id: string; matched_id: string; rule: string };
			return annotation.rule === 'probabilistic' && annotation.matched_id.split('-')[1] === annotation.id.split('-')[1];
		});
		expect(samePerson.length).toBeGreaterThanOrEqual(495);
		expect(duplicates.length - samePerson.length).toBeLessThanOrEqual(5);
	});

	describe("across executions with n8n's deduplication store", () => {
		/** What n8n's database provides in a real instance: keys seen per node. */
		const seenKeys = new Map<string, Set<string>>();
		const keysOf = (context: ICheckProcessedContextData): Set<string> => {
			const scope = `${context.workflow.id}/${context.node?.id ?? ''}`;
			let keys = seenKeys.get(scope);
			if (keys === undefined) seenKeys.set(scope, (keys = new Set()));
			return keys;
		};
		const memoryDeduplicator: IDataDeduplicator = {
			async checkProcessedAndRecord(items: DeduplicationItemTypes[], _scope, context) {
				const keys = keysOf(context);
				const processed = items.filter((item) => keys.has(String(item)));
				for (const item of items) keys.add(String(item));
				return { new: items.filter((item) => !processed.includes(item)), processed };
			},
			async removeProcessed() {},
			async clearAllProcessedItems(_scope, context) {
				keysOf(context).clear();
			},
			async getProcessedDataCount(_scope, context) {
				return keysOf(context).size;
			},
		};
		beforeAll(async () => await DataDeduplicationService.init(memoryDeduplicator));

		const n8nStoreWorkflow = (operation = 'acrossExecutions', outputMode = 'split') =>
			dedupeWorkflow({ operation, preset: 'b2b', store: 'n8n', outputMode });

		it('remembers exact keys between executions and forgets them on clear', async () => {
			const first = await runWorkflow(n8nStoreWorkflow(), [LEADS[0], LEADS[1], LEADS[2]]);
			expect(first.error).toBeUndefined();
			expect(first.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['a', 'b']);
			expect(first.output('Dedupe', 1).map((item) => item.json._dedupe)).toEqual([expect.objectContaining({ id: 'c', matched_id: 'a' })]);

			const second = await runWorkflow(n8nStoreWorkflow(), [{ id: 'g', email: 'MARIA.SILVA@gmail.com' }, LEADS[3]]);
			expect(second.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['d']);
			expect(second.output('Dedupe', 1).map((item) => item.json._dedupe)).toEqual([
				{ status: 'duplicate', id: 'g', matched_id: null, matched_in: 'history', survivor_id: null, rule: 'email', score: 1, fields: ['email'] },
			]);

			const cleared = await runWorkflow(n8nStoreWorkflow('clearHistory'), [{}]);
			expect(cleared.output('Dedupe', 0)[0].json).toEqual({ store: 'n8n', cleared: true });
			const third = await runWorkflow(n8nStoreWorkflow(), [{ id: 'g', email: 'MARIA.SILVA@gmail.com' }]);
			expect(third.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['g']);
		});

		it('refuses to merge, having no records to merge with', async () => {
			const { error } = await runWorkflow(n8nStoreWorkflow('acrossExecutions', 'merge'), [LEADS[0]]);
			expect(error).toMatch(/keeps keys, not records/);
		});

		it("refuses Remember Records, which cannot reach another node's keys", async () => {
			const { error, run } = await runWorkflow(n8nStoreWorkflow('rememberRecords'), [LEADS[0]]);
			expect(error).toMatch(/^n8n's deduplication store keeps each node's keys to itself/);
			expect(run.data.resultData.error?.description).toMatch(/SQLite or PostgreSQL record store/);
		});
	});

	describe('across executions with a PostgreSQL record store', () => {
		const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
		const history = `workflow-test-${process.pid}-${Date.now()}`;
		const pgWorkflow = (operation: string, outputMode = 'split') =>
			dedupeWorkflow({ operation, preset: 'b2b', store: 'postgres', postgresUrl: PG_URL, historyName: history, outputMode, survivorship: 'oldest' });

		it('merges a returning lead into the stored one and clears the history', async () => {
			const first = await runWorkflow(pgWorkflow('acrossExecutions', 'merge'), [{ ...LEADS[3], source: 'webinar' }]);
			expect(first.error).toBeUndefined();
			expect(first.output('Dedupe', 0)[0].json).toMatchObject({ id: 'd', _dedupe: { merged_count: 1, renewed_interest: false } });

			const second = await runWorkflow(pgWorkflow('acrossExecutions', 'merge'), [{ ...LEADS[4], source: 'ads' }]);
			expect(second.output('Dedupe', 0)[0].json).toMatchObject({
				id: 'd',
				first_name: 'Bob',
				job_title: 'CTO',
				source: 'webinar',
				latest_source: 'ads',
				_dedupe: { merged_count: 2, renewed_interest: true },
			});
			const cleared = await runWorkflow(pgWorkflow('clearHistory'), [{}]);
			expect(cleared.output('Dedupe', 0)[0].json).toEqual({ history, cleared: 1 });
		});

		describe('matching only, remembering after the write', () => {
			const laterHistory = `${history}-later`;
			rememberAfterWriteTests(
				() => ({ store: 'postgres', postgresUrl: PG_URL, historyName: laterHistory }),
				async () => {
					const client = new Client({ connectionString: PG_URL });
					await client.connect();
					try {
						return (await client.query('SELECT record FROM revops_dedupe_records WHERE history = $1 ORDER BY id', [laterHistory])).rows.map((row) => row.record);
					} finally {
						await client.end();
					}
				},
			);
		});

		it('connects through the Warehouse PostgreSQL credential from version 1.1, and names the credential when the server is unreachable', async () => {
			const credentialHistory = `${history}-credential`;
			const credentialed = {
				nodes: [
					node('Input', INPUT_NODE_TYPE),
					{
						...node('Dedupe', DEDUPE, { operation: 'acrossExecutions', preset: 'b2b', store: 'postgres', historyName: credentialHistory, options: {} }, 1.1),
						credentials: { warehousePostgresApi: { id: '1', name: 'Warehouse PostgreSQL' } },
					},
				],
				connections: chain([['Input', 'Dedupe']]),
			};
			const credentials = { warehousePostgresApi: { ...pgConnection(), ssl: 'disable' } };
			const first = await runWorkflow(credentialed, [LEADS[0]], { credentials });
			expect(first.output('Dedupe', 0).map(({ json }) => json.id)).toEqual([LEADS[0].id]);
			const again = await runWorkflow(credentialed, [LEADS[0]], { credentials });
			expect(again.output('Dedupe', 1).map(({ json }) => json.id)).toEqual([LEADS[0].id]);
			const down = await runWorkflow(credentialed, [LEADS[0]], { credentials: { warehousePostgresApi: { ...pgConnection(), port: 1, ssl: 'disable' } } });
			expect(down.error).toBe('PostgreSQL record store is unreachable or unusable');
			expect(down.run.data.resultData.error?.description).toMatch(/ECONNREFUSED .*Check the Warehouse PostgreSQL credential/);
			const client = new Client({ connectionString: PG_URL });
			await client.connect();
			await client.query('DELETE FROM revops_dedupe_records WHERE history = $1', [credentialHistory]).finally(() => client.end());
		});

		it('names PostgreSQL when it is unreachable', async () => {
			const workflow = dedupeWorkflow({ operation: 'acrossExecutions', preset: 'b2b', store: 'postgres', postgresUrl: 'postgres://postgres@127.0.0.1:1/test', historyName: 'x' });
			const { error, run } = await runWorkflow(workflow, [LEADS[0]]);
			expect(error).toBe('PostgreSQL record store is unreachable or unusable');
			expect(run.data.resultData.error?.description).toMatch(/ECONNREFUSED .*Check the PostgreSQL URL/);
		});
	});

	describe('across executions with a SQLite record store', () => {
		let folder: string;
		beforeEach(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'dedupe-sqlite-'))));
		afterEach(() => rmSync(folder, { recursive: true, force: true }));

		const storeWorkflow = (file: string, operation = 'acrossExecutions') =>
			dedupeWorkflow({ operation, preset: 'b2b', store: 'sqlite', sqlitePath: file, historyName: 'leads' });

		it('remembers leads of earlier executions, fuzzy rules included, until the history is cleared', async () => {
			const file = path.join(folder, 'history.sqlite');
			const first = await runWorkflow(storeWorkflow(file), [LEADS[0], LEADS[3]]);
			expect(first.error).toBeUndefined();
			expect(first.output('Dedupe', 0)).toHaveLength(2);

			const second = await runWorkflow(storeWorkflow(file), [LEADS[2], LEADS[4], LEADS[1]]);
			expect(second.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['b']);
			expect(second.output('Dedupe', 1).map((item) => item.json._dedupe)).toEqual([
				expect.objectContaining({
					id: 'c',
					matched_in: 'existing',
					rule: 'email',
				}),
				expect.objectContaining({
					id: 'e',
					matched_in: 'existing',
					rule: 'name + company',
				}),
			]);

			const cleared = await runWorkflow(storeWorkflow(file, 'clearHistory'), [{}]);
			expect(cleared.output('Dedupe', 0)[0].json).toEqual({
				history: 'leads',
				cleared: 3,
			});
			const third = await runWorkflow(storeWorkflow(file), [LEADS[2]]);
			expect(third.output('Dedupe', 0).map((item) => item.json.id)).toEqual(['c']);
		});

		describe('matching only, remembering after the write', () => {
			let laterFolder: string;
			beforeAll(() => (laterFolder = mkdtempSync(path.join(os.tmpdir(), 'dedupe-later-'))));
			afterAll(() => rmSync(laterFolder, { recursive: true, force: true }));
			const file = () => path.join(laterFolder, 'history.sqlite');
			rememberAfterWriteTests(
				() => ({ store: 'sqlite', sqlitePath: file(), historyName: 'leads' }),
				async () => {
					const db = openSqlite(file());
					try {
						return (db.prepare('SELECT record FROM dedupe_records ORDER BY id').all() as Array<{ record: string }>).map((row) => JSON.parse(row.record));
					} finally {
						db.close();
					}
				},
			);
		});

		it('names the store when it cannot be opened', async () => {
			const { error } = await runWorkflow(storeWorkflow(path.join(folder, 'missing-folder', 'x', 'h.sqlite')), [LEADS[0]]);
			expect(error).toMatch(/^SQLite record store '.*h\.sqlite' cannot be opened$/);
		});
	});
});
