/**
 * Templates "NPS to Salesforce", "NPS to HubSpot" and "NPS to Pipedrive" (workflows/nps-to-*.json) in one
 * real n8n 2.41.1: imported unmodified, with credentials imported from fixtures holding fake secrets (the
 * pack's NPS webhook secret, n8n's Salesforce OAuth2 with imported token data, HubSpot app token and
 * Pipedrive API token), published, and signed Standard Webhooks deliveries posted to their NPS Trigger.
 * n8n's built-in Salesforce, HubSpot and Pipedrive nodes call the real vendor hosts through the CRM
 * stand-in, which records what each CRM received and answers as the CRM does (or as a test scripts it).
 * What each execution did (which branch a response ended on, with what) is read from n8n's own
 * execution records; warehouse rows from the SQLite file in the n8n user folder and from PostgreSQL.
 *
 * PostgreSQL: a second copy of the Salesforce template is imported in which only what its warehouse sticky
 * note tells a user to change for PostgreSQL is changed (Warehouse Insert target, credential, and the table
 * as schema.nps_responses, here this file's scratch schema), plus the workflow id and the webhook path, so
 * both copies are active in the same n8n.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { TEST_SECRETS, signatureHeaders } from '../support/npsSenders';
import { pgConnection, useScratchSchema } from '../support/postgres';
import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';
import { HUBSPOT_HOST, PIPEDRIVE_HOST, SALESFORCE_INSTANCE_HOST, startCrmStandIn, type CrmStandIn, type RecordedRequest } from './crmStandIn';
import { replayAtOnceVariant } from './templateVariants';
import { deadLetterEntries, finishedExecutions, flowMetrics, loadedNodeTypes, nodeOutput, useN8n, waitForExecutions, workflowFile, type FinishedExecution } from './n8nServer';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
const fixtureData = <T>(name: string) => (JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as Array<{ data: T }>)[0].data;

const SALESFORCE = { id: 'revopsNpsToSalesforce', path: 'revops/nps-to-salesforce' };
const HUBSPOT = { id: 'revopsNpsToHubSpot', path: 'revops/nps-to-hubspot' };
const PIPEDRIVE = { id: 'revopsNpsToPipedrive', path: 'revops/nps-to-pipedrive' };
const SALESFORCE_PG = { id: 'revopsNpsToSalesforcePg', path: 'revops/nps-to-salesforce-pg' };

const salesforceToken = fixtureData<{ oauthTokenData: { access_token: string } }>('salesforceOAuth2.credentials.json').oauthTokenData.access_token;
const hubspotToken = fixtureData<{ appToken: string }>('hubspotAppToken.credentials.json').appToken;
const pipedriveToken = fixtureData<{ apiToken: string }>('pipedriveApiToken.credentials.json').apiToken;

const { schema, admin } = useScratchSchema('nps_templates');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-nps-templates-'));

/** The Salesforce template as a user switches it to PostgreSQL by its warehouse sticky note. */
function postgresVariant(): string[] {
	const template = JSON.parse(fs.readFileSync(workflowFile('nps-to-salesforce.json'), 'utf8')) as {
		id: string;
		name: string;
		nodes: Array<{ name: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown>; webhookId?: string }>;
	};
	template.id = SALESFORCE_PG.id;
	template.name += ' (PostgreSQL)';
	for (const node of template.nodes) {
		if (node.name === 'NPS Trigger') {
			node.parameters.path = SALESFORCE_PG.path;
			node.webhookId = `${node.webhookId}-pg`;
		}
		if (node.name === 'Save to Warehouse') {
			node.parameters.target = 'postgres';
			node.parameters.tableName = `${schema}.nps_responses`;
			node.credentials = { warehousePostgresApi: { id: 'revopsWarehousePostgres', name: 'Warehouse PostgreSQL' } };
		}
	}
	const workflowPath = path.join(workDir, 'nps-to-salesforce-pg.json');
	fs.writeFileSync(workflowPath, JSON.stringify(template));
	const credentialPath = path.join(workDir, 'warehousePostgres.credentials.json');
	fs.writeFileSync(
		credentialPath,
		JSON.stringify([{ id: 'revopsWarehousePostgres', name: 'Warehouse PostgreSQL', type: 'warehousePostgresApi', data: { ...pgConnection() } }]),
	);
	return [workflowPath, credentialPath];
}
const [postgresWorkflow, postgresCredential] = postgresVariant();

