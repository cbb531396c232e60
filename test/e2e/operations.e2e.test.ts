/**
 * Nothing lost, nothing unseen, end to end in a real n8n 2.41.1 with the packed pack: *Lead capture to
 * HubSpot* (its warehouse switched to PostgreSQL as its note says, reached through a proxy this test can take
 * down) meets a HubSpot that answers 503 for a minute, then refuses one lead with 400, then a warehouse that
 * is down. Every lead the flow could not finish is answered at once and ends in the dead-letter store with
 * its reason; once everything is back, one run of *Replay leads kept as dead letters* delivers each exactly
 * once (one HubSpot upsert, one warehouse row, and no renewed-interest task for a lead HubSpot took before
 * the warehouse failed); the Flow Health counts add up to what was posted and replayed; and *RevOps: health
 * check and alerts* emails one alert about the error rate. (That it stays silent while flows are healthy is
 * flowHealth.e2e.test.ts's.)
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';
import { pgConnection, useScratchSchema } from '../support/postgres';
import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from './crmStandIn';
import { emailOf, formLead } from './formLeads';
import { deadLetterEntries, finishedExecutions, flowMetrics, postJson, useN8n, waitForIdle, workflowFile } from './n8nServer';
import { startSmtpSink, type SmtpSink } from './smtpSink';
import { postgresVariant, replayAtOnceVariant } from './templateVariants';

const LEAD = { id: 'revopsLeadToHubSpot', path: 'revops/lead-to-hubspot' };
const REPLAY_ID = 'revopsReplayLeadsHubSpot';
const HEALTH_ID = 'revopsHealth';
const UPSERT_PATH = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`;
const OUTAGE_MS = 60_000;
/** People 1-4 are posted while HubSpot is down, 5 is refused, 6-7 meet the warehouse down, 8-10 go through. */
const PEOPLE = Array.from({ length: 10 }, (_, i) => i + 1);
const KEPT = [1, 2, 3, 4, 5, 6, 7];

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-operations-e2e-'));
const WAREHOUSE_CREDENTIAL_FILE = path.join(workDir, 'warehouse.credentials.json');
const SMTP_CREDENTIAL_FILE = path.join(workDir, 'smtp.credentials.json');

/** A TCP proxy in front of PostgreSQL: while `down`, it drops every connection at once, as a warehouse that is down. */
interface WarehouseProxy {
	port: number;
	down: boolean;
	close(): Promise<void>;
}

async function startWarehouseProxy(): Promise<WarehouseProxy> {
	const target = pgConnection();
	const sockets = new Set<net.Socket>();
	const proxy: WarehouseProxy = { port: 0, down: false, close: async () => undefined };
	const server = net.createServer((client) => {
		if (proxy.down) return void client.destroy();
		const upstream = net.connect(target.port, target.host);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => [client, upstream].forEach((end) => end.destroy()));
		}
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.port = (server.address() as net.AddressInfo).port;
	proxy.close = () => {
		sockets.forEach((socket) => socket.destroy());
		return new Promise((resolve) => server.close(() => resolve()));
	};
	return proxy;
}

let crm: CrmStandIn;
let proxy: WarehouseProxy;
let sink: SmtpSink;
// Before useN8n: n8n imports the credentials these write when it starts.
beforeAll(async () => {
	crm = await startCrmStandIn();
	proxy = await startWarehouseProxy();
	sink = await startSmtpSink();
	fs.writeFileSync(
		WAREHOUSE_CREDENTIAL_FILE,
		JSON.stringify([{ id: 'revopsWarehousePostgres', name: 'Warehouse PostgreSQL', type: 'warehousePostgresApi', data: { ...pgConnection(), host: '127.0.0.1', port: proxy.port } }]),
	);
	const smtp = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'smtp.credentials.json'), 'utf8')) as Array<{ data: Record<string, unknown> }>;
	smtp[0].data.port = sink.port;
	fs.writeFileSync(SMTP_CREDENTIAL_FILE, JSON.stringify(smtp));
});
const { schema, admin } = useScratchSchema('operations');
// The template as a user runs it with a PostgreSQL warehouse: same workflow id and path, so the replay finds it.
const lead = postgresVariant(workflowFile('lead-capture-to-hubspot.json'), { id: LEAD.id, path: LEAD.path, table: `${schema}.leads` });
const replay = replayAtOnceVariant(workflowFile('replay-leads-to-hubspot.json'));
const n8n = useN8n([lead.file, replay.file, workflowFile('revops-health.json')], {
	env: () => crm.env(),
	credentialFiles: [path.join(__dirname, 'fixtures', 'hubspotAppToken.credentials.json'), WAREHOUSE_CREDENTIAL_FILE, SMTP_CREDENTIAL_FILE],
});
afterAll(async () => {
	[lead, replay].forEach((temporary) => temporary.remove());
	await Promise.all([crm?.stop(), proxy?.close(), sink?.close()]);
	fs.rmSync(workDir, { recursive: true, force: true });
});

