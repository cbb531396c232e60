/**
 * Templates "Lead capture to Salesforce" and "Lead capture to Pipedrive" (workflows/lead-capture-to-*.json) in
 * one real n8n 2.41.1: imported unmodified with fake Salesforce OAuth2 and Pipedrive API token credentials,
 * published, leads posted to their production webhooks. n8n's HTTP Request nodes call the template's
 * Salesforce My Domain host and https://api.pipedrive.com through the CRM stand-in, which records exactly what
 * each CRM received and answers as it does (or as a test scripts it: 429, 400, a search hit, a dropped
 * connection). Both templates load the same SQLite warehouse table, read at the end; a PostgreSQL copy of each
 * loads a table in a scratch schema.
 */
import fs from 'node:fs';
import path from 'node:path';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { useScratchSchema } from '../support/postgres';
import { PIPEDRIVE_HOST, startCrmStandIn, type CrmStandIn, type RecordedRequest } from './crmStandIn';
import { consentingLead, emailOf, formLead, phoneOf } from './formLeads';
import { deadLetterEntries, loadedNodeTypes, postJson, useN8n, waitForIdle, workflowFile } from './n8nServer';
import { postgresVariant, warehousePostgresCredentialFile } from './templateVariants';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
const salesforceCredentialFile = fixture('salesforceOAuth2.credentials.json');
const pipedriveCredentialFile = fixture('pipedriveApiToken.credentials.json');
const [{ data: salesforceCredential }] = JSON.parse(fs.readFileSync(salesforceCredentialFile, 'utf8')) as Array<{
	data: { oauthTokenData: { access_token: string } };
}>;
const [{ data: pipedriveCredential }] = JSON.parse(fs.readFileSync(pipedriveCredentialFile, 'utf8')) as Array<{ data: { apiToken: string } }>;

/** The host the Salesforce template calls until the user puts their own My Domain in its URL. */
const SALESFORCE_HOST = 'your-domain.my.salesforce.com';
const COLLECTION_UPSERT_PATH = '/services/data/v62.0/composite/sobjects/Lead/Lead_Key__c';

let crm: CrmStandIn;
// Declared before useN8n, so the stand-in runs when n8n starts and n8n gets its proxy settings.
beforeAll(async () => {
	crm = await startCrmStandIn();
});
afterAll(() => crm?.stop());

const { schema, admin } = useScratchSchema('crm_leads');

const SALESFORCE_TEMPLATE = workflowFile('lead-capture-to-salesforce.json');
const PIPEDRIVE_TEMPLATE = workflowFile('lead-capture-to-pipedrive.json');
// PostgreSQL copies: only what each template's "Warehouse and history" note tells a user to change for
// PostgreSQL (Warehouse Insert target, credential, table `schema.leads`), plus the webhook path and workflow
// id, so they are active beside the originals in the one n8n.
const variants = [
	postgresVariant(SALESFORCE_TEMPLATE, { path: 'revops/lead-to-salesforce-pg', table: `${schema}.leads` }),
	postgresVariant(PIPEDRIVE_TEMPLATE, { path: 'revops/lead-to-pipedrive-pg', table: `${schema}.leads` }),
];
const warehouseCredential = warehousePostgresCredentialFile();
afterAll(() => [...variants, warehouseCredential].forEach((temporary) => temporary.remove()));

const n8n = useN8n([SALESFORCE_TEMPLATE, PIPEDRIVE_TEMPLATE, ...variants.map((variant) => variant.file)], {
	env: () => crm.env(),
	credentialFiles: [salesforceCredentialFile, pipedriveCredentialFile, warehouseCredential.file],
});

beforeEach(() => crm.reset());
// Whatever a test scripted, every call a template made is a current endpoint of the vendor API ledger.
afterEach(() => expect(crm.ledgerViolations()).toEqual([]));

const STATUSES = [200, 422, 502];
const postToSalesforce = (lead: object) => postJson(n8n(), 'revops/lead-to-salesforce', lead, STATUSES);
const postToPipedrive = (lead: object) => postJson(n8n(), 'revops/lead-to-pipedrive', lead, STATUSES);