let crm: CrmStandIn;
// Declared before useN8n, so the stand-in runs when n8n starts and n8n gets its proxy settings.
beforeAll(async () => {
	crm = await startCrmStandIn();
});
afterAll(async () => {
	await crm?.stop();
	fs.rmSync(workDir, { recursive: true, force: true });
});

// The NPS replay as a user may set it to retry at once (its default waits 5 minutes before the first retry).
const replay = replayAtOnceVariant(workflowFile('replay-nps-responses.json'));
afterAll(() => replay.remove());
const n8n = useN8n([workflowFile('nps-to-salesforce.json'), workflowFile('nps-to-hubspot.json'), workflowFile('nps-to-pipedrive.json'), postgresWorkflow, replay.file], {
	env: () => crm.env(),
	credentialFiles: [
		fixture('npsWebhookSecret.credentials.json'),
		fixture('salesforceOAuth2.credentials.json'),
		fixture('hubspotAppToken.credentials.json'),
		fixture('pipedriveApiToken.credentials.json'),
		postgresCredential,
	],
});

beforeEach(() => crm.reset());
// Whatever a test scripted, every call a template made is a current endpoint of the vendor API ledger.
afterEach(() => expect(crm.ledgerViolations()).toEqual([]));

interface NpsBody {
	response_id: string;
	survey_date: string;
	nps_score: number;
	email: string;
	comment: string;
	themes: string[];
}

const npsBody = (id: string, score: number, email: string, comment: string): NpsBody => ({
	response_id: id,
	survey_date: '2026-03-14T09:30:00Z',
	nps_score: score,
	email,
	comment,
	themes: ['Support'],
});

type Delivery = Pick<NpsBody, 'response_id'> & Partial<NpsBody> & { customer_id?: string };

/** Posts `body` signed as a Standard Webhooks sender does, with the same message id on a redelivery. */
function postSigned(workflow: { path: string }, body: Delivery): Promise<Response> {
	const text = JSON.stringify(body);
	return fetch(n8n().webhookUrl(workflow.path), {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...signatureHeaders('generic', text, { webhookId: `msg_${body.response_id}` }) },
		body: text,
	});
}

/** Delivers a response and waits for the execution it starts; returns that execution. */
async function deliver(workflow: { id: string; path: string }, body: Delivery): Promise<FinishedExecution> {
	const before = finishedExecutions(n8n(), workflow.id).length;
	const answer = await postSigned(workflow, body);
	expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 200, body: { received: true, response_id: body.response_id } });
	const executions = await waitForExecutions(n8n(), workflow.id, before + 1);
	const execution = executions[executions.length - 1];
	expect(execution.status).toBe('success');
	return execution;
}

/** Delivers the same response again: the trigger answers 200 and starts nothing, so the CRM hears nothing. */
async function redeliver(workflow: { id: string; path: string }, body: Delivery): Promise<void> {
	const before = finishedExecutions(n8n(), workflow.id).length;
	const requestsBefore = crm.requests().length;
	expect((await postSigned(workflow, body)).status).toBe(200);
	await waitForExecutions(n8n(), workflow.id, before);
	expect(crm.requests().length).toBe(requestsBefore);
}

const brief = ({ method, path, body }: RecordedRequest) => ({ method, path, body });

/** What the templates' Dead Letter Queue nodes kept for these responses. */
const deadLetters = (responseIds: string[]) =>
	deadLetterEntries(n8n(), responseIds).map(({ step, item_key, reason, status, attempts }) => ({ step, item_key, reason, status, attempts }));

function warehouseRows(responseIds: string[]) {
	const db = openSqlite(path.join(n8n().userFolder, '.n8n', 'revops-warehouse.sqlite'));
	try {
		const marks = responseIds.map(() => '?').join(', ');
		return db
			.prepare(`SELECT response_id, provider, email, nps_score, nps_segment, raw_text FROM nps_responses WHERE response_id IN (${marks}) ORDER BY response_id`)
			.all(...responseIds);
	} finally {
		db.close();
	}
}

