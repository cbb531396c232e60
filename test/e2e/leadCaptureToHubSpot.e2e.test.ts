/**
 * Template "Lead capture to HubSpot" (workflows/lead-capture-to-hubspot.json) in a real n8n 2.41.1: imported
 * unmodified with a fake HubSpot app token credential, published, leads posted to its production webhook.
 * n8n's HTTP Request node calls https://api.hubapi.com through the CRM stand-in, which records exactly what
 * HubSpot received and answers as HubSpot does (or as a test scripts it: 429, 400).
 */
import fs from 'node:fs';
import path from 'node:path';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { useScratchSchema } from '../support/postgres';
import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from './crmStandIn';
import { consentingLead, emailOf, formLead, phoneOf } from './formLeads';
import { deadLetterEntries, executionCustomData, finishedExecutions, flowMetrics, loadedNodeTypes, postJson, useN8n, waitForExecutions, waitForIdle, workflowFile } from './n8nServer';
import { postgresVariant, replayAtOnceVariant, warehousePostgresCredentialFile } from './templateVariants';
import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';

const credentialsFile = path.join(__dirname, 'fixtures', 'hubspotAppToken.credentials.json');
// the fake app token n8n must send as the bearer token, from the credential it imported
const [{ data: hubspotCredential }] = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as Array<{ data: { appToken: string } }>;
const UPSERT_PATH = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`;
const TEMPLATE = workflowFile('lead-capture-to-hubspot.json');
const PG_PATH = 'revops/lead-to-hubspot-pg';

let hubspot: CrmStandIn;
const KNOWN_TO_HUBSPOT = 86;
// Declared before useN8n, so the stand-in and the schema exist when n8n starts and n8n gets the proxy settings.
beforeAll(async () => {
	// one contact HubSpot holds before the pack ever sent it (imported, or created by hand)
	hubspot = await startCrmStandIn({ people: [emailOf(KNOWN_TO_HUBSPOT)] });
});
afterAll(() => hubspot?.stop());
const { schema, admin } = useScratchSchema('hubspot_leads');

// The PostgreSQL variant: a copy of the template with only what its "Warehouse and history" note tells a
// user to change for PostgreSQL (Warehouse Insert target, credential, table `schema.leads`), plus the
// webhook path and workflow id, so both copies are active side by side in the one n8n.
const variant = postgresVariant(TEMPLATE, { path: PG_PATH, table: `${schema}.leads` });
const warehouseCredential = warehousePostgresCredentialFile();
// The replay template as a user may set it to retry at once (its default waits 5 minutes before the first retry).
const replay = replayAtOnceVariant(workflowFile('replay-leads-to-hubspot.json'));
afterAll(() => [variant, warehouseCredential, replay].forEach((temporary) => temporary.remove()));
const n8n = useN8n([TEMPLATE, variant.file, replay.file], {
	env: () => hubspot.env(),
	credentialFiles: [credentialsFile, warehouseCredential.file],
});

beforeEach(() => hubspot.reset());
// Whatever a test scripted, every call a template made is a current endpoint of the vendor API ledger.
afterEach(() => expect(hubspot.ledgerViolations()).toEqual([]));

const postLead = (lead: object, webhookPath = 'revops/lead-to-hubspot') => postJson(n8n(), webhookPath, lead, [200, 422, 502]);
const WORKFLOW_ID = 'revopsLeadToHubSpot';

/** Posts a lead and waits until its execution finished: a returning lead's update and the marketing steps run after the answer. */
async function postLeadAndFinish(lead: object, webhookPath?: string) {
	const answer = await postLead(lead, webhookPath);
	await waitForIdle(n8n(), webhookPath === PG_PATH ? `${WORKFLOW_ID}Pg` : WORKFLOW_ID);
	return answer;
}

/** The upsert HubSpot must receive for `formLead(n)`: one input, matched by email, HubSpot's property names. */
function expectedUpsert(n: number) {
	return {
		inputs: [
			{
				id: emailOf(n),
				idProperty: 'email',
				properties: {
					email: emailOf(n),
					firstname: 'Jane',
					lastname: 'Doe',
					company: `Acme ${n} Inc.`,
					phone: phoneOf(n),
					jobtitle: 'VP Marketing',
					country: 'US',
					lifecyclestage: 'lead',
				},
			},
		],
	};
}

const hubspotRequests = () => hubspot.requests(HUBSPOT_HOST);
/** The contact upserts HubSpot received (the subscription and list calls are counted apart). */
const upserts = () => hubspotRequests().filter(({ path }) => path === UPSERT_PATH).map(({ path, body }) => ({ path, body }));
const sent = (n: number) => ({ outcome: 'sent', crm: 'hubspot', contacts: [{ id: expect.any(String), email: emailOf(n), new: true }] });

it('loads the pack as a community package node and imports the template unmodified', () => {
	expect(loadedNodeTypes(n8n())).toEqual(
		expect.arrayContaining(['n8n-nodes-revops.normalizeLead', 'n8n-nodes-revops.dedupe', 'n8n-nodes-revops.mapToCrmFields', 'n8n-nodes-revops.warehouseInsert']),
	);
});

it('upserts a valid lead into HubSpot with the credential, by email, and answers with the contact', async () => {
	const { status, body } = await postLead(formLead(1));
	expect(status).toBe(200);
	expect(body).toEqual(sent(1));
	expect(hubspotRequests()).toEqual([
		{
			method: 'POST',
			host: HUBSPOT_HOST,
			path: UPSERT_PATH,
			headers: expect.objectContaining({ authorization: `Bearer ${hubspotCredential.appToken}`, 'content-type': 'application/json' }),
			body: expectedUpsert(1),
		},
	]);
});

it('answers 422 with errors by field for an invalid lead and sends HubSpot nothing', async () => {
	const { status, body } = await postLead({ nome: 'Sem Contato', telefone: '12' });
	expect(status).toBe(422);
	expect(body.outcome).toBe('invalid');
	expect((body.errors as Array<{ field: string }>).map(({ field }) => field)).toContain('email');
	expect(hubspotRequests()).toEqual([]);
});

it('answers 422 for a lead HubSpot cannot take (no email to match the contact by) and sends HubSpot nothing', async () => {
	const { status, body } = await postLead({ name: 'Phone Only', phone: '(212) 736-4999' });
	expect(status).toBe(422);
	expect(body.outcome).toBe('invalid');
	expect(body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'required' })]);
	expect(hubspotRequests()).toEqual([]);
});

/** The update of a returning lead: the contact Dedupe matched, by its email; the lifecycle stage left as HubSpot has it. */
function returningUpdate(n: number) {
	const [input] = expectedUpsert(n).inputs;
	const properties: Record<string, string> = { ...input.properties };
	delete properties.lifecyclestage;
	return { inputs: [{ ...input, properties }] };
}

it('answers a lead posted again as a duplicate, with the lead it matched, and updates that contact instead of creating one', async () => {
	expect(await postLeadAndFinish(formLead(2))).toEqual({ status: 200, body: sent(2) });
	const created = upserts();
	const again = await postLeadAndFinish(formLead(2));
	expect(again).toEqual({
		status: 200,
		body: { outcome: 'duplicate', crm: 'hubspot', email: emailOf(2), matched: { id: emailOf(2), in: 'existing', rule: 'email', fields: ['email'] } },
	});
	expect(created).toEqual([{ path: UPSERT_PATH, body: expectedUpsert(2) }]);
	expect(upserts()).toEqual([...created, { path: UPSERT_PATH, body: returningUpdate(2) }]);
});

it('takes the same person with another email as a duplicate: same phone, or same name at the same company', async () => {
	expect((await postLeadAndFinish(formLead(3))).body).toEqual(sent(3));
	const samePhone = await postLeadAndFinish({ ...formLead(3), 'E-mail': 'jane.doe.home@gmail.com' });
	expect(samePhone.body).toEqual({
		outcome: 'duplicate',
		crm: 'hubspot',
		email: 'jane.doe.home@gmail.com',
		matched: { id: emailOf(3), in: 'existing', rule: 'phone', fields: ['phone'] },
	});
	const withoutPhone: Record<string, string> = { ...formLead(3), 'E-mail': 'j.doe@acme3events.com', Company: 'ACME 3, LLC' };
	delete withoutPhone.Phone;
	const sameNameAndCompany = await postLeadAndFinish(withoutPhone);
	expect(sameNameAndCompany.body).toMatchObject({
		outcome: 'duplicate',
		email: 'j.doe@acme3events.com',
		matched: { id: emailOf(3), in: 'existing', rule: 'name + company' },
	});
	// one contact: created once, then updated twice by the email HubSpot knows it by, never created for the new addresses
	const inputs = upserts().map(({ body }) => (body as { inputs: Array<{ id: string; properties: Record<string, string> }> }).inputs[0]);
	expect(inputs.map(({ id, properties }) => [id, properties.email])).toEqual([
		[emailOf(3), emailOf(3)],
		[emailOf(3), emailOf(3)],
		[emailOf(3), emailOf(3)],
	]);
	expect(inputs[2].properties).toMatchObject({ company: 'Acme 3, LLC' });
});

it('leaves a note with the new touch and a renewed-interest task on the contact a returning lead matched', async () => {
	const { body } = await postLeadAndFinish(formLead(85));
	const contactId = (body.contacts as Array<{ id: string }>)[0].id;
	hubspot.reset();
	await postLeadAndFinish({ ...formLead(85), utm_source: 'linkedin', utm_medium: 'paid-social', utm_campaign: 'q4-webinar' });
	const activities = hubspotRequests().filter(({ path }) => /\/(notes|tasks)$/.test(path));
	expect(activities).toEqual([
		expect.objectContaining({
			method: 'POST',
			path: `/crm/objects/${HUBSPOT_API_VERSION}/notes`,
			body: {
				properties: { hs_timestamp: expect.any(String), hs_note_body: expect.stringMatching(/^Came back \S+ via linkedin \/ paid-social \/ q4-webinar \(matched by email\)$/) },
				associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
			},
		}),
		expect.objectContaining({
			method: 'POST',
			path: `/crm/objects/${HUBSPOT_API_VERSION}/tasks`,
			body: {
				properties: expect.objectContaining({ hs_task_subject: 'Renewed interest: Jane Doe', hs_task_priority: 'HIGH', hs_task_status: 'NOT_STARTED' }),
				associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }],
			},
		}),
	]);
});

it('treats a lead HubSpot already holds as returning though this workflow never sent it: the upsert updates it, then the same note and task', async () => {
	const { status, body } = await postLeadAndFinish({ ...formLead(KNOWN_TO_HUBSPOT), utm_source: 'newsletter', utm_campaign: 'december' });
	expect({ status, body }).toEqual({ status: 200, body: { outcome: 'sent', crm: 'hubspot', contacts: [{ id: '7001', email: emailOf(KNOWN_TO_HUBSPOT), new: false }] } });
	const calls = hubspotRequests().map(({ method, path }) => `${method} ${path}`);
	expect(calls).toEqual([`POST ${UPSERT_PATH}`, `POST /crm/objects/${HUBSPOT_API_VERSION}/notes`, `POST /crm/objects/${HUBSPOT_API_VERSION}/tasks`]);
	const [, note, task] = hubspotRequests();
	expect(note.body).toEqual({
		properties: { hs_timestamp: expect.any(String), hs_note_body: expect.stringMatching(/^Came back \S+ via newsletter \/ december \(matched by email, already in HubSpot\)$/) },
		associations: [{ to: { id: '7001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
	});
	expect(task.body).toMatchObject({ properties: { hs_task_subject: 'Renewed interest: Jane Doe' }, associations: [{ to: { id: '7001' } }] });
	// a new contact gets neither
	hubspot.reset();
	await postLeadAndFinish(formLead(87));
	expect(hubspotRequests().map(({ path }) => path)).toEqual([UPSERT_PATH]);
});

it('waits and retries a batch HubSpot answered 429, and the lead arrives once', async () => {
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [
		{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT' } },
	]);
	const { status, body } = await postLead(formLead(4));
	expect(status).toBe(200);
	expect(body).toEqual(sent(4));
	// the same batch twice: the refused one, then the one HubSpot took
	expect(upserts()).toEqual([
		{ path: UPSERT_PATH, body: expectedUpsert(4) },
		{ path: UPSERT_PATH, body: expectedUpsert(4) },
	]);
});

it('gives up after three tries when HubSpot keeps answering 429, on the error branch', async () => {
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.' } }], Infinity);
	const { status, body } = await postLead(formLead(5));
	expect(status).toBe(502);
	expect(body).toEqual({ outcome: 'failed', dead_letter: expect.any(Number), crm: 'hubspot', statusCode: 429, message: 'You have reached your secondly limit.', request: expectedUpsert(5) });
	expect(hubspotRequests()).toHaveLength(3);
});

it("routes a batch HubSpot refused with 400 to 'Invalid or failed' with HubSpot's message, and sends the lead when it comes again", async () => {
	const message = 'Property values were not valid: [{"isValid":false,"message":"\'VP Marketing\' is not a valid job title","name":"jobtitle"}]';
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [
		{ status: 400, body: { status: 'error', message, correlationId: 'b6a5c1f0-0000-4000-8000-000000000001', category: 'VALIDATION_ERROR' } },
	]);
	const { status, body } = await postLead(formLead(6));
	expect(status).toBe(502);
	expect(body).toEqual({ outcome: 'failed', dead_letter: expect.any(Number), crm: 'hubspot', statusCode: 400, message, request: expectedUpsert(6) });
	expect(hubspotRequests()).toHaveLength(1);

	// HubSpot takes it now: the failed lead was never remembered, so the redelivery is sent, not a duplicate.
	expect(await postLead(formLead(6))).toEqual({ status: 200, body: sent(6) });
	expect(upserts()).toEqual([
		{ path: UPSERT_PATH, body: expectedUpsert(6) },
		{ path: UPSERT_PATH, body: expectedUpsert(6) },
	]);
});

it("routes a batch whose connection HubSpot dropped to 'Invalid or failed' with the network error", async () => {
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ reset: true }]);
	const { status, body } = await postLead(formLead(7));
	expect(status).toBe(502);
	expect(body).toEqual({
		outcome: 'failed', dead_letter: expect.any(Number),
		crm: 'hubspot',
		statusCode: null,
		// n8n's own wording for ECONNRESET
		message: expect.stringMatching(/^The connection to the server was closed unexpectedly/),
		request: expectedUpsert(7),
	});
	expect(hubspotRequests()).toHaveLength(1);
});

it('loads every lead HubSpot took into the SQLite warehouse exactly once, and none it refused', () => {
	const db = openSqlite(path.join(n8n().userFolder, '.n8n', 'revops-warehouse.sqlite'));
	try {
		const rows = db.prepare('SELECT lead_key, email, phone, company FROM leads ORDER BY lead_key').all();
		expect(rows).toEqual(
			[1, 2, 3, 4, 6, 85, 86, 87].map((n) => ({ lead_key: emailOf(n), email: emailOf(n), phone: phoneOf(n), company: `Acme ${n} Inc.` })),
		);
	} finally {
		db.close();
	}
});

it('loads the leads into PostgreSQL once each when the warehouse is switched to PostgreSQL as the note says', async () => {
	for (let i = 0; i < 2; i++) expect((await postLeadAndFinish(formLead(8), PG_PATH)).body.outcome).toBe(i === 0 ? 'sent' : 'duplicate');
	expect((await postLeadAndFinish(formLead(9), PG_PATH)).body).toEqual(sent(9));
	const { rows } = await admin().query(`SELECT lead_key, email, phone FROM ${schema}.leads ORDER BY lead_key`);
	expect(rows).toEqual([8, 9].map((n) => ({ lead_key: emailOf(n), email: emailOf(n), phone: phoneOf(n) })));
	expect(upserts()).toEqual([
		{ path: UPSERT_PATH, body: expectedUpsert(8) },
		// the duplicate updates the contact it matched
		{ path: UPSERT_PATH, body: returningUpdate(8) },
		{ path: UPSERT_PATH, body: expectedUpsert(9) },
	]);
});

it("answers 'Not in Warehouse' for a lead the warehouse refused, and loads it when it comes again, HubSpot upserting the same contact", async () => {
	// The table exists (the test above); a constraint makes PostgreSQL refuse person 10's row, once.
	await admin().query(`ALTER TABLE ${schema}.leads ADD CONSTRAINT refuses_person_10 CHECK (email <> '${emailOf(10)}')`);
	const refused = await postLead(formLead(10), PG_PATH);
	expect(refused.status).toBe(502);
	expect(refused.body).toEqual({
		outcome: 'failed', dead_letter: expect.any(Number),
		stage: 'warehouse',
		crm: 'hubspot',
		message: expect.stringContaining('refuses_person_10'),
		lead: expect.objectContaining({ email: emailOf(10) }),
	});
	await admin().query(`ALTER TABLE ${schema}.leads DROP CONSTRAINT refuses_person_10`);
	// Not remembered, so the redelivery is sent again (an upsert by email: the same contact) and loaded.
	// (HubSpot answers new: false, so the contact also gets the renewed-interest note and task: waited for, not to leak into the next test)
	expect(await postLeadAndFinish(formLead(10), PG_PATH)).toEqual({ status: 200, body: { ...sent(10), contacts: [{ ...sent(10).contacts[0], new: false }] } });
	expect(upserts()).toEqual([
		{ path: UPSERT_PATH, body: expectedUpsert(10) },
		{ path: UPSERT_PATH, body: expectedUpsert(10) },
	]);
	const { rows } = await admin().query(`SELECT lead_key FROM ${schema}.leads WHERE email = $1`, [emailOf(10)]);
	expect(rows).toEqual([{ lead_key: emailOf(10) }]);
});

it('marks each execution with its outcome, as the Executions list shows and filters it, and counts it by source for the health check', async () => {
	const workflowId = 'revopsLeadToHubSpot';
	const before = finishedExecutions(n8n(), workflowId).length;
	await postLead({ ...formLead(40), utm_source: 'linkedin' });
	await postLead({ ...formLead(40), utm_source: 'google' });
	await postLead({ nome: 'Sem Contato', telefone: '12', utm_source: 'facebook' });
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 400, body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR' } }]);
	await postLead({ ...formLead(41), utm_source: 'linkedin' });
	const executions = (await waitForExecutions(n8n(), workflowId, before + 4)).slice(before);
	expect(executions.map(({ id }) => executionCustomData(n8n(), id).outcome)).toEqual(['sent', 'duplicate', 'invalid', 'failed']);
	await waitForIdle(n8n(), workflowId);
	// In execution order: a duplicate is counted after its CRM update, which may end after the next execution.
	const counted = flowMetrics(
		n8n(),
		executions.map(({ id }) => id),
	).sort((a, b) => Number(a.execution_id) - Number(b.execution_id));
	expect(counted.map(({ execution_id, source, outcome, error_type }) => ({ execution_id, source, outcome, error_type }))).toEqual([
		{ execution_id: String(executions[0].id), source: 'linkedin', outcome: 'sent', error_type: null },
		{ execution_id: String(executions[1].id), source: 'google', outcome: 'duplicate', error_type: null },
		{ execution_id: String(executions[2].id), source: 'facebook', outcome: 'invalid', error_type: 'invalid:phone_too_short' },
		{ execution_id: String(executions[3].id), source: 'linkedin', outcome: 'failed', error_type: 'http_400' },
	]);
	// From the form's post to the CRM's answer: measured, and well under a minute here.
	expect(counted[0].latency_ms).toBeGreaterThanOrEqual(0);
	expect(counted[0].latency_ms).toBeLessThan(60_000);
});

describe('consent decides the marketing steps', () => {
	const subscriptionPath = (n: number) => `/communication-preferences/${HUBSPOT_API_VERSION}/statuses/${encodeURIComponent(emailOf(n))}`;
	const marketingCalls = () =>
		hubspotRequests()
			.filter(({ path }) => path.startsWith('/communication-preferences/') || path.includes('/memberships/'))
			.map(({ method, path, body }) => ({ method, path, body }));
	const contactIdOf = (body: Record<string, unknown>) => (body.contacts as Array<{ id: string }>)[0].id;

	it('sends a lead that said nothing of consent to HubSpot, but neither subscribes it nor adds it to the nurture list', async () => {
		expect(await postLeadAndFinish(formLead(80))).toEqual({ status: 200, body: sent(80) });
		expect(upserts()).toEqual([{ path: UPSERT_PATH, body: expectedUpsert(80) }]);
		expect(marketingCalls()).toEqual([]);
	});

	it('keeps a lead that refused consent out of marketing too', async () => {
		expect((await postLeadAndFinish(consentingLead(81, 'no'))).body).toEqual(sent(81));
		// it is recorded as not subscribed, and no list is touched but the removal, which changes nothing for a non-member
		expect(marketingCalls().filter(({ path }) => path.endsWith('/memberships/add'))).toEqual([]);
		expect(marketingCalls()[0]).toEqual({
			method: 'POST',
			path: subscriptionPath(81),
			body: expect.objectContaining({ statusState: 'NOT_SUBSCRIBED' }),
		});
	});

	it('subscribes a consenting lead with its legal basis (when, where, which policy) and adds it to the nurture list', async () => {
		const { body } = await postLeadAndFinish(consentingLead(82, 'yes'));
		expect(body).toEqual(sent(82));
		expect(marketingCalls()).toEqual([
			{
				method: 'POST',
				path: subscriptionPath(82),
				body: {
					channel: 'EMAIL',
					statusState: 'SUBSCRIBED',
					subscriptionId: 789,
					legalBasis: 'CONSENT_WITH_NOTICE',
					legalBasisExplanation: 'Consent given on 2026-12-01T10:00:00.000Z via pricing page form under policy v3',
				},
			},
			{ method: 'PUT', path: `/crm/lists/${HUBSPOT_API_VERSION}/456/memberships/add`, body: [contactIdOf(body)] },
		]);
	});

	it('updates a returning lead that withdraws consent: HubSpot unsubscribes it and it leaves the nurture list', async () => {
		const first = await postLeadAndFinish(consentingLead(83, 'yes'));
		hubspot.reset();
		const again = await postLeadAndFinish(consentingLead(83, 'no'));
		expect(again.body).toMatchObject({ outcome: 'duplicate', email: emailOf(83) });
		expect(upserts()).toEqual([{ path: UPSERT_PATH, body: returningUpdate(83) }]);
		expect(marketingCalls()).toEqual([
			{
				method: 'POST',
				path: subscriptionPath(83),
				body: expect.objectContaining({ statusState: 'NOT_SUBSCRIBED', subscriptionId: 789, legalBasisExplanation: expect.stringMatching(/^Consent withdrawn /) }),
			},
			{ method: 'PUT', path: `/crm/lists/${HUBSPOT_API_VERSION}/456/memberships/remove`, body: [contactIdOf(first.body)] },
		]);
	});

	it('keeps a marketing step HubSpot refused as a dead letter, after the lead was answered as sent', async () => {
		hubspot.script('POST', HUBSPOT_HOST, subscriptionPath(84), [{ status: 403, body: { status: 'error', message: 'This app hasn\'t been granted all required scopes', category: 'MISSING_SCOPES' } }], 3);
		expect((await postLeadAndFinish(consentingLead(84, 'yes'))).body).toEqual(sent(84));
		expect(marketingCalls().filter(({ path }) => path.includes('/memberships/'))).toEqual([]);
		expect(deadLettersOf(emailOf(84))).toEqual([
			expect.objectContaining({ step: 'Update HubSpot after the answer', status: 'pending', reason: expect.stringContaining('required scopes') }),
		]);
	});
});

/** What the template's Dead Letter Queue nodes kept for a lead. */
const deadLettersOf = (email: string) =>
	deadLetterEntries(n8n(), [email]).map(({ id, step, status, attempts, reason, resolution }) => ({ id, step, status, attempts, reason, resolution }));

describe('dead letters and the replay template', () => {
	it('keeps a lead HubSpot could not take, names the entry in the answer, and the replay delivers it once when HubSpot is back', async () => {
		const busy = { status: 503, body: { status: 'error', message: 'HubSpot is temporarily unavailable', category: 'SERVICE_UNAVAILABLE' } };
		hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [busy], 3);
		const { status, body } = await postLead(formLead(71));
		expect(status).toBe(502);
		expect(body).toMatchObject({ outcome: 'failed', statusCode: 503, message: 'HubSpot is temporarily unavailable', dead_letter: expect.any(Number) });
		expect(upserts()).toHaveLength(3);
		expect(deadLettersOf(emailOf(71))).toEqual([
			{ id: body.dead_letter, step: 'Send to HubSpot', status: 'pending', attempts: 1, reason: 'HubSpot is temporarily unavailable', resolution: null },
		]);

		// HubSpot is back: the replay posts every kept lead (this one and those earlier tests left) to the
		// template's webhook, which sends each once.
		hubspot.reset();
		const replayed = await n8n().execute('revopsReplayLeadsHubSpot');
		expect(replayed.status).toBe('success');
		const sentEmails = upserts().map(({ body }) => (body as { inputs: Array<{ id: string }> }).inputs[0].id);
		expect(sentEmails.filter((email) => email === emailOf(71))).toEqual([emailOf(71)]);
		expect(new Set(sentEmails).size).toBe(sentEmails.length);
		expect(upserts().find(({ body }) => (body as { inputs: Array<{ id: string }> }).inputs[0].id === emailOf(71))).toEqual({ path: UPSERT_PATH, body: expectedUpsert(71) });
		expect(deadLettersOf(emailOf(71))).toEqual([expect.objectContaining({ status: 'resolved', resolution: 'replayed: sent' })]);
		// nothing is due any more: a second replay sends nothing
		hubspot.reset();
		await n8n().execute('revopsReplayLeadsHubSpot');
		expect(upserts()).toEqual([]);
	});

	it('keeps an invalid lead for a person to fix and never replays it', async () => {
		const { status, body } = await postLead({ 'E-mail': 'not-an-email', nome: 'Sem Contato' });
		expect(status).toBe(422);
		expect(body).toMatchObject({ outcome: 'invalid', dead_letter: expect.any(Number) });
		const replayed = await n8n().execute('revopsReplayLeadsHubSpot');
		const ran = replayed.data.resultData.runData;
		expect(ran['Send Lead Again']).toBeUndefined();
		expect(ran['Replay: for review']).toHaveLength(1);
		expect(upserts()).toEqual([]);
	});
});
