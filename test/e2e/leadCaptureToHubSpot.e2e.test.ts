/**
 * Template "Lead capture to HubSpot" (workflows/lead-capture-to-hubspot.json) in a real n8n 2.41.1: imported
 * unmodified with a fake HubSpot app token credential, published, leads posted to its production webhook.
 * n8n's HTTP Request node calls https://api.hubapi.com through the CRM stand-in, which records exactly what
 * HubSpot received and answers as HubSpot does (or as a test scripts it: 429, 400).
 */
import fs from 'node:fs';
import path from 'node:path';

import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from './crmStandIn';
import { loadedNodeTypes, postJson, useN8n, workflowFile } from './n8nServer';

const credentialsFile = path.join(__dirname, 'fixtures', 'hubspotAppToken.credentials.json');
// the fake app token n8n must send as the bearer token, from the credential it imported
const [{ data: hubspotCredential }] = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as Array<{ data: { appToken: string } }>;
const UPSERT_PATH = '/crm/v3/objects/contacts/batch/upsert';

let hubspot: CrmStandIn;
// Declared before useN8n, so the stand-in runs when n8n starts and n8n gets its proxy settings.
beforeAll(async () => {
	hubspot = await startCrmStandIn();
});
afterAll(() => hubspot?.stop());

const n8n = useN8n([workflowFile('lead-capture-to-hubspot.json')], {
	env: () => hubspot.env(),
	credentialFiles: [credentialsFile],
});

beforeEach(() => hubspot.reset());

const postLead = (lead: object) => postJson(n8n(), 'revops/lead-to-hubspot', lead, [200, 422, 502]);

const formLead = {
	'E-mail': '  Jane.Doe@Acme.io ',
	'First Name': 'jane',
	'Last Name': 'DOE',
	Company: 'Acme Inc.',
	Phone: '(212) 736-5000',
	Country: 'United States',
	'Job Title': 'VP Marketing',
};

/** The upsert HubSpot must receive for `formLead`: one input, matched by email, HubSpot's property names. */
const expectedUpsert = {
	inputs: [
		{
			id: 'jane.doe@acme.io',
			idProperty: 'email',
			properties: {
				email: 'jane.doe@acme.io',
				firstname: 'Jane',
				lastname: 'Doe',
				company: 'Acme Inc.',
				phone: '+12127365000',
				jobtitle: 'VP Marketing',
				country: 'US',
				lifecyclestage: 'lead',
			},
		},
	],
};

const hubspotRequests = () => hubspot.requests(HUBSPOT_HOST);

it('loads the pack as a community package node and imports the template unmodified', () => {
	expect(loadedNodeTypes(n8n())).toEqual(
		expect.arrayContaining(['n8n-nodes-revops.normalizeLead', 'n8n-nodes-revops.mapToCrmFields']),
	);
});

it('upserts a valid lead into HubSpot with the credential, by email, and answers with the contact', async () => {
	const { status, body } = await postLead(formLead);
	expect(status).toBe(200);
	expect(body).toEqual({ outcome: 'sent', crm: 'hubspot', contacts: [{ id: expect.any(String), email: 'jane.doe@acme.io', new: true }] });
	expect(hubspotRequests()).toEqual([
		{
			method: 'POST',
			host: HUBSPOT_HOST,
			path: UPSERT_PATH,
			headers: expect.objectContaining({ authorization: `Bearer ${hubspotCredential.appToken}`, 'content-type': 'application/json' }),
			body: expectedUpsert,
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

it("answers 422 for a lead HubSpot cannot take (no email to match the contact by) and sends HubSpot nothing", async () => {
	const { status, body } = await postLead({ name: 'Phone Only', phone: '(212) 736-5000' });
	expect(status).toBe(422);
	expect(body.outcome).toBe('invalid');
	expect(body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'required' })]);
	expect(hubspotRequests()).toEqual([]);
});

it('sends a repeated lead as the same upsert by email, so HubSpot updates one contact rather than creating two', async () => {
	for (let i = 0; i < 2; i++) expect((await postLead(formLead)).status).toBe(200);
	expect(hubspotRequests().map(({ path, body }) => ({ path, body }))).toEqual([
		{ path: UPSERT_PATH, body: expectedUpsert },
		{ path: UPSERT_PATH, body: expectedUpsert },
	]);
});

it('waits and retries a batch HubSpot answered 429, and the lead arrives once', async () => {
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [
		{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT' } },
	]);
	const { status, body } = await postLead(formLead);
	expect(status).toBe(200);
	expect(body.contacts).toEqual([{ id: expect.any(String), email: 'jane.doe@acme.io', new: true }]);
	// the same batch twice: the refused one, then the one HubSpot took
	expect(hubspotRequests().map(({ path, body }) => ({ path, body }))).toEqual([
		{ path: UPSERT_PATH, body: expectedUpsert },
		{ path: UPSERT_PATH, body: expectedUpsert },
	]);
});

it('gives up after three tries when HubSpot keeps answering 429, on the error branch', async () => {
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.' } }], Infinity);
	const { status, body } = await postLead(formLead);
	expect(status).toBe(502);
	expect(body).toMatchObject({ outcome: 'failed', statusCode: 429, message: 'You have reached your secondly limit.' });
	expect(hubspotRequests()).toHaveLength(3);
});

it("routes a batch HubSpot refused with 400 to 'Invalid or failed' with HubSpot's message, without retrying", async () => {
	const message = 'Property values were not valid: [{"isValid":false,"message":"\'VP Marketing\' is not a valid job title","name":"jobtitle"}]';
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [
		{ status: 400, body: { status: 'error', message, correlationId: 'b6a5c1f0-0000-4000-8000-000000000001', category: 'VALIDATION_ERROR' } },
	]);
	const { status, body } = await postLead(formLead);
	expect(status).toBe(502);
	expect(body).toEqual({ outcome: 'failed', crm: 'hubspot', statusCode: 400, message, request: expectedUpsert });
	expect(hubspotRequests()).toHaveLength(1);
});

it("routes a batch whose connection HubSpot dropped to 'Invalid or failed' with the network error", async () => {
	hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ reset: true }]);
	const { status, body } = await postLead(formLead);
	expect(status).toBe(502);
	expect(body).toEqual({
		outcome: 'failed',
		crm: 'hubspot',
		statusCode: null,
		// n8n's own wording for ECONNRESET
		message: expect.stringMatching(/^The connection to the server was closed unexpectedly/),
		request: expectedUpsert,
	});
	expect(hubspotRequests()).toHaveLength(1);
});