const itemsOf = (execution: FinishedExecution, node: string, output = 0) => nodeOutput(execution, node, output)?.map(({ json }) => json);

/** What the templates' Count steps (Flow Health → Record Outcome) counted in an execution; a latency is measured from the trigger's receipt. */
const counted = (execution: FinishedExecution) =>
	flowMetrics(n8n(), [execution.id]).map(({ source, outcome, error_type, latency_ms }) => ({ source, outcome, error_type, timed: latency_ms !== null && latency_ms >= 0 }));

it('loads the pack as a community package, imports the three template files as they are, the PostgreSQL copy and the replay, signing with the fixture secret', () => {
	expect(loadedNodeTypes(n8n())).toEqual(
		expect.arrayContaining(['n8n-nodes-revops.npsTrigger', 'n8n-nodes-revops.mapToCrmFields', 'n8n-nodes-revops.warehouseInsert']),
	);
	expect(n8n().workflowIds).toEqual([SALESFORCE.id, HUBSPOT.id, PIPEDRIVE.id, SALESFORCE_PG.id, 'revopsReplayNps']);
	expect(TEST_SECRETS.generic).toBe(fixtureData<{ secret: string }>('npsWebhookSecret.credentials.json').secret);
});

describe('NPS to Salesforce', () => {
	const API = '/services/data/v59.0';
	const CONTACT_ID = '0035e00000AbCdEAAZ';
	const findsContact = (email: string) =>
		crm.script('GET', SALESFORCE_INSTANCE_HOST, `${API}/query`, [
			{
				status: 200,
				body: {
					totalSize: 1,
					done: true,
					records: [{ attributes: { type: 'Contact', url: `${API}/sobjects/Contact/${CONTACT_ID}` }, Id: CONTACT_ID, Email: email }],
				},
			},
		]);
	const query = (email: string) => ({
		method: 'GET',
		path: `${API}/query?q=${encodeURIComponent(`SELECT Id,Email FROM Contact WHERE Email = '${email}' LIMIT 1`).replace(/'/g, '%27')}`,
		body: undefined,
	});
	const update = (fields: Record<string, unknown>) => ({ method: 'PATCH', path: `${API}/sobjects/contact/${CONTACT_ID}`, body: fields });

	it('updates the contact found by email, adds a promoter to the referral campaign, once however often it is delivered', async () => {
		const promoter = npsBody('sf-promoter-1', 10, 'ana@example.com', 'Fast answers from support');
		findsContact('ana@example.com');
		const execution = await deliver(SALESFORCE, promoter);
		await redeliver(SALESFORCE, promoter);

		const requests = crm.requests(SALESFORCE_INSTANCE_HOST);
		expect(requests.map(brief)).toEqual([
			query('ana@example.com'),
			update({
				NPS_Score__c: 10,
				NPS_Segment__c: 'Promoter',
				NPS_Themes__c: 'Support',
				NPS_Survey_Date__c: '2026-03-14',
				NPS_Comment__c: 'Fast answers from support',
			}),
			{ method: 'POST', path: `${API}/sobjects/CampaignMember`, body: { ContactId: CONTACT_ID, CampaignId: '701000000000001AAA' } },
		]);
		for (const request of requests) expect(request.headers.authorization).toBe(`Bearer ${salesforceToken}`);
		expect(itemsOf(execution, 'Invalid or failed')).toBeUndefined();
		expect(warehouseRows(['sf-promoter-1'])).toEqual([
			{ response_id: 'sf-promoter-1', provider: 'generic', email: 'ana@example.com', nps_score: 10, nps_segment: 'promoter', raw_text: 'Fast answers from support' },
		]);
	});

	it('creates a follow-up task on the contact for a detractor', async () => {
		findsContact('bo@example.com');
		await deliver(SALESFORCE, npsBody('sf-detractor-1', 3, 'bo@example.com', 'Support took days to answer'));
		expect(crm.requests(SALESFORCE_INSTANCE_HOST).map(brief).slice(1)).toEqual([
			update({
				NPS_Score__c: 3,
				NPS_Segment__c: 'Detractor',
				NPS_Themes__c: 'Support',
				NPS_Survey_Date__c: '2026-03-14',
				NPS_Comment__c: 'Support took days to answer',
			}),
			{
				method: 'POST',
				path: `${API}/sobjects/task`,
				body: { Status: 'Not Started', WhoId: CONTACT_ID, Subject: 'NPS detractor (3/10): call back', Description: 'Support took days to answer', Priority: 'High' },
			},
		]);
	});

	it("routes a response whose email matches no contact to 'Not in Salesforce', and still into the warehouse", async () => {
		const stranger = npsBody('sf-unknown-1', 8, 'nobody@example.com', 'Fine');
		const execution = await deliver(SALESFORCE, stranger);
		expect(crm.requests(SALESFORCE_INSTANCE_HOST).map(brief)).toEqual([query('nobody@example.com')]);
		expect(itemsOf(execution, 'Not in Salesforce')).toEqual([
			expect.objectContaining({ response_id: 'sf-unknown-1', failure: { code: 'not_in_crm', message: 'no Salesforce record has the email nobody@example.com' } }),
		]);
		expect(deadLetters(['sf-unknown-1'])).toEqual([
			{ step: 'Find Contact by Email', item_key: 'sf-unknown-1', reason: 'no Salesforce record has the email nobody@example.com', status: 'pending', attempts: 1 },
		]);
		expect(itemsOf(execution, 'Map to Salesforce Fields')).toEqual([expect.objectContaining({ Email: 'nobody@example.com', NPS_Score__c: 8 })]);
		expect(warehouseRows(['sf-unknown-1'])).toEqual([expect.objectContaining({ response_id: 'sf-unknown-1', nps_score: 8 })]);
	});

	it('retries an update Salesforce answered 429, and the record arrives once', async () => {
		findsContact('cy@example.com');
		crm.script('PATCH', SALESFORCE_INSTANCE_HOST, `${API}/sobjects/contact/${CONTACT_ID}`, [
			{ status: 429, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] },
		]);
		const execution = await deliver(SALESFORCE, npsBody('sf-retry-1', 7, 'cy@example.com', 'OK'));
		const updates = crm.requests(SALESFORCE_INSTANCE_HOST).filter(({ method }) => method === 'PATCH');
		expect(updates).toHaveLength(2);
		expect(updates[1].body).toEqual(updates[0].body);
		expect(itemsOf(execution, 'Update Contact')).toHaveLength(1);
		expect(itemsOf(execution, 'Invalid or failed')).toBeUndefined();
	});

	it("sends an update Salesforce refused with 400 to 'Invalid or failed' with Salesforce's message", async () => {
		findsContact('di@example.com');
		const message = "bad value for restricted picklist field: Promoter";
		crm.script(
			'PATCH',
			SALESFORCE_INSTANCE_HOST,
			`${API}/sobjects/contact/${CONTACT_ID}`,
			[{ status: 400, body: [{ message, errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['NPS_Segment__c'] }] }],
			Infinity,
		);
		const execution = await deliver(SALESFORCE, npsBody('sf-refused-1', 9, 'di@example.com', 'Great'));
		// n8n's Retry On Fail does not tell a 400 from a 429: three tries, as the template's note says
		expect(crm.requests(SALESFORCE_INSTANCE_HOST).filter(({ method }) => method === 'PATCH')).toHaveLength(3);
		expect(crm.requests(SALESFORCE_INSTANCE_HOST).filter(({ method }) => method === 'POST')).toEqual([]);
		expect(itemsOf(execution, 'Invalid or failed')).toEqual([
			expect.objectContaining({
				response_id: 'sf-refused-1',
				failure: expect.objectContaining({ description: message, errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: 'NPS_Segment__c' }),
			}),
		]);
		expect(deadLetters(['sf-refused-1'])).toEqual([
			{ step: 'Salesforce', item_key: 'sf-refused-1', reason: expect.stringContaining(message), status: 'pending', attempts: 1 },
		]);
		expect(warehouseRows(['sf-refused-1'])).toHaveLength(1);
	});

	it('writes the warehouse rows into PostgreSQL in the copy switched to PostgreSQL by its sticky note', async () => {
		findsContact('ed@example.com');
		await deliver(SALESFORCE_PG, npsBody('sf-pg-1', 9, 'ed@example.com', 'Love it'));
		const { rows } = await admin().query(`SELECT response_id, email, nps_score, nps_segment, raw_text FROM ${schema}.nps_responses`);
		expect(rows).toEqual([{ response_id: 'sf-pg-1', email: 'ed@example.com', nps_score: 9, nps_segment: 'promoter', raw_text: 'Love it' }]);
		expect(warehouseRows(['sf-pg-1'])).toEqual([]);
	});
});

