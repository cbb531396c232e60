/**
 * The CRM stand-in itself, reached the way n8n reaches it: an HTTP CONNECT tunnel to the proxy, then TLS
 * to the vendor's host name trusting only the stand-in's CA (the NODE_EXTRA_CA_CERTS file n8n gets).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

import { HUBSPOT_HOST, PIPEDRIVE_HOST, SALESFORCE_INSTANCE_HOST, startCrmStandIn, type CrmStandIn } from './crmStandIn';
import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';

let standIn: CrmStandIn;
beforeAll(async () => {
	standIn = await startCrmStandIn({ people: ['Held@Example.com'] });
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.reset());

function tunnel(host: string): Promise<tls.TLSSocket> {
	const proxy = new URL(standIn.env().HTTPS_PROXY);
	return new Promise((resolve, reject) => {
		const connect = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${host}:443` });
		connect.once('connect', (response, socket) => {
			if (response.statusCode !== 200) return reject(new Error(`CONNECT answered ${response.statusCode}`));
			const secure = tls.connect({ socket, servername: host, ca: fs.readFileSync(standIn.env().NODE_EXTRA_CA_CERTS) });
			secure.once('secureConnect', () => resolve(secure));
			secure.once('error', reject);
		});
		connect.once('error', reject);
		connect.end();
	});
}

/** Each vendor's auth the way n8n's credentials send it: a bearer token, or Pipedrive's api_token query parameter. */
const AUTHENTICATED: Record<string, string> = { authorization: 'Bearer fake-token' };