/** Posts a lead and waits until its execution finished: a returning lead's update and the marketing steps run after the answer. */
async function postAndFinish(post: (lead: object) => ReturnType<typeof postJson>, lead: object) {
	const answer = await post(lead);
	await waitForIdle(n8n(), post === postToSalesforce ? 'revopsLeadToSalesforce' : 'revopsLeadToPipedrive');
	return answer;
}

/** Method, path and body of what one CRM host received, in order. */
const received = (host: string) => crm.requests(host).map(({ method, path, body }) => ({ method, path, body }));

it('loads the pack as a community package and imports both templates unmodified', () => {
	expect(loadedNodeTypes(n8n())).toEqual(
		expect.arrayContaining(['n8n-nodes-revops.normalizeLead', 'n8n-nodes-revops.dedupe', 'n8n-nodes-revops.mapToCrmFields', 'n8n-nodes-revops.warehouseInsert']),
	);
});

describe('lead capture to Salesforce', () => {
	/** The sObject Collections upsert Salesforce must receive for `formLead(n)`: one Lead, by Lead_Key__c. */
	const expectedCollection = (n: number) => ({
		allOrNone: false,
		records: [
			{
				attributes: { type: 'Lead' },
				Lead_Key__c: emailOf(n),
				Email: emailOf(n),
				FirstName: 'Jane',
				LastName: 'Doe',
				Company: `Acme ${n} Inc.`,
				Phone: phoneOf(n),
				Title: 'VP Marketing',
				CountryCode: 'US',
				LeadSource: 'Web',
			},
		],
	});
	const upsert = (n: number) => ({ method: 'PATCH', path: COLLECTION_UPSERT_PATH, body: expectedCollection(n) });
	const sent = { outcome: 'sent', crm: 'salesforce', leads: [{ id: expect.stringMatching(/^00Q\w{12}$/), created: true }] };

	it('upserts a valid lead as a collection by its External ID, with the OAuth2 session, and answers with the Lead id', async () => {
		expect(await postToSalesforce(formLead(11))).toEqual({ status: 200, body: sent });
		expect(crm.requests(SALESFORCE_HOST)).toEqual([
			{
				method: 'PATCH',
				host: SALESFORCE_HOST,
				path: COLLECTION_UPSERT_PATH,
				headers: expect.objectContaining({
					authorization: `Bearer ${salesforceCredential.oauthTokenData.access_token}`,
					'content-type': 'application/json',
				}),
				body: expectedCollection(11),
			},
		]);
	});

	/** The update of a returning lead: the Lead Dedupe matched, by its key, with LeadSource (the first touch) left alone. */
	const returningUpdate = (n: number, fields: Record<string, unknown> = {}) => {
		const record: Record<string, unknown> = { ...expectedCollection(n).records[0], ...fields };
		delete record.LeadSource;
		return { method: 'PATCH', path: COLLECTION_UPSERT_PATH, body: { allOrNone: false, records: [record] } };
	};

	/** The renewed-interest Task a returning lead leaves on its Lead. */
	const renewedInterestTask = (leadId: string) => ({
		method: 'POST',
		path: '/services/data/v62.0/sobjects/Task',
		body: {
			WhoId: leadId,
			Subject: 'Renewed interest: Jane Doe',
			Description: expect.stringMatching(/^Came back \S+ via .+ \(matched by \w+\)$/),
			ActivityDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			Priority: 'High',
			Status: 'Not Started',
		},
	});
	const leadIdOf = (body: Record<string, unknown>) => (body.leads as Array<{ id: string }>)[0].id;

	it('answers a redelivered lead as a duplicate of the one sent, updates that Lead (leaving its LeadSource) and gives its owner a Task', async () => {
		const { body } = await postAndFinish(postToSalesforce, formLead(12));
		expect(body).toEqual(sent);
		expect(await postAndFinish(postToSalesforce, formLead(12))).toEqual({
			status: 200,
			body: { outcome: 'duplicate', crm: 'salesforce', email: emailOf(12), matched: { id: emailOf(12), in: 'existing', rule: 'email', fields: ['email'] } },
		});
		expect(received(SALESFORCE_HOST)).toEqual([upsert(12), returningUpdate(12), renewedInterestTask(leadIdOf(body))]);
	});

	it('updates the Lead a person writing from another address matched, by its key, creating no second Lead', async () => {
		const { body } = await postAndFinish(postToSalesforce, formLead(16));
		expect(body).toEqual(sent);
		const fromHome = await postAndFinish(postToSalesforce, { ...formLead(16), 'E-mail': 'jane.home16@gmail.com' });
		expect(fromHome.body).toMatchObject({ outcome: 'duplicate', matched: { id: emailOf(16), rule: 'phone' } });
		expect(received(SALESFORCE_HOST)).toEqual([upsert(16), returningUpdate(16, { Email: 'jane.home16@gmail.com' }), renewedInterestTask(leadIdOf(body))]);
	});

	it('treats a lead whose key Salesforce already holds as returning though this workflow never sent it: the upsert updates it, then the same Task', async () => {
		// another flow (here the PostgreSQL copy, with its own history) put the Lead into Salesforce first
		const first = (await postJson(n8n(), 'revops/lead-to-salesforce-pg', formLead(33), STATUSES)).body;
		expect(first).toEqual(sent);
		await waitForIdle(n8n(), 'revopsLeadToSalesforcePg');
		crm.reset();
		const { body } = await postAndFinish(postToSalesforce, formLead(33));
		expect(body).toEqual({ outcome: 'sent', crm: 'salesforce', leads: [{ id: leadIdOf(first), created: false }] });
		expect(received(SALESFORCE_HOST)).toEqual([
			upsert(33),
			{ ...renewedInterestTask(leadIdOf(body)), body: { ...renewedInterestTask(leadIdOf(body)).body, Description: expect.stringMatching(/\(matched by its key, already in Salesforce\)$/) } },
		]);
	});

	describe('consent decides the campaign', () => {
		const CAMPAIGN = '701000000000000AAA';
		const campaignCalls = () => received(SALESFORCE_HOST).filter(({ path }) => /CampaignMember|\/query/.test(path));
		it('sends a lead that said nothing of consent to Salesforce without touching Email Opt Out or any campaign', async () => {
			expect((await postAndFinish(postToSalesforce, formLead(17))).body).toEqual(sent);
			expect(received(SALESFORCE_HOST)).toEqual([upsert(17)]);
		});

		it('opts a consenting lead in and adds it to the nurture campaign; a second add is taken as done', async () => {
			const { body } = await postAndFinish(postToSalesforce, consentingLead(18, 'yes'));
			expect(body).toEqual(sent);
			const [created, member] = received(SALESFORCE_HOST);
			expect(created.body).toMatchObject({ records: [expect.objectContaining({ HasOptedOutOfEmail: false })] });
			expect(member).toEqual({ method: 'POST', path: '/services/data/v62.0/sobjects/CampaignMember', body: { CampaignId: CAMPAIGN, LeadId: leadIdOf(body), Status: 'Responded' } });
			// the same consent again: Salesforce answers DUPLICATE_VALUE "Already a campaign member.", which is no failure
			crm.reset();
			await postAndFinish(postToSalesforce, consentingLead(18, 'yes'));
			expect(campaignCalls()).toEqual([expect.objectContaining({ method: 'POST', path: '/services/data/v62.0/sobjects/CampaignMember' })]);
			expect(keptLeads(emailOf(18))).toEqual([]);
		});

		it('opts a returning lead that withdraws consent out of email and takes it out of the campaign', async () => {
			const { body } = await postAndFinish(postToSalesforce, consentingLead(19, 'yes'));
			crm.reset();
			expect((await postAndFinish(postToSalesforce, consentingLead(19, 'no'))).body).toMatchObject({ outcome: 'duplicate' });
			const [update, ...rest] = received(SALESFORCE_HOST).filter(({ path }) => !path.endsWith('/sobjects/Task'));
			expect(update).toEqual(returningUpdate(19, { HasOptedOutOfEmail: true }));
			expect(rest.map(({ method, path }) => `${method} ${path.split('?')[0]}`)).toEqual([
				'GET /services/data/v62.0/query',
				expect.stringMatching(/^DELETE \/services\/data\/v62\.0\/sobjects\/CampaignMember\/00v\w{12}$/),
			]);
			expect(new URL(rest[0].path, 'https://x').searchParams.get('q')).toBe(`SELECT Id FROM CampaignMember WHERE CampaignId = '${CAMPAIGN}' AND LeadId = '${leadIdOf(body)}'`);
		});
	});

	it('retries a collection Salesforce answered 429, and the lead arrives once', async () => {
		crm.script('PATCH', SALESFORCE_HOST, COLLECTION_UPSERT_PATH, [{ status: 429, body: [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] }]);
		expect(await postToSalesforce(formLead(13))).toEqual({ status: 200, body: sent });
		expect(received(SALESFORCE_HOST)).toEqual([upsert(13), upsert(13)]);
	});

	it("routes a collection Salesforce refused with 400 to 'Invalid or failed' with its message, and sends the lead when it comes again", async () => {
		const message = "No such column 'Lead_Key__c' on sobject of type Lead";
		crm.script('PATCH', SALESFORCE_HOST, COLLECTION_UPSERT_PATH, [{ status: 400, body: [{ message, errorCode: 'INVALID_FIELD' }] }]);
		expect(await postToSalesforce(formLead(14))).toEqual({
			status: 502,
			body: { outcome: 'failed', dead_letter: expect.any(Number), crm: 'salesforce', statusCode: 400, message, request: expectedCollection(14) },
		});
		// Fixed in Salesforce; the form delivers the lead again: it was never remembered, so it is sent.
		expect(await postToSalesforce(formLead(14))).toEqual({ status: 200, body: sent });
		expect(received(SALESFORCE_HOST)).toEqual([upsert(14), upsert(14)]);
	});

	it("routes a record Salesforce refused inside a 200 answer to 'Invalid or failed' with the record's error", async () => {
		const message = 'Lead_Key__c: duplicate value found: Lead_Key__c duplicates value on record with id: 00Q000000000123';
		crm.script('PATCH', SALESFORCE_HOST, COLLECTION_UPSERT_PATH, [
			{ status: 200, body: [{ success: false, errors: [{ statusCode: 'DUPLICATE_VALUE', message, fields: ['Lead_Key__c'] }] }] },
		]);
		expect(await postToSalesforce(formLead(15))).toEqual({
			status: 502,
			body: { outcome: 'failed', dead_letter: expect.any(Number), crm: 'salesforce', statusCode: 200, message, request: expectedCollection(15) },
		});
		expect(received(SALESFORCE_HOST)).toEqual([upsert(15)]);
		expect(keptLeads(emailOf(15))).toEqual([{ step: 'Send to Salesforce', status: 'pending', reason: message }]);
	});
});

