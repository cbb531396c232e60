/**
 * Flow Health and the alert templates inside a real n8n 2.41.1 (the packed pack installed as a
 * community package): a webhook flow counts every lead it receives with Record Outcome; the
 * *RevOps: health check and alerts* template, run as shipped (Manual Trigger, `n8n execute`), stays
 * silent while the flows are healthy and emails one alert to a local SMTP server once a source's
 * error rate crosses 5%; the counts add up to what was posted. A flow that crashes has
 * *RevOps: crash alerts* (its Error Workflow) email the step and the error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadedNodeTypes, postJson, useN8n, workflowFile } from './n8nServer';
import { startSmtpSink, type SmtpSink } from './smtpSink';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-health-e2e-'));
const CAPTURE_FILE = path.join(workDir, 'capture.json');
const CRASH_FILE = path.join(workDir, 'crash.json');
const SMTP_CREDENTIAL_FILE = path.join(workDir, 'smtp.credentials.json');
const HEALTH_ID = 'revopsHealth';

let sink: SmtpSink;

function webhook(id: string, webhookPath: string) {
	return {
		id,
		name: 'Lead Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `${id}-hook`,
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
}

function recordOutcome(id: string, databaseFile = '') {
	return {
		id,
		name: 'Record Outcome',
		type: 'n8n-nodes-revops.flowHealth',
		typeVersion: 1,
		position: [240, 0],
		parameters: { operation: 'recordOutcome', store: 'sqlite', databaseFile, outcome: 'auto' },
	};
}

const linked = { 'Lead Webhook': { main: [[{ node: 'Record Outcome', type: 'main', index: 0 }]] } };

beforeAll(async () => {
	sink = await startSmtpSink();
	// The templates' SMTP credential (same id), pointed at the local sink.
	const smtp = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'smtp.credentials.json'), 'utf8')) as Array<{ data: Record<string, unknown> }>;
	smtp[0].data.port = sink.port;
	fs.writeFileSync(SMTP_CREDENTIAL_FILE, JSON.stringify(smtp));
	fs.writeFileSync(
		CAPTURE_FILE,
		JSON.stringify({ id: 'healthCapture001', name: 'Flow health e2e: capture', nodes: [webhook('h1', 'revops/health-capture'), recordOutcome('h2')], connections: linked, settings: { executionOrder: 'v1' } }),
	);
	// Its store cannot be opened: the node throws, and n8n runs the crash-alert template for it.
	fs.writeFileSync(
		CRASH_FILE,
		JSON.stringify({
			id: 'healthCrash00001',
			name: 'Flow health e2e: crash',
			nodes: [webhook('k1', 'revops/health-crash'), recordOutcome('k2', '/proc/revops-no-such-folder/metrics.sqlite')],
			connections: linked,
			settings: { executionOrder: 'v1', errorWorkflow: 'revopsCrashAlerts' },
		}),
	);
});

const n8n = useN8n([CAPTURE_FILE, CRASH_FILE, workflowFile('revops-health.json'), workflowFile('revops-crash-alerts.json')], {
	credentialFiles: [SMTP_CREDENTIAL_FILE],
});

afterAll(async () => {
	await sink.close();
	fs.rmSync(workDir, { recursive: true, force: true });
});

const lead = (index: number, source: string, invalid = false) => ({
	email: `lead${index}@${source}.example`,
	utm_source: source,
	received_at: new Date().toISOString(),
	...(invalid ? { errors: [{ field: 'phone', code: 'invalid_phone', message: "phone '12' is too short" }] } : {}),
});

async function checkHealth() {
	const run = await n8n().execute(HEALTH_ID);
	expect(run.status).toBe('success');
	const report = run.data.resultData.runData['Check Health'][0].data?.main[1]?.[0]?.json as Record<string, unknown>;
	return { run, report };
}

async function mailsAfter(count: number, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	while (sink.mails.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
	return sink.mails;
}

it('loads Flow Health as a community package node', () => {
	expect(loadedNodeTypes(n8n())).toContain('n8n-nodes-revops.flowHealth');
});

it('stays silent while every source is healthy', async () => {
	for (let index = 0; index < 12; index++) await postJson(n8n(), 'revops/health-capture', lead(index, 'google'), [200]);
	const { run, report } = await checkHealth();
	expect(report).toMatchObject({ healthy: true, totals: { received: 12, sent: 12, invalid: 0 } });
	expect(Object.keys(run.data.resultData.runData)).toContain('Outcome: healthy');
	expect(run.data.resultData.runData['Send Alert Email']).toBeUndefined();
	expect(sink.mails).toEqual([]);
});

it("emails one alert when a source's error rate crosses 5%, and the counts add up to what was posted", async () => {
	for (let index = 0; index < 10; index++) await postJson(n8n(), 'revops/health-capture', lead(index, 'facebook', index < 2), [200]);
	const { report } = await checkHealth();
	expect(report).toMatchObject({
		healthy: false,
		totals: { received: 22, sent: 20, invalid: 2, failed: 0, duplicate: 0 },
		sources: [
			{ source: 'facebook', received: 10, sent: 8, invalid: 2, errorRate: 0.2 },
			{ source: 'google', received: 12, sent: 12, errorRate: 0 },
		],
		errorTypes: [{ type: 'invalid:invalid_phone', count: 2 }],
		alerts: [{ check: 'error_rate', source: 'facebook' }],
	});
	const mails = await mailsAfter(1);
	expect(mails).toHaveLength(1);
	expect(mails[0]).toMatchObject({ from: 'revops-alerts@example.com', to: ['revops-team@example.com'], subject: 'RevOps health: 1 alert (facebook)' });
	expect(mails[0].readable).toContain('facebook: 20% of 10 items failed or were invalid (0 failed, 2 invalid); the limit is 5.0%');
	expect(mails[0].data).toMatch(/text\/html/);
});

it('emails the step and the error when a flow crashes (RevOps: crash alerts as its Error Workflow)', async () => {
	const before = sink.mails.length;
	await postJson(n8n(), 'revops/health-crash', lead(99, 'google'), [500]).catch(() => undefined);
	const mails = await mailsAfter(before + 1);
	const crash = mails.slice(before);
	expect(crash).toHaveLength(1);
	expect(crash[0].subject).toBe('RevOps: Flow health e2e: crash crashed');
	expect(crash[0].readable).toContain('Step: Record Outcome');
	expect(crash[0].readable).toContain("The flow-metrics file '/proc/revops-no-such-folder/metrics.sqlite' cannot be opened");
});