async function call(
	method: string,
	url: string,
	body?: unknown,
	headers: Record<string, string> = AUTHENTICATED,
): Promise<{ status: number; body: unknown }> {
	const { hostname, pathname, search } = new URL(url);
	const socket = await tunnel(hostname);
	return new Promise((resolve, reject) => {
		const request = https.request(
			{
				method,
				host: hostname,
				path: pathname + search,
				headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				createConnection: () => socket,
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
			},
		);
		request.once('error', reject);
		request.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

const upsertUrl = `https://${HUBSPOT_HOST}/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`;
const upsertBody = { inputs: [{ idProperty: 'email', id: 'a@acme.com', properties: { email: 'a@acme.com' } }] };

it('plays HubSpot behind TLS for its host name and records the exact request', async () => {
	const answer = await call('POST', upsertUrl, upsertBody);
	expect(answer.status).toBe(200);
	expect(answer.body).toMatchObject({ status: 'COMPLETE', results: [{ properties: { email: 'a@acme.com' }, new: true }] });
	expect(standIn.requests()).toEqual([
		{
			method: 'POST',
			host: HUBSPOT_HOST,
			path: `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`,
			headers: expect.objectContaining({ authorization: 'Bearer fake-token', 'content-type': 'application/json' }),
			body: upsertBody,
		},
	]);
});

it('gives scripted answers in turn before the default one', async () => {
	const path = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`;
	standIn.script('POST', HUBSPOT_HOST, path, [
		{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' } },
		{ status: 400, body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR' } },
	]);
	const statuses = [];
	for (let i = 0; i < 3; i++) statuses.push((await call('POST', upsertUrl, upsertBody)).status);
	expect(statuses).toEqual([429, 400, 200]);
	expect(standIn.requests(HUBSPOT_HOST)).toHaveLength(3);
});

it('keeps a standing scripted answer, matching a RegExp against the path with its query', async () => {
	const hit = { success: true, data: { items: [{ item: { id: 42, name: 'Maria' } }] } };
	standIn.script('GET', PIPEDRIVE_HOST, /^\/api\/v2\/persons\/search\?term=maria/, [{ status: 200, body: hit }], Infinity);
	for (let i = 0; i < 2; i++) {
		expect(await call('GET', `https://${PIPEDRIVE_HOST}/api/v2/persons/search?term=maria%40acme.com&api_token=t`)).toEqual({ status: 200, body: hit });
	}
	expect(await call('GET', `https://${PIPEDRIVE_HOST}/api/v2/persons/search?term=other&api_token=t`)).toEqual({
		status: 200,
		body: { success: true, data: { items: [] } },
	});
});

it('plays the Salesforce login and instance hosts', async () => {
	const token = await call('POST', 'https://login.salesforce.com/services/oauth2/token', { grant_type: 'x' });
	expect(token.body).toMatchObject({ instance_url: `https://${SALESFORCE_INSTANCE_HOST}`, access_token: expect.any(String) });
	const update = await call('PATCH', `https://${SALESFORCE_INSTANCE_HOST}/services/data/v59.0/sobjects/Contact/003000000000001`, {
		NPS_Score__c: 9,
	});
	expect(update.status).toBe(204);
	expect(standIn.requests().map(({ method, host, path }) => `${method} ${host}${path}`)).toEqual([
		'POST login.salesforce.com/services/oauth2/token',
		`PATCH ${SALESFORCE_INSTANCE_HOST}/services/data/v59.0/sobjects/Contact/003000000000001`,
	]);
});

it("plays any org's My Domain host, with one result per record of an sObject Collections upsert", async () => {
	const records = [
		{ attributes: { type: 'Lead' }, Lead_Key__c: 'a@acme.com', LastName: 'A', Company: 'Acme' },
		{ attributes: { type: 'Lead' }, Lead_Key__c: 'b@acme.com', LastName: 'B', Company: 'Acme' },
	];
	const upsert = await call('PATCH', 'https://acme.my.salesforce.com/services/data/v62.0/composite/sobjects/Lead/Lead_Key__c', { allOrNone: false, records });
	expect(upsert).toEqual({
		status: 200,
		body: [
			{ id: expect.stringMatching(/^00Q\w{12}$/), success: true, errors: [], created: true },
			{ id: expect.stringMatching(/^00Q\w{12}$/), success: true, errors: [], created: true },
		],
	});
	const [first, second] = upsert.body as Array<{ id: string }>;
	expect(first.id).not.toBe(second.id);
	expect(standIn.requests('acme.my.salesforce.com')).toHaveLength(1);
});

it("answers a Pipedrive person update with the id in its path and a creation with a new one, both owned by the token's user", async () => {
	const update = await call('PATCH', `https://${PIPEDRIVE_HOST}/api/v2/persons/4711?api_token=t`, { name: 'Maria' });
	expect(update).toEqual({ status: 200, body: { success: true, data: { id: 4711, name: 'Maria', owner_id: 13 }, additional_data: null } });
	const creation = await call('POST', `https://${PIPEDRIVE_HOST}/api/v2/persons?api_token=t`, { name: 'Ana' });
	expect(creation).toEqual({ status: 201, body: { success: true, data: { id: expect.any(Number), name: 'Ana', owner_id: 13 }, additional_data: null } });
	expect((creation.body as { data: { id: number } }).data.id).not.toBe(4711);
});

it('resets the connection when scripted to, as a dropped network would', async () => {
	standIn.script('POST', HUBSPOT_HOST, `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`, [{ reset: true }]);
	await expect(call('POST', upsertUrl, upsertBody)).rejects.toThrow(/ECONNRESET|socket hang up/);
	expect((await call('POST', upsertUrl, upsertBody)).status).toBe(200);
});

it('answers the legacy HubSpot v1 endpoints HubSpot still serves, and 404 for the v1 list membership retired on 2026-04-30', async () => {
	const contact = await call('POST', `https://${HUBSPOT_HOST}/contacts/v1/contact/createOrUpdate/email/a@acme.com`, {
		properties: [{ property: 'nps_score', value: '9' }],
	});
	expect(contact).toEqual({ status: 200, body: { vid: expect.any(Number), isNew: false } });
	const task = { engagement: { type: 'TASK' }, metadata: { subject: 'Call back' }, associations: { contactIds: ['51'] } };
	expect(await call('POST', `https://${HUBSPOT_HOST}/engagements/v1/engagements`, task)).toEqual({
		status: 200,
		body: { engagement: { type: 'TASK', id: expect.any(Number) }, metadata: task.metadata, associations: task.associations },
	});
	expect(await call('POST', `https://${HUBSPOT_HOST}/contacts/v1/lists/123/add`, { emails: ['a@acme.com'], vids: [51] })).toEqual({
		status: 404,
		body: { status: 'error', message: expect.stringContaining('/contacts/v1/lists/123/add'), correlationId: expect.any(String), category: 'OBJECT_NOT_FOUND' },
	});
});

it('serves the current HubSpot calls of the NPS template: contact update, task with its contact, list membership', async () => {
	const base = `https://${HUBSPOT_HOST}/crm`;
	expect(await call('PATCH', `${base}/objects/${HUBSPOT_API_VERSION}/contacts/51`, { properties: { nps_score: '9' } })).toEqual({
		status: 200,
		body: expect.objectContaining({ id: '51', properties: { nps_score: '9' } }),
	});
	const task = {
		properties: { hs_timestamp: '2026-12-07T09:00:00.000Z', hs_task_subject: 'Call back', hs_task_status: 'NOT_STARTED' },
		associations: [{ to: { id: '51' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] }],
	};
	expect(await call('POST', `${base}/objects/${HUBSPOT_API_VERSION}/tasks`, task)).toEqual({ status: 201, body: expect.objectContaining({ properties: task.properties }) });
	expect(await call('PUT', `${base}/lists/${HUBSPOT_API_VERSION}/123/memberships/add`, ['51'])).toEqual({
		status: 200,
		body: { recordIdsAdded: ['51'], recordIdsMissing: [] },
	});
});

it('answers a retired Salesforce API version with 410 Gone', async () => {
	const answer = await call('GET', `https://${SALESFORCE_INSTANCE_HOST}/services/data/v30.0/query?q=SELECT+Id+FROM+Lead`);
	expect(answer).toEqual({ status: 410, body: [expect.objectContaining({ errorCode: 'UNSUPPORTED_API_VERSION' })] });
	expect((await call('GET', `https://${SALESFORCE_INSTANCE_HOST}/services/data/v31.0/query?q=SELECT+Id+FROM+Lead`)).status).toBe(200);
});

it("refuses a request without the vendor's auth, in each vendor's error format", async () => {
	expect(await call('POST', upsertUrl, upsertBody, {})).toEqual({
		status: 401,
		body: expect.objectContaining({ status: 'error', category: 'INVALID_AUTHENTICATION' }),
	});
	expect(await call('GET', `https://${SALESFORCE_INSTANCE_HOST}/services/data/v62.0/query?q=SELECT+Id+FROM+Lead`, undefined, {})).toEqual({
		status: 401,
		body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
	});
	expect(await call('GET', `https://${PIPEDRIVE_HOST}/api/v2/persons/search?term=maria`, undefined, {})).toEqual({
		status: 401,
		body: expect.objectContaining({ success: false, error: 'unauthorized access', errorCode: 401 }),
	});
	expect((await call('GET', `https://${PIPEDRIVE_HOST}/api/v2/persons/search?term=maria`, undefined, { 'x-api-token': 't' })).status).toBe(200);
});

it('refuses a body or query that breaks the endpoint\'s contract, naming the field, as the vendor does', async () => {
	const tooMany = { inputs: Array.from({ length: 101 }, (_, index) => ({ id: `p${index}@acme.com`, idProperty: 'email', properties: {} })) };
	expect(await call('POST', upsertUrl, tooMany)).toEqual({
		status: 400,
		body: expect.objectContaining({ status: 'error', category: 'VALIDATION_ERROR', message: expect.stringContaining('inputs') }),
	});
	expect(await call('POST', `https://${PIPEDRIVE_HOST}/api/v2/activities?api_token=t`, { subject: 'Call', person_id: 42 })).toEqual({
		status: 400,
		body: expect.objectContaining({ success: false, code: 'ERR_BAD_REQUEST', error: expect.stringContaining("'person_id' is a read-only field") }),
	});
	expect((await call('GET', `https://${PIPEDRIVE_HOST}/api/v2/persons/search?term=m&api_token=t`)).status).toBe(400);
	expect((await call('POST', `https://${PIPEDRIVE_HOST}/v1/notes?api_token=t`, { content: 'orphan note' })).body).toEqual(
		expect.objectContaining({ success: false, error: expect.stringContaining('a note needs one of') }),
	);
	const lead = { attributes: { type: 'Lead' }, Id: '00Q000000000001AAA', LastName: 'A' };
	expect(await call('PATCH', `https://${SALESFORCE_INSTANCE_HOST}/services/data/v62.0/composite/sobjects/Lead/Lead_Key__c`, { records: [lead] })).toEqual({
		status: 400,
		body: [expect.objectContaining({ message: expect.stringContaining('no Id field') })],
	});
});

it('names every call outside the vendor API ledger, or on an endpoint it marks retired or losing support within a year', async () => {
	await call('POST', upsertUrl, upsertBody);
	expect(standIn.ledgerViolations()).toEqual([]);
	await call('POST', `https://${HUBSPOT_HOST}/contacts/v1/lists/123/add`, { vids: [51] });
	await call('GET', `https://${PIPEDRIVE_HOST}/v1/persons/search?term=maria&api_token=t`);
	await call('GET', `https://${HUBSPOT_HOST}/crm/objects/${HUBSPOT_API_VERSION}/deals`);
	expect(standIn.ledgerViolations()).toEqual([
		`POST ${HUBSPOT_HOST}/contacts/v1/lists/123/add (hubspot.v1.lists.add) is retired on 2026-04-30`,
		`GET ${PIPEDRIVE_HOST}/v1/persons/search (pipedrive.v1.persons.search) is deprecated, out of support since 2026-08-01`,
		`GET ${HUBSPOT_HOST}/crm/objects/${HUBSPOT_API_VERSION}/deals is not in the vendor API ledger`,
	]);
});

it('finds the people it was started with, on every CRM, and no one else', async () => {
	const hubspotSearch = (email: string) =>
		call('POST', `https://${HUBSPOT_HOST}/crm/objects/${HUBSPOT_API_VERSION}/contacts/search`, { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }] });
	const soql = (email: string) => encodeURIComponent(`SELECT Id,Email FROM Contact WHERE Email = '${email}' LIMIT 1`);
	const salesforceQuery = (email: string) => call('GET', `https://${SALESFORCE_INSTANCE_HOST}/services/data/v59.0/query?q=${soql(email)}`);
	const pipedriveSearch = (email: string) => call('GET', `https://${PIPEDRIVE_HOST}/api/v2/persons/search?term=${encodeURIComponent(email)}&fields=email&api_token=t`);

	expect(await hubspotSearch('held@example.com')).toEqual({
		status: 200,
		body: { total: 1, results: [expect.objectContaining({ id: '7001', properties: { email: 'held@example.com', hs_object_id: '7001' } })] },
	});
	expect(await salesforceQuery('held@example.com')).toEqual({
		status: 200,
		body: { totalSize: 1, done: true, records: [expect.objectContaining({ Id: '0035e0000000007001', Email: 'held@example.com' })] },
	});
	expect(await pipedriveSearch('held@example.com')).toEqual({
		status: 200,
		body: { success: true, data: { items: [{ result_score: 1, item: expect.objectContaining({ id: 7001, emails: ['held@example.com'] }) }] } },
	});
	expect((await hubspotSearch('stranger@example.com')).body).toEqual({ total: 0, results: [] });
	expect((await salesforceQuery('stranger@example.com')).body).toEqual({ totalSize: 0, done: true, records: [] });
	expect((await pipedriveSearch('stranger@example.com')).body).toEqual({ success: true, data: { items: [] } });
});
