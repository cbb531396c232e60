/**
 * Templates "Lead capture to HubSpot" and "NPS to HubSpot" in n8n 2.41.1 queue mode (main + one webhook
 * processor + two workers on one PostgreSQL database and Redis), under concurrent load through the webhook
 * processor, with duplicates and sender retries mixed in. Each template is the PostgreSQL variant a user
 * makes by its notes: warehouse on PostgreSQL, and for lead capture both Dedupe nodes on the PostgreSQL
 * store ("in queue mode choose PostgreSQL in both"), since SQLite files are not shared between workers.
 * HubSpot is the e2e tests' CRM stand-in, which records every request n8n's nodes make.
 *
 * What holds across processes and is asserted: every post is answered (none lost, none a 5xx), every
 * person and response lands in the warehouse exactly once, a lead posted again after its first answer is
 * a duplicate whichever worker runs it, each post upserts its lead once by email (a duplicate updates the contact it matched),
 * and each NPS response starts exactly one execution and one CRM update (n8n's processed-data store is
 * read and written by the one webhook processor, whose calls the trigger serialises).
 * A lead posted several times at the same moment is sent once: Find New Leads holds it until Remember Sent
 * Leads remembers it (Dedupe's Hold New Records Until Remembered), and the other posts wait for that and
 * answer "duplicate", whichever worker runs them.
 */
import fs from 'node:fs';
import path from 'node:path';

import { signatureHeaders } from '../support/npsSenders';
import { CLAIMS_TABLE } from '../../lib/nps/deliveryClaims';
import { connectAdmin, useScratchSchema } from '../support/postgres';
import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from '../e2e/crmStandIn';
import { emailOf, formLead } from '../e2e/formLeads';
import { workflowFile } from '../e2e/n8nServer';
import { postgresVariant, warehousePostgresCredentialFile } from '../e2e/templateVariants';
import { inParallel, shuffled, useQueueRig } from './queueRig';
import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';

