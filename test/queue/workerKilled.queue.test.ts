/**
 * A worker killed mid-run in queue mode (issue 17): "Lead capture to HubSpot" (its PostgreSQL variant, as
 * for queue mode) on main + one webhook processor + two workers. Leads are posted while HubSpot is slow,
 * so executions are inside the template when worker-1 is killed with SIGKILL (a crash, an OOM kill).
 * n8n 2.x does not run a stalled job again (its Bull queue's maxStalledCount is 0): what the killed worker
 * was running is lost to n8n, and the sender is what recovers it, as a form or a Standard Webhooks
 * sender does, retrying until it gets an answer. A lead the killed execution held (Find New Leads took it
 * as new) is new again when its Hold Time ends, so the retry sends it. Asserted: every sender ends with
 * "sent" or "duplicate", HubSpot has every lead, and the warehouse has each exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';

import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from '../e2e/crmStandIn';
import { emailOf, formLead } from '../e2e/formLeads';
import { workflowFile } from '../e2e/n8nServer';
import { postgresVariant, warehousePostgresCredentialFile } from '../e2e/templateVariants';
import { connectAdmin, useScratchSchema } from '../support/postgres';
import { useQueueRig } from './queueRig';

const LEAD = { id: 'revopsLeadKilledWorker', path: 'revops/queue/lead-killed-worker' };
/** People posted at once while HubSpot takes HUBSPOT_DELAY_MS to answer. */
const PEOPLE = Array.from({ length: 8 }, (_, i) => 301 + i);
const HUBSPOT_DELAY_MS = 4000;
/** Find New Leads' Hold Time here (the template's is 300 s): a killed execution's lead is new again after it. */
const HOLD_SECONDS = 15;
const SENDER_DEADLINE_MS = 150_000;

let crm: CrmStandIn;
beforeAll(async () => {
	crm = await startCrmStandIn();
});
afterAll(() => crm?.stop());
const { schema, admin } = useScratchSchema('killed');
const historyName = `killed_${process.pid}_${Date.now().toString(36)}`;

const leadVariant = postgresVariant(workflowFile('lead-capture-to-hubspot.json'), { id: LEAD.id, path: LEAD.path, table: `${schema}.leads`, history: { name: historyName } });
{
	const workflow = JSON.parse(fs.readFileSync(leadVariant.file, 'utf8')) as { nodes: Array<{ name: string; parameters: { options: Record<string, unknown> } }> };
	const find = workflow.nodes.find(({ name }) => name === 'Find New Leads');
	if (!find) throw new Error('the template has no Find New Leads');
	find.parameters.options.holdSeconds = HOLD_SECONDS;
	fs.writeFileSync(leadVariant.file, JSON.stringify(workflow));
}
const warehouseCredential = warehousePostgresCredentialFile();
afterAll(async () => {
	[leadVariant, warehouseCredential].forEach((temporary) => temporary.remove());
	const client = await connectAdmin();
	try {
		await client.query('DELETE FROM revops_dedupe_records WHERE history = $1', [historyName]);
	} finally {
		await client.end();
	}
});

const rig = useQueueRig([leadVariant.file], {
	env: () => crm.env(),
	credentialFiles: [path.join(__dirname, '..', 'e2e', 'fixtures', 'hubspotAppToken.credentials.json'), warehouseCredential.file],
});

interface SenderLog {
	n: number;
	attempts: string[];
	final?: { status: number; outcome: string };
}

/** A sender retrying every answer that is not "sent" or "duplicate" (a 5xx, a dropped connection, no answer in 40 s) every 3 s. */
async function send(n: number): Promise<SenderLog> {
	const log: SenderLog = { n, attempts: [] };
	const deadline = Date.now() + SENDER_DEADLINE_MS;
	while (Date.now() < deadline) {
		try {
			const response = await fetch(rig().webhookUrl(LEAD.path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(formLead(n)),
				signal: AbortSignal.timeout(40_000),
			});
			const text = await response.text();
			const outcome = response.status === 200 ? String((JSON.parse(text) as { outcome?: unknown }).outcome) : '';
			log.attempts.push(`${response.status} ${outcome || text.slice(0, 100)}`);
			if (outcome === 'sent' || outcome === 'duplicate') {
				log.final = { status: response.status, outcome };
				return log;
			}
		} catch (error) {
			log.attempts.push((error as Error).message);
		}
		await new Promise((resolve) => setTimeout(resolve, 3000));
	}
	return log;
}

let senders: SenderLog[] = [];
let workerOneJobs = 0;

it('kills worker-1 while it runs lead executions', async () => {
	crm.delayAnswers(HUBSPOT_DELAY_MS);
	const sending = Promise.all(PEOPLE.map((n) => send(n)));
	// every lead reached HubSpot's (slow) upsert: the executions are mid-run on both workers
	const deadline = Date.now() + 60_000;
	while (crm.requests(HUBSPOT_HOST).length < PEOPLE.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
	const workerOneLog = rig().processes().find(({ name }) => name === 'worker-1')?.logFile ?? '';
	workerOneJobs = (fs.readFileSync(workerOneLog, 'utf8').match(/Worker started execution/g) ?? []).length;
	await rig().kill('worker-1');
	crm.delayAnswers(0);
	senders = await sending;
	process.stdout.write(`queue mode, worker-1 killed with ${workerOneJobs} execution(s) started: what each sender got\n${senders.map(({ n, attempts }) => `  lead ${n}: ${attempts.join(' -> ')}`).join('\n')}\n`);
	expect(workerOneJobs).toBeGreaterThan(0);
}, 240_000);

it('gets every lead answered "sent" or "duplicate" in the end, by the sender retrying', () => {
	expect(senders.filter(({ final }) => final === undefined).map(({ n, attempts }) => ({ n, attempts }))).toEqual([]);
	// the killed executions' senders had to retry
	expect(senders.filter(({ attempts }) => attempts.length > 1).length).toBeGreaterThan(0);
});

it('has every lead in HubSpot and each exactly once in the warehouse', async () => {
	const upserted = new Set(
		crm
			.requests(HUBSPOT_HOST)
			.filter(({ path: requestPath }) => requestPath.includes('/contacts/batch/upsert'))
			.flatMap(({ body }) => ((body as { inputs?: Array<{ id: string }> }).inputs ?? []).map(({ id }) => id)),
	);
	expect(PEOPLE.filter((n) => !upserted.has(emailOf(n)))).toEqual([]);
	const { rows } = await admin().query(`SELECT lead_key, count(*)::int AS rows FROM ${schema}.leads GROUP BY lead_key ORDER BY lead_key`);
	expect(rows).toEqual(PEOPLE.map(emailOf).sort().map((email) => ({ lead_key: email, rows: 1 })));
});