describe('lead capture to Pipedrive', () => {
	const token = pipedriveCredential.apiToken;
	/** A recorded request with its query string as an object, the API token included. */
	const withQuery = ({ method, path, body }: RecordedRequest) => {
		const url = new URL(path, `https://${PIPEDRIVE_HOST}`);
		return { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body };
	};
	const pipedriveRequests = () => crm.requests(PIPEDRIVE_HOST).map(withQuery);
	const search = (n: number) => ({
		method: 'GET',
		path: '/api/v2/persons/search',
		query: { term: emailOf(n), fields: 'email', exact_match: 'true', api_token: token },
		body: undefined,
	});
	/** The person body Pipedrive must receive for `formLead(n)` (API v2). */
	const personBody = (n: number) => ({
		name: 'Jane Doe',
		emails: [{ value: emailOf(n), primary: true, label: 'work' }],
		phones: [{ value: phoneOf(n), primary: true, label: 'work' }],
	});
	const create = (n: number) => ({ method: 'POST', path: '/api/v2/persons', query: { api_token: token }, body: personBody(n) });
	const sentAsNew = { outcome: 'sent', crm: 'pipedrive', person: { id: expect.any(Number), new: true } };

	it('searches the person by email, creates it when Pipedrive has none, and answers with its id', async () => {
		expect(await postToPipedrive(formLead(21))).toEqual({ status: 200, body: sentAsNew });
		expect(pipedriveRequests()).toEqual([search(21), create(21)]);
	});

	const update = (id: number, body: object) => ({ method: 'PATCH', path: `/api/v2/persons/${id}`, query: { api_token: token }, body });
	const personIdOf = (body: Record<string, unknown>) => (body.person as { id: number }).id;
	/** The note with the new touch and the renewed-interest task (for the person's owner) a returning lead leaves, matched by a rule or found in Pipedrive. */
	const renewedInterest = (personId: number, matchedBy = /\(matched by \w+\)$/) => [
		{ method: 'POST', path: '/v1/notes', query: { api_token: token }, body: { content: expect.stringMatching(new RegExp(`^Came back \\S+ via .+ ${matchedBy.source}`)), person_id: personId } },
		{
			method: 'POST',
			path: '/api/v2/activities',
			query: { api_token: token },
			body: {
				subject: 'Renewed interest: Jane Doe',
				type: 'task',
				due_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
				owner_id: 13,
				participants: [{ person_id: personId, primary: true }],
				note: expect.stringMatching(new RegExp(`^Came back .+ ${matchedBy.source}`)),
			},
		},
	];

	it('answers a redelivered lead as a duplicate, then updates the person remembered with it (by its Pipedrive id, no search), creating no second one', async () => {
		const { body } = await postAndFinish(postToPipedrive, formLead(22));
		expect(body).toEqual(sentAsNew);
		expect((await postAndFinish(postToPipedrive, formLead(22))).body).toMatchObject({ outcome: 'duplicate', email: emailOf(22), matched: { id: emailOf(22), rule: 'email' } });
		expect(pipedriveRequests()).toEqual([search(22), create(22), update(personIdOf(body), personBody(22)), ...renewedInterest(personIdOf(body))]);
	});

	it('keeps the email Pipedrive knows a returning person by when the lead comes from another address', async () => {
		const { body } = await postAndFinish(postToPipedrive, formLead(27));
		await postAndFinish(postToPipedrive, { ...formLead(27), 'E-mail': 'jane.home27@gmail.com' });
		expect(pipedriveRequests().slice(2)).toEqual([update(personIdOf(body), personBody(27)), ...renewedInterest(personIdOf(body))]);
	});

	it('sets the marketing status from consent: subscribed when given, unsubscribed when a returning lead withdraws it', async () => {
		const { body } = await postAndFinish(postToPipedrive, consentingLead(28, 'yes'));
		expect(pipedriveRequests()[1]).toEqual({ ...create(28), body: { ...personBody(28), marketing_status: 'subscribed' } });
		await postAndFinish(postToPipedrive, consentingLead(28, 'no'));
		expect(pipedriveRequests()[2]).toEqual(update(personIdOf(body), { ...personBody(28), marketing_status: 'unsubscribed' }));
	});

	it('updates the person Pipedrive already has when a lead whose answer was lost comes again, creating no second one', async () => {
		// Pipedrive created the person, but the connection dropped before its answer: the lead goes to the error branch.
		crm.script('POST', PIPEDRIVE_HOST, '/api/v2/persons', [{ reset: true }]);
		expect((await postToPipedrive(formLead(23))).body).toMatchObject({ outcome: 'failed', dead_letter: expect.any(Number), crm: 'pipedrive', statusCode: null });
		// The redelivery finds the person by email and updates it.
		crm.script('GET', PIPEDRIVE_HOST, '/api/v2/persons/search', [
			{ status: 200, body: { success: true, data: { items: [{ result_score: 1, item: { id: 4711, name: 'Jane Doe', emails: [emailOf(23)] } }] } } },
		]);
		expect(await postAndFinish(postToPipedrive, formLead(23))).toEqual({ status: 200, body: { outcome: 'sent', crm: 'pipedrive', person: { id: 4711, new: false } } });
		// A person Pipedrive already holds is a returning lead (the note and task follow): from Pipedrive's side
		// a redelivery after a lost answer looks the same as a person who came back.
		expect(pipedriveRequests()).toEqual([
			search(23),
			create(23),
			search(23),
			{ method: 'PATCH', path: '/api/v2/persons/4711', query: { api_token: token }, body: personBody(23) },
			...renewedInterest(4711, /\(matched by email, already in Pipedrive\)$/),
		]);
	});

	it('treats a lead whose email Pipedrive already holds as returning though this workflow never sent it: updated, then the same note and task', async () => {
		// another flow (here the PostgreSQL copy, with its own history) created the person first
		const first = (await postJson(n8n(), 'revops/lead-to-pipedrive-pg', formLead(34), STATUSES)).body;
		expect(first).toEqual(sentAsNew);
		await waitForIdle(n8n(), 'revopsLeadToPipedrivePg');
		crm.reset();
		const { body } = await postAndFinish(postToPipedrive, { ...formLead(34), utm_source: 'newsletter' });
		expect(body).toEqual({ outcome: 'sent', crm: 'pipedrive', person: { id: personIdOf(first), new: false } });
		expect(pipedriveRequests()).toEqual([
			search(34),
			update(personIdOf(body), personBody(34)),
			...renewedInterest(personIdOf(body), /\(matched by email, already in Pipedrive\)$/),
		]);
		expect((pipedriveRequests()[2].body as { content: string }).content).toMatch(/ via newsletter/);
	});

	it('creates one person when the same new lead is posted five times at once: the other four wait for it and update it by its id', async () => {
		const answers = await Promise.all(Array.from({ length: 5 }, () => postToPipedrive(formLead(40))));
		await waitForIdle(n8n(), 'revopsLeadToPipedrive');
		const sent = answers.filter(({ body }) => body.outcome === 'sent');
		expect(sent).toEqual([{ status: 200, body: sentAsNew }]);
		expect(answers.filter(({ body }) => body.outcome === 'duplicate').map(({ status }) => status)).toEqual([200, 200, 200, 200]);
		const calls = pipedriveRequests();
		expect(calls.filter(({ method, path }) => method === 'POST' && path === '/api/v2/persons')).toEqual([create(40)]);
		expect(calls.filter(({ method }) => method === 'PATCH').map(({ path }) => path)).toEqual(Array(4).fill(`/api/v2/persons/${personIdOf(sent[0].body)}`));
		expect(calls.filter(({ path }) => path === '/api/v2/persons/search')).toHaveLength(1);
	});

	it('retries a person Pipedrive answered 429, and it is created once', async () => {
		crm.script('POST', PIPEDRIVE_HOST, '/api/v2/persons', [{ status: 429, body: { success: false, error: 'Request over limit', errorCode: 429 } }]);
		expect(await postToPipedrive(formLead(24))).toEqual({ status: 200, body: sentAsNew });
		expect(pipedriveRequests()).toEqual([search(24), create(24), create(24)]);
	});

	it("routes a lead whose search Pipedrive refused to 'Invalid or failed' with Pipedrive's message, creating nothing", async () => {
		crm.script('GET', PIPEDRIVE_HOST, '/api/v2/persons/search', [
			{ status: 401, body: { success: false, error: 'unauthorized access', errorCode: 401, error_info: 'Please check developers.pipedrive.com' } },
		]);
		expect(await postToPipedrive(formLead(26))).toEqual({
			status: 502,
			body: { outcome: 'failed', dead_letter: expect.any(Number), crm: 'pipedrive', statusCode: 401, message: 'unauthorized access', request: null },
		});
		expect(pipedriveRequests()).toEqual([search(26)]);
	});

	it("routes a person Pipedrive refused with 400 to 'Invalid or failed' with Pipedrive's message", async () => {
		const error = 'Validation failed: phones: value must be a valid phone number';
		crm.script('POST', PIPEDRIVE_HOST, '/api/v2/persons', [{ status: 400, body: { success: false, error, error_info: 'Please check developers.pipedrive.com', data: null } }]);
		expect(await postToPipedrive(formLead(25))).toEqual({
			status: 502,
			body: { outcome: 'failed', dead_letter: expect.any(Number), crm: 'pipedrive', statusCode: 400, message: error, request: personBody(25) },
		});
		expect(pipedriveRequests()).toEqual([search(25), create(25)]);
		expect(keptLeads(emailOf(25))).toEqual([{ step: 'Send to Pipedrive', status: 'pending', reason: error }]);
	});
});