const fixture = (name: string) => path.join(__dirname, '..', 'e2e', 'fixtures', name);
const LEAD = { id: 'revopsLeadToHubSpotPg', path: 'revops/queue/lead-to-hubspot' };
const NPS = { id: 'revopsNpsToHubSpotPg', path: 'revops/queue/nps-to-hubspot' };
/** The NPS template with its Redelivery Check on PostgreSQL, reached through both webhook processors. */
const NPS_CLAIMED = { id: 'revopsNpsToHubSpotClaims', path: 'revops/queue/nps-claimed' };
const UPSERT_PATH = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`;
const PEOPLE = 20;
/** People (and NPS responses) 1..RACED are posted three times at the same moment; the rest once, then again after the answer. */
const RACED = 8;
const CONCURRENCY = 6;
/** Responses sent to NPS_CLAIMED: numbers CLAIMED_FROM.., each delivered 4 times at once, twice to each webhook processor. */
const CLAIMED_FROM = 101;
const CLAIMED = 12;
const claimedNumbers = Array.from({ length: CLAIMED }, (_, i) => CLAIMED_FROM + i);

const respondent = (n: number) => `respondent${n}@customer${n}.example`;
let crm: CrmStandIn;
beforeAll(async () => {
	// every respondent is a HubSpot contact, so each response reaches "Update Contact"
	crm = await startCrmStandIn({ people: [...Array.from({ length: PEOPLE }, (_, i) => respondent(i + 1)), ...claimedNumbers.map(respondent)] });
});
afterAll(() => crm?.stop());
const { schema, admin } = useScratchSchema('queue');
const historyName = `queue_${process.pid}_${Date.now().toString(36)}`;

const leadVariant = postgresVariant(workflowFile('lead-capture-to-hubspot.json'), {
	path: LEAD.path,
	table: `${schema}.leads`,
	history: { name: historyName },
});
const npsVariant = postgresVariant(workflowFile('nps-to-hubspot.json'), { path: NPS.path, table: `${schema}.nps_responses` });
const npsClaimedVariant = postgresVariant(workflowFile('nps-to-hubspot.json'), {
	id: NPS_CLAIMED.id,
	path: NPS_CLAIMED.path,
	table: `${schema}.nps_claimed`,
	redeliveryClaims: true,
});
const warehouseCredential = warehousePostgresCredentialFile();
afterAll(async () => {
	[leadVariant, npsVariant, npsClaimedVariant, warehouseCredential].forEach((temporary) => temporary.remove());
	// the Dedupe history lives in PG_URL's database (public schema), named for this run
	const client = await connectAdmin();
	try {
		const { rows } = await client.query(`SELECT to_regclass('revops_dedupe_records') AS history_table`);
		if (rows[0].history_table) await client.query('DELETE FROM revops_dedupe_records WHERE history = $1', [historyName]);
		// NPS_CLAIMED's claims, scoped by its workflow id
		await client.query(`DELETE FROM ${CLAIMS_TABLE} WHERE scope LIKE $1`, [`${NPS_CLAIMED.id}:%`]);
	} finally {
		await client.end();
	}
});

const rig = useQueueRig([leadVariant.file, npsVariant.file, npsClaimedVariant.file], {
	webhookProcessors: 2,
	env: () => crm.env(),
	credentialFiles: [fixture('hubspotAppToken.credentials.json'), fixture('npsWebhookSecret.credentials.json'), warehouseCredential.file],
});

interface Answer {
	status: number;
	body: Record<string, unknown>;
}

/** 503s n8n answered (its database check failed under load, "Database is not ready!"), each retried by the sender. */
const busyAnswers: string[] = [];
const SENDER_TRIES = 6;

/**
 * POSTs as a sender does: a 503 is retried after a pause (Standard Webhooks senders retry every non-2xx;
 * a form's retry does the same), so what is asserted is the answer the sender ends with.
 */
async function post(webhookPath: string, text: string, headers: Record<string, string> = {}, processor = 0): Promise<Answer> {
	for (let attempt = 1; ; attempt++) {
		const response = await fetch(rig().webhookUrl(webhookPath, processor), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
		const body = await response.text();
		if (response.status === 503 && attempt < SENDER_TRIES) {
			busyAnswers.push(`${webhookPath}: ${body.slice(0, 80)}`);
			await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
			continue;
		}
		try {
			return { status: response.status, body: JSON.parse(body) as Record<string, unknown> };
		} catch {
			return { status: response.status, body: { unparsed: body } };
		}
	}
}

const postLead = (n: number) => post(LEAD.path, JSON.stringify(formLead(n)));

const npsBody = (n: number) => ({
	response_id: `queue-r${n}`,
	survey_date: '2026-03-14T09:30:00Z',
	nps_score: n % 11,
	email: respondent(n),
	comment: `Response ${n}`,
	themes: ['Support'],
});

/** A Standard Webhooks delivery of response n; a retry carries the same message id, signed anew. */
function deliverNps(n: number, workflow = NPS, processor = 0): Promise<Answer> {
	const text = JSON.stringify(npsBody(n));
	return post(workflow.path, text, signatureHeaders('generic', text, { webhookId: `msg_queue_${n}` }), processor);
}

/** HubSpot contact updates (the NPS templates' Update Contact) per respondent email. */
function updatesPerEmail(): Map<string, number> {
	const counts = new Map<string, number>();
	// Update Contact: PATCH /crm/objects/<version>/contacts/<id> with the respondent's email among the properties.
	const update = new RegExp(`^/crm/objects/${HUBSPOT_API_VERSION}/contacts/\\d+$`);
	for (const { method, path: requestPath, body } of crm.requests(HUBSPOT_HOST)) {
		const email = (body as { properties?: { email?: string } } | undefined)?.properties?.email;
		if (method === 'PATCH' && update.test(requestPath) && email !== undefined) counts.set(email, (counts.get(email) ?? 0) + 1);
	}
	return counts;
}

/** Finished executions of a workflow, waiting until `count` have finished and none more starts within `settleMs`. */
async function settledExecutions(workflowId: string, count: number, { timeoutMs = 120_000, settleMs = 3000 } = {}) {
	const list = () =>
		rig().query('SELECT id, status, "stoppedAt" FROM execution_entity WHERE "workflowId" = ? ORDER BY id', [workflowId]) as Promise<
			Array<{ id: number; status: string; stoppedAt: Date | null }>
		>;
	const deadline = Date.now() + timeoutMs;
	let executions = await list();
	while (executions.filter(({ stoppedAt }) => stoppedAt).length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		executions = await list();
	}
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return list();
}

/**
 * What failed executions say (their stored run data is flatted JSON: an array whose strings include the
 * error's message and the failing node's name), for a failure message: the logs of queue-mode processes
 * do not hold a node's error.
 */
async function failureTexts(executions: Array<{ id: number; status: string }>): Promise<string> {
	const failed = executions.filter(({ status }) => status !== 'success').map(({ id }) => id);
	if (failed.length === 0) return '';
	const rows = (await rig().query(`SELECT "executionId", data FROM execution_data WHERE "executionId" IN (${failed.map(() => '?').join(', ')})`, failed)) as Array<{
		executionId: number;
		data: string;
	}>;
	return rows
		.map(({ executionId, data }) => {
			const texts = (JSON.parse(data) as unknown[]).filter((value): value is string => typeof value === 'string' && value.length < 400 && /error|fail|violat|refus|timeout|not /i.test(value));
			return `execution ${executionId}: ${texts.slice(0, 6).join(' | ')}`;
		})
		.join('\n');
}

/** The error lines of the queue-mode processes' logs, for a failure message. */
function workerErrors(): string {
	return rig()
		.processes()
		.map(({ name, logFile }) => {
			const errors = fs.readFileSync(logFile, 'utf8').split('\n').filter((line) => /error|stalled|crash|timeout|ECONN/i.test(line));
			return `--- ${name}: ${errors.length} error lines\n${errors.slice(-15).join('\n')}`;
		})
		.join('\n');
}

/** Everything posted, per person or response, with the answers; filled by the load test. */
const leadAnswers = new Map<number, { raced: Answer[]; first?: Answer; retry?: Answer }>();
const npsAnswers = new Map<number, Answer[]>();
const claimedAnswers = new Map<number, Answer[]>();

/** Upserts HubSpot received per lead email. */
function upsertsPerEmail(): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of crm.requests(HUBSPOT_HOST).filter(({ path }) => path === UPSERT_PATH)) {
		for (const input of (request.body as { inputs: Array<{ id: string }> }).inputs) counts.set(input.id, (counts.get(input.id) ?? 0) + 1);
	}
	return counts;
}

describe('lead capture and NPS under concurrent load through the webhook processor', () => {
	beforeAll(async () => {
		const leadTasks: Array<() => Promise<void>> = [];
		const npsTasks: Array<() => Promise<void>> = [];
		for (let n = 1; n <= PEOPLE; n++) {
			leadAnswers.set(n, { raced: [] });
			npsAnswers.set(n, []);
			if (n <= RACED) {
				for (let copy = 0; copy < 3; copy++) {
					leadTasks.push(async () => void leadAnswers.get(n)!.raced.push(await postLead(n)));
					npsTasks.push(async () => void npsAnswers.get(n)!.push(await deliverNps(n)));
				}
			} else {
				leadTasks.push(async () => {
					const answers = leadAnswers.get(n)!;
					answers.first = await postLead(n);
					// the form posts it again (a retry after a timeout, a double submit), after the first answer
					answers.retry = await postLead(n);
				});
				npsTasks.push(async () => {
					npsAnswers.get(n)!.push(await deliverNps(n));
					// the sender did not see the 200 in time and redelivers the same message
					npsAnswers.get(n)!.push(await deliverNps(n));
				});
			}
		}
		// the lead and NPS traffic at once, each CONCURRENCY posts in flight
		await Promise.all([inParallel(shuffled(leadTasks), CONCURRENCY), inParallel(shuffled(npsTasks, 29), CONCURRENCY)]);
		// a sender's retries racing each other on both webhook processors: 4 deliveries of each response at once
		for (const n of claimedNumbers) {
			// which processor is asked first alternates, so each wins some of the races (the first asked mostly wins)
			const order = n % 2 === 0 ? [0, 1, 0, 1] : [1, 0, 1, 0];
			claimedAnswers.set(n, await Promise.all(order.map((processor) => deliverNps(n, NPS_CLAIMED, processor))));
		}
		process.stdout.write(`queue mode: ${busyAnswers.length} posts answered 503 and retried by the sender${busyAnswers.length ? `, e.g. ${busyAnswers[0]}` : ''}\n`);
	});

	it('answers every lead post: sent or duplicate, never an error', () => {
		const all = [...leadAnswers.values()].flatMap(({ raced, first, retry }) => [...raced, first, retry].filter((answer) => answer !== undefined));
		expect(all).toHaveLength(RACED * 3 + (PEOPLE - RACED) * 2);
		// one short line per failure, so a CI log shows what the sender got (an answer body can be long)
		const failures = all
			.filter(({ status, body }) => status !== 200 || !['sent', 'duplicate'].includes(body.outcome as string))
			.map(({ status, body }) => `${status} ${JSON.stringify(body).slice(0, 300)}`);
		if (failures.length > 0) process.stdout.write(`queue mode: lead posts not answered sent or duplicate:\n${failures.join('\n')}\n${workerErrors()}\n`);
		expect(failures).toEqual([]);
	});

	it('sends each person exactly once, posted at the same moment or not, and answers a post made after the first answer as a duplicate, whichever worker runs it', () => {
		for (const [n, { raced, first, retry }] of leadAnswers) {
			const answers = [...raced, first].filter((answer) => answer !== undefined);
			expect({ n, sent: answers.filter(({ body }) => body.outcome === 'sent').length }).toEqual({ n, sent: 1 });
			if (retry) {
				expect({ n, first: first?.body.outcome, retry: retry.body }).toEqual({
					n,
					first: 'sent',
					retry: expect.objectContaining({ outcome: 'duplicate', email: emailOf(n), matched: expect.objectContaining({ id: emailOf(n), in: 'existing' }) }),
				});
			}
		}
	});

	it('upserts each lead into HubSpot once per post, by the email it was sent with: a duplicate updates that contact', async () => {
		// a duplicate's update runs after its answer: count once every lead execution finished
		await settledExecutions(LEAD.id, RACED * 3 + (PEOPLE - RACED) * 2);
		const upserts = upsertsPerEmail();
		const perPerson = [...leadAnswers].map(([n, { raced, first, retry }]) => ({
			n,
			upserts: upserts.get(emailOf(n)) ?? 0,
			posts: [...raced, first, retry].filter((answer) => answer !== undefined).length,
		}));
		expect(perPerson.filter(({ upserts: count, posts }) => count !== posts)).toEqual([]);
		expect([...upserts.keys()].sort()).toEqual(Array.from({ length: PEOPLE }, (_, i) => emailOf(i + 1)).sort());
	});

	it('loads each person into the PostgreSQL warehouse exactly once', async () => {
		const { rows } = await admin().query(`SELECT lead_key, count(*)::int AS rows FROM ${schema}.leads GROUP BY lead_key ORDER BY lead_key COLLATE "C"`);
		const people = Array.from({ length: PEOPLE }, (_, i) => emailOf(i + 1)).sort();
		expect(rows).toEqual(people.map((email) => ({ lead_key: email, rows: 1 })));
	});

	it('answers every NPS delivery, first or retried, with 200 and the response id', () => {
		for (const [n, answers] of npsAnswers) {
			expect(answers).toEqual(Array(n <= RACED ? 3 : 2).fill({ status: 200, body: { received: true, response_id: `queue-r${n}` } }));
		}
	});

	it('starts exactly one execution per NPS response, all successful, however often it was delivered', async () => {
		const executions = await settledExecutions(NPS.id, PEOPLE);
		if (executions.some(({ status }) => status !== 'success')) process.stdout.write(`queue mode: NPS executions ${JSON.stringify(executions)}\n${await failureTexts(executions)}\n${workerErrors()}\n`);
		expect(executions.map(({ status }) => status)).toEqual(Array(PEOPLE).fill('success'));
	});

	it('updates each respondent in HubSpot once and loads each response into the warehouse once', async () => {
		const updates = updatesPerEmail();
		expect(Array.from({ length: PEOPLE }, (_, i) => [respondent(i + 1), updates.get(respondent(i + 1))])).toEqual(
			Array.from({ length: PEOPLE }, (_, i) => [respondent(i + 1), 1]),
		);
		const { rows } = await admin().query(`SELECT response_id FROM ${schema}.nps_responses ORDER BY response_id COLLATE "C"`);
		expect(rows.map(({ response_id }) => response_id)).toEqual(Array.from({ length: PEOPLE }, (_, i) => `queue-r${i + 1}`).sort());
	});

	it('with the PostgreSQL Redelivery Check, starts one execution per response when its retries race on two webhook processors', async () => {
		for (const [n, answers] of claimedAnswers) {
			expect(answers).toEqual(Array(4).fill({ status: 200, body: { received: true, response_id: `queue-r${n}` } }));
		}
		const executions = await settledExecutions(NPS_CLAIMED.id, CLAIMED);
		expect(executions.map(({ status }) => status)).toEqual(Array(CLAIMED).fill('success'));
		const updates = updatesPerEmail();
		expect(claimedNumbers.map((n) => [n, updates.get(respondent(n))])).toEqual(claimedNumbers.map((n) => [n, 1]));
		const { rows } = await admin().query(`SELECT response_id FROM ${schema}.nps_claimed ORDER BY response_id COLLATE "C"`);
		expect(rows.map(({ response_id }) => response_id)).toEqual(claimedNumbers.map((n) => `queue-r${n}`).sort());
		// both processors received deliveries and queued executions
		const logs = Object.fromEntries(rig().processes().map(({ name, logFile }) => [name, fs.readFileSync(logFile, 'utf8')]));
		expect({ first: /Enqueued execution/.test(logs.webhook), second: /Enqueued execution/.test(logs['webhook-2']) }).toEqual({ first: true, second: true });
	});

	it('ran the executions on both workers, not in the webhook processor or main', () => {
		const logs = Object.fromEntries(rig().processes().map(({ name, logFile }) => [name, fs.readFileSync(logFile, 'utf8')]));
		const jobsOf = (name: string) => (logs[name].match(/Worker started execution/g) ?? []).length;
		expect({ worker1: jobsOf('worker-1') > 0, worker2: jobsOf('worker-2') > 0 }).toEqual({ worker1: true, worker2: true });
	});

	it('made every CRM call under load to a current endpoint of the vendor API ledger', () => {
		expect(crm.ledgerViolations()).toEqual([]);
	});
});
