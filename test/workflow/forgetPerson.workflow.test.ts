import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INode } from 'n8n-workflow';

import { SqliteDeadLetterStore } from '../../lib/deadLetters/sqlite';
import { openSqlite } from '../../lib/warehouse/sqlite';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

describe('Forget Person inside the n8n engine (SQLite stores)', () => {
	let dir: string;
	let files: { dedupe: string; warehouse: string; deadLetters: string; salt: string };
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'forget-person-node-'));
		files = {
			dedupe: path.join(dir, 'dedupe.sqlite'),
			warehouse: path.join(dir, 'warehouse.sqlite'),
			deadLetters: path.join(dir, 'dlq.sqlite'),
			salt: path.join(dir, 'salt'),
		};
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	const leads = [
		{ email: 'maria.silva@gmail.com', phone: '+5511987654321', first_name: 'Maria', company: 'Acme' },
		{ email: 'joao@acme.com.br', phone: '+5511912345678', first_name: 'João', company: 'Acme' },
	];
	const dedupeNode = (): INode =>
		node('Dedupe', 'n8n-nodes-revops.dedupe', { operation: 'acrossExecutions', store: 'sqlite', sqlitePath: files.dedupe, historyName: 'leads' });
	const warehouseNode = (): INode =>
		node('Warehouse', 'n8n-nodes-revops.warehouseInsert', { target: 'sqlite', databaseFile: files.warehouse, tableKind: 'leads', onConflict: 'update', unknownFields: 'ignore', createTable: true });
	const forgetNode = (): INode =>
		node('Forget Person', 'n8n-nodes-revops.forgetPerson', {
			eraseIn: ['dedupeSqlite', 'warehouse', 'deadLetters'],
			dedupeSqliteFile: files.dedupe,
			target: 'sqlite',
			databaseFile: files.warehouse,
			deadLetterStore: 'sqlite',
			deadLetterFile: files.deadLetters,
			options: { saltFile: files.salt },
		});

	it('erases the person from every store, reports per store, audits without personal data, and a repeat removes nothing', async () => {
		const capture = { nodes: [node('Input', INPUT_NODE_TYPE), dedupeNode(), warehouseNode()], connections: chain([['Input', 'Dedupe'], ['Dedupe', 'Warehouse']]) };
		const captured = await runWorkflow(capture, leads.map((lead) => ({ ...lead, email_match_key: lead.email.replace('maria.silva', 'mariasilva') })));
		expect(captured.error).toBeUndefined();
		expect(captured.output('Warehouse')).toHaveLength(2);
		const deadLetters = await SqliteDeadLetterStore.open(files.deadLetters);
		await deadLetters.record({ workflowId: 'w', workflowName: 'w', step: 's', key: 'k', keySource: 'hash:sha256', reason: 'boom', itemJson: JSON.stringify(leads[0]) }, new Date());
		await deadLetters.close();

		const erase = { nodes: [node('Input', INPUT_NODE_TYPE), forgetNode()], connections: chain([['Input', 'Forget Person']]) };
		const requests = [{ email: 'Maria.Silva+promo@gmail.com' }, { email: 'not an address' }];
		const first = await runWorkflow(erase, requests);
		expect(first.error).toBeUndefined();
		const [report] = first.output('Forget Person', 0);
		expect(report.pairedItem).toEqual({ item: 0 });
		expect(report.json).toMatchObject({
			removed: { dedupe_sqlite: 1, warehouse_leads: 1, warehouse_nps_responses: 0, dead_letters: 1 },
			total_removed: 3,
			audit_written: true,
		});
		expect(JSON.stringify(report.json)).not.toMatch(/maria|silva|98765/i);
		expect(first.output('Forget Person', 1)).toEqual([
			{ json: { email: 'not an address', errors: [expect.objectContaining({ field: 'email', code: 'invalid_email' })] }, pairedItem: { item: 1 } },
		]);

		const again = await runWorkflow(erase, requests.slice(0, 1));
		expect(again.output('Forget Person', 0)[0].json).toMatchObject({ total_removed: 0, subject_hash: report.json.subject_hash });

		const db = openSqlite(files.warehouse);
		try {
			expect(db.prepare('SELECT email FROM leads').all()).toEqual([{ email: 'joao@acme.com.br' }]);
			expect(db.prepare('SELECT total_removed FROM privacy_erasures ORDER BY total_removed DESC').all()).toEqual([{ total_removed: 3 }, { total_removed: 0 }]);
		} finally {
			db.close();
		}
		// The same lead again is new to Dedupe.
		const recaptured = await runWorkflow(capture, [{ ...leads[0], email: 'maria.silva@gmail.com' }]);
		expect(recaptured.output('Dedupe', 0)).toHaveLength(1);
	});

	it('refuses to run with no store to erase in, or redelivery keys without the NPS table they are found through', async () => {
		const flow = (parameters: Record<string, unknown>) => ({
			nodes: [node('Input', INPUT_NODE_TYPE), node('Forget Person', 'n8n-nodes-revops.forgetPerson', { ...forgetNode().parameters, ...parameters } as INode['parameters'])],
			connections: chain([['Input', 'Forget Person']]),
		});
		const none = await runWorkflow(flow({ eraseIn: [] }), [{ email: 'a@acme.com' }]);
		expect(none.error).toBe('Erase In names no store: nothing would be erased');
		const keysAlone = await runWorkflow(flow({ eraseIn: ['npsRedelivery'] }), [{ email: 'a@acme.com' }]);
		expect(keysAlone.error).toMatch(/^NPS Trigger redelivery keys are found through the NPS table/);
	});
});