/** Person n's form fill, from the webinar campaign. */
const webinarLead = (n: number) => ({ ...formLead(n), utm_source: 'webinar', utm_campaign: 'december' });
// 500 accepted here so that a lead n8n itself failed on shows in the answers, not as a broken test
const postLead = (body: object) => postJson(n8n(), LEAD.path, body, [200, 422, 500, 502]);
const upsertedEmails = () =>
	crm
		.requests(HUBSPOT_HOST)
		.filter(({ path: requestPath }) => requestPath === UPSERT_PATH)
		.flatMap(({ body }) => (body as { inputs: Array<{ id: string }> }).inputs.map(({ id }) => id));
const pendingOrResolved = () => deadLetterEntries(n8n(), PEOPLE.map(emailOf)).map(({ item_key, step, status, reason, resolution }) => ({ item_key, step, status, reason, resolution }));

/** What each post was answered, by person. */
const answers = new Map<number | string, { status: number; body: Record<string, unknown> }>();

describe('a CRM down for a minute, a refused lead and a warehouse down', () => {
	beforeAll(async () => {
		// HubSpot answers 503 to every upsert for a minute; leads keep arriving meanwhile.
		const busy = { status: 503, body: { status: 'error', message: 'HubSpot is temporarily unavailable', category: 'SERVICE_UNAVAILABLE' } };
		const outageEnds = Date.now() + OUTAGE_MS;
		crm.script('POST', HUBSPOT_HOST, UPSERT_PATH, [busy], Infinity);
		for (const n of [1, 2, 3, 4]) answers.set(n, await postLead(webinarLead(n)));
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
		crm.reset();
		// HubSpot refuses one lead's values.
		const refusal = 'Property values were not valid: [{"isValid":false,"message":"Property \\"lead_source_detail\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"lead_source_detail"}]';
		crm.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 400, body: { status: 'error', message: refusal, category: 'VALIDATION_ERROR' } }]);
		answers.set(5, await postLead(webinarLead(5)));
		// The warehouse is down: HubSpot takes these two, the warehouse cannot.
		proxy.down = true;
		for (const n of [6, 7]) answers.set(n, await postLead(webinarLead(n)));
		proxy.down = false;
		// Everything works again: three new leads, one of them twice, and an invalid one.
		for (const n of [8, 9, 10]) answers.set(n, await postLead(webinarLead(n)));
		answers.set('8 again', await postLead(webinarLead(8)));
		answers.set('invalid', await postLead({ 'E-mail': 'not-an-email', 'First Name': 'Sem', utm_source: 'webinar' }));
		await waitForIdle(n8n(), LEAD.id);
	}, 240_000);

	it('answers every post at once: 502 naming the dead letter for each lead it could not finish, never a 5xx of n8n', () => {
		const outcomes = [...answers].map(([who, { status, body }]) => [who, status, body.outcome, body.dead_letter === undefined ? 'no entry' : 'kept']);
		expect(outcomes).toEqual([
			...[1, 2, 3, 4, 5, 6, 7].map((n) => [n, 502, 'failed', 'kept']),
			...[8, 9, 10].map((n) => [n, 200, 'sent', 'no entry']),
			['8 again', 200, 'duplicate', 'no entry'],
			['invalid', 422, 'invalid', 'kept'],
		]);
		expect(answers.get(6)?.body).toMatchObject({ stage: 'warehouse' });
	});

	it('keeps every lead it could not finish as a pending dead letter with the reason HubSpot or the warehouse gave', () => {
		const kept = pendingOrResolved();
		expect(kept.map(({ item_key }) => item_key)).toEqual(KEPT.map(emailOf));
		expect(kept.every(({ status }) => status === 'pending')).toBe(true);
		const reasons = Object.fromEntries(kept.map(({ item_key, step, reason }) => [item_key, `${step}: ${reason}`]));
		for (const n of [1, 2, 3, 4]) expect(reasons[emailOf(n)]).toBe('Send to HubSpot: HubSpot is temporarily unavailable');
		expect(reasons[emailOf(5)]).toMatch(/^Send to HubSpot: Property values were not valid: .*PROPERTY_DOESNT_EXIST/);
		for (const n of [6, 7]) expect(reasons[emailOf(n)]).toMatch(/^Warehouse Insert: Not written: /);
	});

	it('replays once everything is back: each kept lead is delivered exactly once, nothing else is sent, and a second replay has nothing to do', async () => {
		crm.reset();
		expect((await n8n().execute(REPLAY_ID)).status).toBe('success');
		await waitForIdle(n8n(), LEAD.id);
		// one upsert per kept lead (6 and 7 again too: an upsert by email updates the contact HubSpot has), and no renewed-interest note or task
		expect(upsertedEmails().sort()).toEqual(KEPT.map(emailOf).sort());
		expect(crm.requests(HUBSPOT_HOST).filter(({ path: requestPath }) => /\/(notes|tasks)$/.test(requestPath))).toEqual([]);
		expect(pendingOrResolved().map(({ status, resolution }) => `${status}: ${resolution}`)).toEqual(KEPT.map(() => 'resolved: replayed: sent'));
		const { rows } = await admin().query(`SELECT lead_key, count(*)::int AS rows FROM ${schema}.leads GROUP BY lead_key ORDER BY lead_key COLLATE "C"`);
		expect(rows).toEqual(PEOPLE.map(emailOf).sort().map((email) => ({ lead_key: email, rows: 1 })));

		crm.reset();
		await n8n().execute(REPLAY_ID);
		await waitForIdle(n8n(), LEAD.id);
		expect(upsertedEmails()).toEqual([]);
	});

	it('counts every execution once, and the counts add up to what was posted and replayed', () => {
		const executions = finishedExecutions(n8n(), LEAD.id);
		// 12 posts and 7 replays
		expect(executions).toHaveLength(19);
		const rows = flowMetrics(
			n8n(),
			executions.map(({ id }) => id),
		);
		expect(rows).toHaveLength(executions.length);
		const tally = new Map<string, number>();
		for (const { outcome, error_type } of rows) tally.set(`${outcome} ${error_type ?? ''}`.trim(), (tally.get(`${outcome} ${error_type ?? ''}`.trim()) ?? 0) + 1);
		expect(Object.fromEntries([...tally].sort())).toEqual({
			duplicate: 1,
			'failed error': 2,
			'failed http_400': 1,
			'failed http_503': 4,
			'invalid invalid:invalid_email': 1,
			sent: 10,
		});
	});

	it("emails one alert: the webinar's error rate crossed 5%", async () => {
		const run = await n8n().execute(HEALTH_ID);
		expect(run.status).toBe('success');
		const report = run.data.resultData.runData['Check Health'][0].data?.main[1]?.[0]?.json as Record<string, unknown>;
		expect(report).toMatchObject({ healthy: false, totals: { received: 19, sent: 10, duplicate: 1, invalid: 1, failed: 7 } });
		expect(report.alerts).toEqual([expect.objectContaining({ check: 'error_rate', source: 'webinar' })]);
		const deadline = Date.now() + 30_000;
		while (sink.mails.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
		expect(sink.mails.map(({ subject }) => subject)).toEqual(['RevOps health: 1 alert (webinar)']);
	});
});