/** What a template's Dead Letter Queue nodes kept for a lead: each entry's step, status and the CRM's words. */
const keptLeads = (email: string) => deadLetterEntries(n8n(), [email]).map(({ step, status, reason }) => ({ step, status, reason }));

it('loads every lead a CRM took into the SQLite warehouse exactly once, and none it refused', () => {
	const db = openSqlite(path.join(n8n().userFolder, '.n8n', 'revops-warehouse.sqlite'));
	try {
		const rows = db.prepare('SELECT lead_key, email, phone, company FROM leads ORDER BY lead_key').all();
		const taken = [11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24, 27, 28, 33, 34, 40];
		expect(rows).toEqual(taken.map((n) => ({ lead_key: emailOf(n), email: emailOf(n), phone: phoneOf(n), company: `Acme ${n} Inc.` })));
	} finally {
		db.close();
	}
});

it('loads the leads into PostgreSQL once each when the warehouse is switched to PostgreSQL as the notes say', async () => {
	for (let delivery = 0; delivery < 2; delivery++) {
		const outcome = delivery === 0 ? 'sent' : 'duplicate';
		expect((await postJson(n8n(), 'revops/lead-to-salesforce-pg', formLead(31), STATUSES)).body).toMatchObject({ outcome, crm: 'salesforce' });
		expect((await postJson(n8n(), 'revops/lead-to-pipedrive-pg', formLead(32), STATUSES)).body).toMatchObject({ outcome, crm: 'pipedrive' });
	}
	await Promise.all(['revopsLeadToSalesforcePg', 'revopsLeadToPipedrivePg'].map((workflowId) => waitForIdle(n8n(), workflowId)));
	const { rows } = await admin().query(`SELECT lead_key, email, phone, company FROM ${schema}.leads ORDER BY lead_key`);
	// 33 and 34: the copies that put them into the CRM before the originals met them (tests above)
	expect(rows).toEqual([31, 32, 33, 34].map((n) => ({ lead_key: emailOf(n), email: emailOf(n), phone: phoneOf(n), company: `Acme ${n} Inc.` })));
	// created once, then the duplicate updates the same record and records the renewed interest
	const calls = (host: string) => crm.requests(host).map(({ method, path }) => `${method} ${path.split('?')[0]}`);
	expect(calls(SALESFORCE_HOST)).toEqual([`PATCH ${COLLECTION_UPSERT_PATH}`, `PATCH ${COLLECTION_UPSERT_PATH}`, 'POST /services/data/v62.0/sobjects/Task']);
	expect(calls(PIPEDRIVE_HOST)).toEqual([
		'GET /api/v2/persons/search',
		'POST /api/v2/persons',
		// the person id was remembered with the lead (Dedupe on PostgreSQL too): no second search
		expect.stringMatching(/^PATCH \/api\/v2\/persons\/\d+$/),
		'POST /v1/notes',
		'POST /api/v2/activities',
	]);
});