describe('NPS to HubSpot', () => {
	const CONTACT_ID = '51';
	const SEARCH = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/search`;
	const UPDATE = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/${CONTACT_ID}`;
	const findsContact = (email: string) =>
		crm.script('POST', HUBSPOT_HOST, SEARCH, [
			{
				status: 200,
				body: {
					total: 1,
					results: [{ id: CONTACT_ID, properties: { email, hs_object_id: CONTACT_ID }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', archived: false }],
				},
			},
		]);
	const search = (email: string) => ({
		method: 'POST',
		path: SEARCH,
		body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }], properties: ['email'], limit: 1 },
	});
	const update = (email: string, properties: Record<string, string>) => ({ method: 'PATCH', path: UPDATE, body: { properties: { email, ...properties } } });

	it('updates the contact found by email, adds a promoter to the referral list, once however often it is delivered', async () => {
		const promoter = npsBody('hs-promoter-1', 9, 'fe@example.com', 'Easy to use');
		findsContact('fe@example.com');
		const execution = await deliver(HUBSPOT, promoter);
		await redeliver(HUBSPOT, promoter);
		const requests = crm.requests(HUBSPOT_HOST);
		expect(requests.map(brief)).toEqual([
			search('fe@example.com'),
			update('fe@example.com', {
				nps_score: '9',
				nps_segment: 'Promoter',
				nps_themes: 'Support',
				nps_survey_date: String(Date.UTC(2026, 2, 14)),
				nps_comment: 'Easy to use',
			}),
			{ method: 'PUT', path: `/crm/lists/${HUBSPOT_API_VERSION}/123/memberships/add`, body: [CONTACT_ID] },
		]);
		for (const request of requests) expect(request.headers.authorization).toBe(`Bearer ${hubspotToken}`);
		expect(itemsOf(execution, 'Invalid or failed')).toBeUndefined();
		expect(warehouseRows(['hs-promoter-1'])).toEqual([expect.objectContaining({ response_id: 'hs-promoter-1', nps_score: 9, nps_segment: 'promoter' })]);
		expect(counted(execution)).toEqual([{ source: 'generic', outcome: 'sent', error_type: null, timed: true }]);
	});

	it('creates a follow-up task associated with the contact for a detractor; no comment or themes clears those properties', async () => {
		findsContact('gu@example.com');
		await deliver(HUBSPOT, { response_id: 'hs-detractor-1', survey_date: '2026-03-14T09:30:00Z', nps_score: 2, email: 'gu@example.com' });
		expect(crm.requests(HUBSPOT_HOST).map(brief).slice(1)).toEqual([
			update('gu@example.com', {
				nps_score: '2',
				nps_segment: 'Detractor',
				nps_themes: '',
				nps_survey_date: String(Date.UTC(2026, 2, 14)),
				nps_comment: '',
			}),
			{
				method: 'POST',
				path: `/crm/objects/${HUBSPOT_API_VERSION}/tasks`,
				body: {
					properties: {
						hs_timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
						hs_task_subject: 'NPS detractor (2/10): call back',
						hs_task_body: 'No comment given',
						hs_task_status: 'NOT_STARTED',
						hs_task_priority: 'HIGH',
						hs_task_type: 'CALL',
					},
					associations: [{ to: { id: CONTACT_ID }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }],
				},
			},
		]);
	});

	it("routes a response whose email matches no contact to 'Not in HubSpot' and creates nothing", async () => {
		const execution = await deliver(HUBSPOT, npsBody('hs-unknown-1', 10, 'nobody@example.com', 'Great'));
		expect(crm.requests(HUBSPOT_HOST).map(brief)).toEqual([search('nobody@example.com')]);
		expect(itemsOf(execution, 'Not in HubSpot')).toEqual([
			expect.objectContaining({ response_id: 'hs-unknown-1', failure: { code: 'not_in_crm', message: 'no HubSpot record has the email nobody@example.com' } }),
		]);
		expect(deadLetters(['hs-unknown-1'])).toEqual([
			{ step: 'Find Contact by Email', item_key: 'hs-unknown-1', reason: 'no HubSpot record has the email nobody@example.com', status: 'pending', attempts: 1 },
		]);
		expect(warehouseRows(['hs-unknown-1'])).toHaveLength(1);
		expect(counted(execution)).toEqual([{ source: 'generic', outcome: 'failed', error_type: 'not_in_crm', timed: true }]);
	});

	it("sends a response without an email to 'Invalid or failed' naming the field HubSpot needs, and calls HubSpot for nothing", async () => {
		const execution = await deliver(HUBSPOT, { response_id: 'hs-no-email-1', survey_date: '2026-03-14T09:30:00Z', nps_score: 4, customer_id: 'cus_77' });
		expect(crm.requests(HUBSPOT_HOST)).toEqual([]);
		expect(itemsOf(execution, 'Invalid or failed')).toEqual([
			expect.objectContaining({
				response_id: 'hs-no-email-1',
				customer_id: 'cus_77',
				failure: expect.objectContaining({ errors: [expect.objectContaining({ field: 'email', code: 'required' })] }),
			}),
		]);
		expect(deadLetters(['hs-no-email-1'])).toEqual([
			{ step: 'HubSpot', item_key: 'hs-no-email-1', reason: expect.stringMatching(/^email: /), status: 'pending', attempts: 1 },
		]);
		expect(warehouseRows(['hs-no-email-1'])).toEqual([expect.objectContaining({ response_id: 'hs-no-email-1', email: null, nps_score: 4 })]);
		expect(counted(execution)).toEqual([{ source: 'generic', outcome: 'invalid', error_type: 'invalid:required', timed: true }]);
	});

	it('retries an update HubSpot answered 429, and the record arrives once', async () => {
		findsContact('ha@example.com');
		crm.script('PATCH', HUBSPOT_HOST, UPDATE, [
			{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT' } },
		]);
		const execution = await deliver(HUBSPOT, npsBody('hs-retry-1', 8, 'ha@example.com', 'Good'));
		const upserts = crm.requests(HUBSPOT_HOST).filter(({ method }) => method === 'PATCH');
		expect(upserts).toHaveLength(2);
		expect(upserts[1].body).toEqual(upserts[0].body);
		expect(itemsOf(execution, 'Update Contact')).toHaveLength(1);
		expect(itemsOf(execution, 'Invalid or failed')).toBeUndefined();
	});
	it("sends an update HubSpot refused with 400 to 'Invalid or failed' after n8n's three tries, with HubSpot's message", async () => {
		findsContact('io@example.com');
		crm.script(
			'PATCH',
			HUBSPOT_HOST,
			UPDATE,
			[{ status: 400, body: { status: 'error', message: 'Property "nps_segment" does not exist', category: 'VALIDATION_ERROR' } }],
			Infinity,
		);
		const execution = await deliver(HUBSPOT, npsBody('hs-refused-1', 9, 'io@example.com', 'Nice'));
		expect(crm.requests(HUBSPOT_HOST).map(({ path }) => path)).toEqual([SEARCH, ...Array(3).fill(UPDATE)]);
		// n8n's HTTP Request node keeps HubSpot's own message beside its summary of the status code
		expect(itemsOf(execution, 'Invalid or failed')).toEqual([
			expect.objectContaining({
				response_id: 'hs-refused-1',
				failure: expect.objectContaining({ error: expect.objectContaining({ httpCode: '400', description: 'Property "nps_segment" does not exist' }) }),
			}),
		]);
		expect(deadLetters(['hs-refused-1'])).toEqual([
			{ step: 'HubSpot', item_key: 'hs-refused-1', reason: expect.stringContaining('Property "nps_segment" does not exist'), status: 'pending', attempts: 1 },
		]);
		expect(warehouseRows(['hs-refused-1'])).toHaveLength(1);
		expect(counted(execution)).toEqual([{ source: 'generic', outcome: 'failed', error_type: 'http_400', timed: true }]);
	});

	it('replays a response kept as not in HubSpot once the contact is added: updated once with its task, the entry resolved, nothing on the next run', async () => {
		await deliver(HUBSPOT, npsBody('hs-later-1', 3, 'later@example.com', 'Too slow'));
		expect(deadLetters(['hs-later-1'])).toEqual([expect.objectContaining({ step: 'Find Contact by Email', status: 'pending', attempts: 1 })]);
		crm.addPeople(['later@example.com']);
		crm.reset();
		// every pending entry of the template is replayed (earlier tests' too): look at this one's calls
		const forLater = () =>
			crm.requests(HUBSPOT_HOST).filter(({ body }) => JSON.stringify(body).includes('later@example.com') || JSON.stringify(body).includes('Too slow'));
		expect((await n8n().execute('revopsReplayNps')).status).toBe('success');
		expect(forLater().map(({ method, path: requestPath }) => `${method} ${requestPath.replace(/\/\d+$/, '/<id>')}`)).toEqual([
			`POST ${SEARCH}`,
			`PATCH /crm/objects/${HUBSPOT_API_VERSION}/contacts/<id>`,
			`POST /crm/objects/${HUBSPOT_API_VERSION}/tasks`,
		]);
		expect(deadLetters(['hs-later-1'])).toEqual([expect.objectContaining({ status: 'resolved', attempts: 1 })]);
		expect(deadLetterEntries(n8n(), ['hs-later-1'])[0].resolution).toBe('replayed: sent');
		// the warehouse had it already: a CRM step's replay does not write it again
		expect(warehouseRows(['hs-later-1'])).toHaveLength(1);
		// still not in HubSpot: kept again, one more attempt
		expect(deadLetters(['hs-unknown-1'])).toEqual([expect.objectContaining({ status: 'pending', attempts: 2 })]);
		crm.reset();
		await n8n().execute('revopsReplayNps');
		expect(forLater()).toEqual([]);
	});
});

