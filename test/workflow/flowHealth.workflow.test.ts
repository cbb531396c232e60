import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { pgConnection, useScratchSchema } from '../support/postgres';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const FLOW_HEALTH = 'n8n-nodes-revops.flowHealth';

function flowHealth(name: string, parameters: Record<string, unknown>): INode {
	return node(name, FLOW_HEALTH, parameters as INode['parameters']);
}

function workflow(nodes: INode[], connections: IConnections) {
	return { nodes: [node('Input', INPUT_NODE_TYPE), ...nodes], connections };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** What a lead capture flow ends with, one of each outcome, from two sources. */
const ITEMS: IDataObject[] = [
	{ email: 'ana@acme.com', source: 'google', received_at: minutesAgo(2) },
	{ email: 'ben@acme.com', source: 'google', received_at: minutesAgo(1), _dedupe: { status: 'duplicate' } },
	{ email: 'cy@', source: 'facebook', errors: [{ field: 'email', code: 'invalid_email', message: "email 'cy@' has no domain" }] },
	{ email: 'di@acme.com', source: 'facebook', failure: { statusCode: 503, message: 'HubSpot is down' } },
];

describe('Flow Health inside the n8n engine (SQLite)', () => {
	let dir: string;
	let store: Record<string, unknown>;
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'flow-health-node-'));
		store = { store: 'sqlite', databaseFile: path.join(dir, 'metrics.sqlite') };
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	const record = (parameters: Record<string, unknown> = {}) => flowHealth('Record Outcome', { ...store, operation: 'recordOutcome', ...parameters });
	const check = async (parameters: Record<string, unknown> = {}) => {
		const run = await runWorkflow(workflow([flowHealth('Check Health', { ...store, operation: 'checkHealth', ...parameters })], chain([['Input', 'Check Health']])), [{}]);
		expect(run.error).toBeUndefined();
		return { alerts: run.output('Check Health', 0), report: run.output('Check Health', 1)[0].json };
	};

	it('passes every item on unchanged, with its pairedItem, and counts each by source and outcome', async () => {
		const run = await runWorkflow(workflow([record()], chain([['Input', 'Record Outcome']])), ITEMS);
		expect(run.output('Record Outcome')).toEqual(ITEMS.map((json, index) => ({ json, pairedItem: { item: index } })));

		const { report } = await check({ minItems: 1 });
		expect(report.totals).toMatchObject({ received: 4, valid: 3, sent: 1, duplicate: 1, invalid: 1, failed: 1, errorRate: 0.5 });
		expect(report.sources).toMatchObject([
			{ source: 'facebook', received: 2, invalid: 1, failed: 1, latencyP50Ms: null },
			{ source: 'google', received: 2, sent: 1, duplicate: 1 },
		]);
		const [google] = (report.sources as IDataObject[]).filter(({ source }) => source === 'google');
		expect(google.latencyP50Ms).toBeGreaterThanOrEqual(110_000);
		expect(report.errorTypes).toEqual([
			{ type: 'http_503', count: 1 },
			{ type: 'invalid:invalid_email', count: 1 },
		]);
	});

	it('alerts once, with a subject, text and an escaped HTML report, when a threshold is crossed, and stays silent otherwise', async () => {
		await runWorkflow(workflow([record()], chain([['Input', 'Record Outcome']])), ITEMS);
		const quiet = await check({ minItems: 10 });
		expect(quiet.alerts).toEqual([]);
		expect(quiet.report).toMatchObject({ healthy: true, subject: 'RevOps health: all well (4 items)' });

		const loud = await check({ minItems: 2, maxErrorRatePercent: 5 });
		expect(loud.alerts).toHaveLength(1);
		expect(loud.alerts[0].pairedItem).toEqual({ item: 0 });
		expect(loud.alerts[0].json).toMatchObject({
			healthy: false,
			subject: 'RevOps health: 1 alert (facebook)',
			alerts: [{ check: 'error_rate', source: 'facebook', value: 1, threshold: 0.05 }],
		});
		expect(loud.alerts[0].json.text).toContain('facebook: 100% of 2 items failed or were invalid (1 failed, 1 invalid); the limit is 5.0%');
		expect(loud.alerts[0].json.html).toContain('<li>facebook: 100% of 2 items');
	});

	it('takes the source and receipt time from expressions when the item is a CRM answer', async () => {
		const answers = [{ id: '101', lead_source: 'linkedin', lead_received: minutesAgo(20) }];
		const recordAnswer = record({ outcome: 'sent', source: '={{ $json.lead_source }}', receivedAt: '={{ $json.lead_received }}' });
		await runWorkflow(workflow([recordAnswer], chain([['Input', 'Record Outcome']])), answers);
		const { alerts, report } = await check({ minItems: 1, maxLatencyMinutes: 15 });
		expect(report.sources).toMatchObject([{ source: 'linkedin', sent: 1 }]);
		expect(alerts[0].json.alerts).toMatchObject([{ check: 'latency', source: 'linkedin', threshold: 900_000 }]);
	});

	it("reads a Webhook node's body as the record (Auto-Detect), or the field Record names", async () => {
		const fromWebhook = { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: { email: 'eve@acme.com', utm_source: 'tally' }, webhookUrl: 'http://x', executionMode: 'production' };
		await runWorkflow(workflow([record()], chain([['Input', 'Record Outcome']])), [fromWebhook]);
		await runWorkflow(workflow([record({ recordFrom: 'field', recordField: 'data.lead' })], chain([['Input', 'Record Outcome']])), [{ data: { lead: { source: 'zapier' } } }]);
		const { report } = await check();
		expect((report.sources as IDataObject[]).map(({ source }) => source)).toEqual(['tally', 'zapier']);
	});

	it('names a known source that has gone silent, and forgets outcomes older than Max Age (Days)', async () => {
		await runWorkflow(workflow([record()], chain([['Input', 'Record Outcome']])), [{ email: 'old@acme.com', source: 'webinar' }, ITEMS[0]]);
		const db = openSqlite(store.databaseFile as string);
		db.prepare("UPDATE revops_flow_metrics SET recorded_at = ? WHERE source = 'webinar'").run(minutesAgo(3 * 24 * 60));
		db.close();
		const { alerts } = await check({ silentAfterHours: 24 });
		expect(alerts[0].json.alerts).toMatchObject([{ check: 'silent_source', source: 'webinar' }]);

		const expired = await check({ silentAfterHours: 24, maxAgeDays: 2 });
		expect(expired.alerts).toEqual([]);
		expect(expired.report.totals).toMatchObject({ received: 1 });
	});

	it('escapes a hostile source in the HTML report', async () => {
		await runWorkflow(workflow([record()], chain([['Input', 'Record Outcome']])), [{ source: '<img src=x onerror=alert(1)>' }]);
		const { report } = await check();
		expect(report.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(report.html).not.toContain('<img');
	});
});

describe('Flow Health inside the n8n engine (PostgreSQL at PG_URL)', () => {
	const { schema } = useScratchSchema('health_node');

	it('records and checks through the Warehouse PostgreSQL credential', async () => {
		const credentials = { warehousePostgresApi: { ...pgConnection(), ssl: 'disable' } as unknown as IDataObject };
		const parameters = { store: 'postgres', tableName: `${schema}.flow_metrics` };
		const withCredential = (flowNode: INode) => ({ ...flowNode, credentials: { warehousePostgresApi: { id: '1', name: 'pg' } } });
		const recordNode = withCredential(flowHealth('Record Outcome', { ...parameters, operation: 'recordOutcome' }));
		const recorded = await runWorkflow(workflow([recordNode], chain([['Input', 'Record Outcome']])), ITEMS, { credentials });
		expect(recorded.output('Record Outcome')).toHaveLength(4);
		const checkNode = withCredential(flowHealth('Check Health', { ...parameters, operation: 'checkHealth', minItems: 1 }));
		const checked = await runWorkflow(workflow([checkNode], chain([['Input', 'Check Health']])), [{}], { credentials });
		expect(checked.output('Check Health', 1)[0].json.totals).toMatchObject({ received: 4, sent: 1, duplicate: 1, invalid: 1, failed: 1 });
		expect(checked.output('Check Health', 0)[0].json.alerts).toMatchObject([{ check: 'error_rate', source: 'facebook' }]);
	});
});