describe('NPS to Pipedrive', () => {
	const PERSON_ID = 42;
	const KEY = (n: number) => `1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0${n}`;
	const token = `api_token=${pipedriveToken}`;
	const findsPerson = (email: string) =>
		crm.script('GET', PIPEDRIVE_HOST, '/api/v2/persons/search', [
			{
				status: 200,
				body: {
					success: true,
					data: { items: [{ result_score: 1, item: { id: PERSON_ID, type: 'person', name: 'Ivo Costa', emails: [email], phones: [] } }] },
					additional_data: { next_cursor: null },
				},
			},
		]);
	const search = (email: string) => ({
		method: 'GET',
		path: `/api/v2/persons/search?term=${encodeURIComponent(email)}&fields=email&exact_match=true&limit=1&${token}`,
		body: undefined,
	});
	const update = (customFields: Record<string, unknown>) => ({ method: 'PATCH', path: `/api/v2/persons/${PERSON_ID}?${token}`, body: { custom_fields: customFields } });
	const UPDATE_PATH = `/api/v2/persons/${PERSON_ID}`;

	it('updates the person found by email, adds the comment as a note and a referral task for a promoter, once however often it is delivered', async () => {
		const promoter = npsBody('pd-promoter-1', 10, 'ivo@example.com', 'Best CRM sync we have');
		findsPerson('ivo@example.com');
		const execution = await deliver(PIPEDRIVE, promoter);
		await redeliver(PIPEDRIVE, promoter);
		expect(crm.requests(PIPEDRIVE_HOST).map(brief)).toEqual([
			search('ivo@example.com'),
			update({ [KEY(1)]: 10, [KEY(2)]: 31, [KEY(3)]: '2026-03-14', [KEY(4)]: 'Best CRM sync we have' }),
			{ method: 'POST', path: `/v1/notes?${token}`, body: { content: 'NPS 10/10 (promoter): Best CRM sync we have', person_id: PERSON_ID } },
			{
				method: 'POST',
				path: `/api/v2/activities?${token}`,
				body: { subject: 'NPS promoter (10/10): ask for a referral', done: false, type: 'task', participants: [{ person_id: PERSON_ID, primary: true }] },
			},
		]);
		expect(itemsOf(execution, 'Invalid or failed')).toBeUndefined();
		expect(warehouseRows(['pd-promoter-1'])).toEqual([expect.objectContaining({ response_id: 'pd-promoter-1', nps_score: 10 })]);
	});

	it('adds a call-back activity for a detractor', async () => {
		findsPerson('jo@example.com');
		await deliver(PIPEDRIVE, npsBody('pd-detractor-1', 0, 'jo@example.com', 'Broke our pipeline'));
		expect(crm.requests(PIPEDRIVE_HOST).map(brief).slice(1)).toEqual([
			update({ [KEY(1)]: 0, [KEY(2)]: 33, [KEY(3)]: '2026-03-14', [KEY(4)]: 'Broke our pipeline' }),
			{ method: 'POST', path: `/v1/notes?${token}`, body: { content: 'NPS 0/10 (detractor): Broke our pipeline', person_id: PERSON_ID } },
			{
				method: 'POST',
				path: `/api/v2/activities?${token}`,
				body: { subject: 'NPS detractor (0/10): call back', done: false, type: 'call', participants: [{ person_id: PERSON_ID, primary: true }] },
			},
		]);
	});

	it("routes a response whose email matches no person to 'Not in Pipedrive', and still into the warehouse", async () => {
		const execution = await deliver(PIPEDRIVE, npsBody('pd-unknown-1', 6, 'nobody@example.com', 'Meh'));
		expect(crm.requests(PIPEDRIVE_HOST).map(brief)).toEqual([search('nobody@example.com')]);
		expect(itemsOf(execution, 'Not in Pipedrive')).toEqual([
			expect.objectContaining({ response_id: 'pd-unknown-1', failure: { code: 'not_in_crm', message: 'no Pipedrive record has the email nobody@example.com' } }),
		]);
		expect(deadLetters(['pd-unknown-1'])).toEqual([
			{ step: 'Find Person by Email', item_key: 'pd-unknown-1', reason: 'no Pipedrive record has the email nobody@example.com', status: 'pending', attempts: 1 },
		]);
		expect(warehouseRows(['pd-unknown-1'])).toHaveLength(1);
	});

	it('waits and sends an update Pipedrive answered 429 again, and the record arrives once', async () => {
		findsPerson('ka@example.com');
		crm.script('PATCH', PIPEDRIVE_HOST, UPDATE_PATH, [{ status: 429, body: { success: false, error: 'Request over limit', errorCode: 429 } }]);
		const execution = await deliver(PIPEDRIVE, npsBody('pd-retry-1', 7, 'ka@example.com', 'Fine'));
		const updates = crm.requests(PIPEDRIVE_HOST).filter(({ method }) => method === 'PATCH').map(brief);
		expect(updates).toEqual([update({ [KEY(1)]: 7, [KEY(2)]: 32, [KEY(3)]: '2026-03-14', [KEY(4)]: 'Fine' }), updates[0]]);
		expect(crm.requests(PIPEDRIVE_HOST).filter(({ path }) => path.startsWith('/v1/notes'))).toHaveLength(1);
		expect(itemsOf(execution, 'Invalid or failed')).toBeUndefined();
	});

	it("sends an update Pipedrive refused with 400 to 'Invalid or failed' with Pipedrive's message, without retrying", async () => {
		findsPerson('lu@example.com');
		const error = 'Custom field 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a02: option 31 does not exist';
		crm.script('PATCH', PIPEDRIVE_HOST, UPDATE_PATH, [{ status: 400, body: { success: false, error, errorCode: 400 } }]);
		const execution = await deliver(PIPEDRIVE, npsBody('pd-refused-1', 9, 'lu@example.com', 'Nice'));
		expect(crm.requests(PIPEDRIVE_HOST).map(({ method }) => method)).toEqual(['GET', 'PATCH']);
		expect(itemsOf(execution, 'Invalid or failed')).toEqual([
			expect.objectContaining({ response_id: 'pd-refused-1', failure: expect.objectContaining({ statusCode: 400, body: { success: false, error, errorCode: 400 } }) }),
		]);
		expect(deadLetters(['pd-refused-1'])).toEqual([{ step: 'Pipedrive', item_key: 'pd-refused-1', reason: error, status: 'pending', attempts: 1 }]);
		expect(warehouseRows(['pd-refused-1'])).toHaveLength(1);
	});
});
