/**
 * What each CRM accepts and how it answers, for the CRM stand-in: per vendor, how a request must be
 * authenticated, the routes it serves with the request contract of each (test/schemas/crmApi.ts, written
 * from the vendors' references) and the vendor's own error format. A request to a route the vendor does not
 * serve, one without the vendor's auth, or one whose body breaks the contract gets the answer the vendor
 * gives, so a template that calls a wrong path, forgets the credential or builds a wrong body fails here as
 * it would against the real CRM.
 *
 * Error formats (read 2026-12):
 * - HubSpot: `{ status: 'error', message, correlationId, category }`, 401 INVALID_AUTHENTICATION,
 *   400 VALIDATION_ERROR, 404 OBJECT_NOT_FOUND (https://developers.hubspot.com/docs/api-reference/error-handling).
 * - Salesforce REST: a JSON array of `{ message, errorCode, fields? }`, 401 INVALID_SESSION_ID,
 *   400 JSON_PARSER_ERROR / INVALID_FIELD, 404 NOT_FOUND (REST API Developer Guide, "Status Codes and Error Responses").
 * - Pipedrive: `{ success: false, error, error_info?, errorCode? }`; API v2 adds `code: 'ERR_BAD_REQUEST'` to a refused
 *   body (https://pipedrive.readme.io/docs/core-api-concepts-errors). An API token goes in the `x-api-token` header
 *   (https://pipedrive.readme.io/docs/core-api-concepts-authentication); the `api_token` query parameter that n8n's
 *   Pipedrive credential sends is still accepted.
 */
import { randomUUID } from 'node:crypto';

import type { ZodType } from 'zod';

import {
	hubspotBatchUpsertBody,
	salesforceCampaignMemberBody,
	hubspotGdprDeleteBody,
	hubspotListMembershipAddBody,
	hubspotNoteCreateBody,
	hubspotSearchBody,
	hubspotSubscriptionStatusBody,
	hubspotTaskCreateBody,
	hubspotUpdateBody,
	pipedriveActivityCreateBody,
	pipedriveCreatePersonBody,
	pipedriveNoteCreateBody,
	pipedrivePersonSearchQuery,
	pipedriveUpdatePersonBody,
	salesforceQueryParameters,
	salesforceCollectionUpsertEnvelope,
} from '../schemas/crmApi';

export const HUBSPOT_HOST = 'api.hubapi.com';
export const SALESFORCE_LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com'];
export const SALESFORCE_INSTANCE_HOST = 'revops-test.my.salesforce.com';
export const PIPEDRIVE_HOST = 'api.pipedrive.com';

/**
 * Any org's My Domain host (`<domain>.my.salesforce.com`) is played as the instance: a template's URL
 * names the user's domain, the OAuth token answer names SALESFORCE_INSTANCE_HOST.
 */
export function isSalesforceInstanceHost(host: string): boolean {
	return host === SALESFORCE_INSTANCE_HOST || host.endsWith('.my.salesforce.com');
}

export interface RecordedRequest {
	method: string;
	host: string;
	/** path with the query string */
	path: string;
	headers: Record<string, string>;
	/** parsed JSON when the body is JSON, the text otherwise, undefined when empty */
	body: unknown;
}

export interface VendorAnswer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** What the stand-in knows besides the request: the people every CRM holds and a counter for new ids. */
export interface StandInState {
	/** lower-cased email → the person's id in every CRM */
	people: ReadonlyMap<string, number>;
	/**
	 * Records the stand-in's CRMs created, by a key naming the vendor and what identifies the record
	 * (`hubspot:<email>`, `salesforce:Lead:<external id>`, `salesforce:CampaignMember:<campaign>:<lead>`) → id.
	 * An upsert of a known key updates that record, and a second campaign membership is refused.
	 */
	created: Map<string, string>;
	/** a number that grows with every request, for ids the CRM makes up */
	sequence: number;
}

interface Route {
	method: string;
	/** matched against the path without its query */
	path: RegExp;
	/** the request body's contract */
	body?: ZodType;
	/** the query parameters' contract (an object of strings) */
	query?: ZodType;
	answer(request: RecordedRequest, state: StandInState, match: RegExpExecArray): VendorAnswer;
}

interface Vendor {
	name: string;
	hosts(host: string): boolean;
	/** the vendor's answer to a request without its auth, or undefined when the auth is there */
	unauthorized(request: RecordedRequest): VendorAnswer | undefined;
	/** the vendor's error answer in its own format */
	error(status: number, message: string, category: string): VendorAnswer;
	/** the vendor's answer to a body or query that breaks the route's contract */
	refused(problem: string): VendorAnswer;
	/** the vendor's answer to a path it does not serve (retired, misspelt or never there) */
	notFound(method: string, path: string): VendorAnswer;
	routes: Route[];
}

const json = (status: number, body: unknown): VendorAnswer => ({ status, body });
const pathOf = (request: RecordedRequest) => request.path.split('?')[0];
const queryOf = (request: RecordedRequest) => Object.fromEntries(new URLSearchParams(request.path.split('?')[1] ?? ''));
const epoch = new Date(0).toISOString();

/** HubSpot's dated versions (YYYY-MM) released so far, and the numeric paths still served until September 2027. */
const HUBSPOT_CRM_OBJECTS = '/crm/(?:v3/objects|objects/(?:2026-03|2026-09))';
const HUBSPOT_CRM_LISTS = '/crm/(?:v3/lists|lists/(?:2026-03|2026-09))';
const HUBSPOT_SUBSCRIPTION_STATUSES = '/communication-preferences/(?:v4|2026-03|2026-09)/statuses';

const hubspotObject = (id: string, properties: Record<string, unknown>) => ({ id, properties, createdAt: epoch, updatedAt: epoch, archived: false });

/** A search for one email finds the person the CRMs hold, in each vendor's shape; `id` is stable per email. */
function searchedEmail(request: RecordedRequest): string | undefined {
	if (request.host === HUBSPOT_HOST) {
		const groups = ((request.body ?? {}) as { filterGroups?: Array<{ filters?: Array<{ propertyName?: string; value?: unknown }> }> }).filterGroups ?? [];
		const filter = groups.flatMap(({ filters = [] }) => filters).find(({ propertyName }) => propertyName === 'email');
		return typeof filter?.value === 'string' ? filter.value.toLowerCase() : undefined;
	}
	if (request.host === PIPEDRIVE_HOST) return queryOf(request).term?.toLowerCase();
	return /Email\s*=\s*'([^']+)'/i.exec(queryOf(request).q ?? '')?.[1]?.toLowerCase();
}

const hubspot: Vendor = {
	name: 'HubSpot',
	hosts: (host) => host === HUBSPOT_HOST,
	unauthorized(request) {
		if (/^Bearer \S+$/.test(request.headers.authorization ?? '')) return undefined;
		return this.error(
			401,
			'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
			'INVALID_AUTHENTICATION',
		);
	},
	error: (status, message, category) => json(status, { status: 'error', message, correlationId: randomUUID(), category }),
	refused: (problem) => hubspot.error(400, `Invalid input JSON: ${problem}`, 'VALIDATION_ERROR'),
	notFound: (method, path) => hubspot.error(404, `No API found for ${method} ${path}`, 'OBJECT_NOT_FOUND'),
	routes: [
		{
			method: 'POST',
			path: new RegExp(`^${HUBSPOT_CRM_OBJECTS}/contacts/batch/upsert$`),
			body: hubspotBatchUpsertBody,
			answer(request, { people, created }) {
				const { inputs } = request.body as { inputs: Array<{ id: string; properties: Record<string, string> }> };
				return json(200, {
					status: 'COMPLETE',
					results: inputs.map((input) => {
						// upsert by email: the same email is the same contact, with the same id
						const email = input.id.toLowerCase();
						const known = people.get(email)?.toString() ?? created.get(`hubspot:${email}`);
						const id = known ?? String(1001 + created.size);
						if (known === undefined) created.set(`hubspot:${email}`, id);
						return { ...hubspotObject(id, { ...input.properties, email: input.properties.email ?? input.id }), new: known === undefined };
					}),
					startedAt: epoch,
					completedAt: epoch,
				});
			},
		},
		{
			method: 'POST',
			path: new RegExp(`^${HUBSPOT_CRM_OBJECTS}/contacts/search$`),
			body: hubspotSearchBody,
			answer(request, { people, created }) {
				const email = searchedEmail(request);
				const id = email === undefined ? undefined : (people.get(email)?.toString() ?? created.get(`hubspot:${email}`));
				if (email === undefined || id === undefined) return json(200, { total: 0, results: [] });
				return json(200, { total: 1, results: [hubspotObject(String(id), { email, hs_object_id: String(id) })] });
			},
		},
		{
			method: 'PATCH',
			path: new RegExp(`^${HUBSPOT_CRM_OBJECTS}/contacts/([^/]+)$`),
			body: hubspotUpdateBody,
			answer(request, _state, [, id]) {
				// Without idProperty the path names a record id, which is a number.
				if (queryOf(request).idProperty === undefined && !/^\d+$/.test(id)) {
					return hubspot.error(404, `Object not found.  objectId are usually numeric.`, 'OBJECT_NOT_FOUND');
				}
				return json(200, hubspotObject(id, (request.body as { properties: Record<string, string> }).properties));
			},
		},
		{
			method: 'POST',
			path: new RegExp(`^${HUBSPOT_CRM_OBJECTS}/tasks$`),
			body: hubspotTaskCreateBody,
			answer: (request, { sequence }) => json(201, hubspotObject(String(3000 + sequence), (request.body as { properties: Record<string, string> }).properties)),
		},
		{
			method: 'POST',
			path: new RegExp(`^${HUBSPOT_CRM_OBJECTS}/notes$`),
			body: hubspotNoteCreateBody,
			answer: (request, { sequence }) => json(201, hubspotObject(String(4000 + sequence), (request.body as { properties: Record<string, string> }).properties)),
		},
		{
			method: 'PUT',
			path: new RegExp(`^${HUBSPOT_CRM_LISTS}/(\\d+)/memberships/add$`),
			body: hubspotListMembershipAddBody,
			answer: (request) => json(200, { recordIdsAdded: request.body as string[], recordIdsMissing: [] }),
		},
		{
			method: 'PUT',
			path: new RegExp(`^${HUBSPOT_CRM_LISTS}/(\\d+)/memberships/remove$`),
			body: hubspotListMembershipAddBody,
			answer: (request) => json(200, { recordIdsRemoved: request.body as string[], recordIdsMissing: [] }),
		},
		{
			method: 'POST',
			path: new RegExp(`^${HUBSPOT_SUBSCRIPTION_STATUSES}/([^/?]+)$`),
			body: hubspotSubscriptionStatusBody,
			answer(request, _state, [, subscriber]) {
				const body = request.body as { channel: string; statusState: string; subscriptionId: number; legalBasis?: string; legalBasisExplanation?: string };
				// An account with GDPR on (the case the templates are for) refuses an opt-in without its legal basis.
				if (body.statusState === 'SUBSCRIBED' && (!body.legalBasis || !body.legalBasisExplanation)) {
					return hubspot.error(400, 'legalBasis and legalBasisExplanation are required when GDPR is enabled', 'VALIDATION_ERROR');
				}
				const now = new Date().toISOString();
				return json(200, {
					status: 'COMPLETE',
					results: [{ ...body, status: body.statusState, statusState: undefined, subscriberIdString: decodeURIComponent(subscriber), source: 'API', timestamp: now }],
					startedAt: now,
					completedAt: now,
				});
			},
		},
		{
			method: 'POST',
			path: new RegExp(`^${HUBSPOT_CRM_OBJECTS}/contacts/gdpr-delete$`),
			body: hubspotGdprDeleteBody,
			answer: () => ({ status: 204 }),
		},
		// Legacy v1 endpoints n8n's HubSpot node (2.x) still calls; HubSpot serves them until September 2027.
		{
			method: 'POST',
			path: /^\/contacts\/v1\/contact\/createOrUpdate\/email\/[^/]+$/,
			answer: (_request, { sequence }) => json(200, { vid: 2000 + sequence, isNew: false }),
		},
		{
			method: 'POST',
			path: /^\/engagements\/v1\/engagements$/,
			answer(request, { sequence }) {
				const body = (request.body ?? {}) as Record<string, unknown>;
				return json(200, { engagement: { ...(body.engagement as object), id: 3000 + sequence }, associations: body.associations, metadata: body.metadata });
			},
		},
	],
};

const salesforceError = (status: number, message: string, errorCode: string): VendorAnswer => json(status, [{ message, errorCode }]);

const salesforceLogin: Vendor = {
	name: 'Salesforce',
	hosts: (host) => SALESFORCE_LOGIN_HOSTS.includes(host),
	unauthorized: () => undefined,
	error: salesforceError,
	refused: (problem) => salesforceError(400, problem, 'INVALID_FIELD'),
	notFound: () => salesforceError(404, 'The requested resource does not exist', 'NOT_FOUND'),
	routes: [
		{
			method: 'POST',
			path: /^\/services\/oauth2\/token$/,
			answer: (request) =>
				json(200, {
					access_token: 'fake-salesforce-access-token',
					instance_url: `https://${SALESFORCE_INSTANCE_HOST}`,
					id: `https://${request.host}/id/00D000000000001/005000000000001`,
					token_type: 'Bearer',
					issued_at: '0',
					signature: 'fake',
				}),
		},
	],
};

const SALESFORCE_DATA = '/services/data/v(?:3[1-9]|[4-9]\\d)\\.0';

const salesforceInstance: Vendor = {
	name: 'Salesforce',
	hosts: isSalesforceInstanceHost,
	unauthorized: (request) =>
		/^(Bearer|OAuth) \S+$/.test(request.headers.authorization ?? '') ? undefined : salesforceError(401, 'Session expired or invalid', 'INVALID_SESSION_ID'),
	error: salesforceError,
	refused: (problem) => salesforceError(400, problem, 'JSON_PARSER_ERROR'),
	// REST API versions 7.0 to 30.0 are retired: Salesforce answers 410 GONE
	// (https://help.salesforce.com/s/articleView?id=005321531, "Platform API Versions 31.0 through 40.0 Retirement").
	notFound: (_method, path) =>
		/^\/services\/data\/v([7-9]|[12]\d|30)\.0\//.test(path)
			? salesforceError(410, 'The requested API version is no longer supported', 'UNSUPPORTED_API_VERSION')
			: salesforceError(404, 'The requested resource does not exist', 'NOT_FOUND'),
	routes: [
		{
			method: 'GET',
			path: new RegExp(`^${SALESFORCE_DATA}/query/?$`),
			query: salesforceQueryParameters,
			answer(request, { people, created }) {
				const membership = /FROM\s+CampaignMember\s+WHERE\s+CampaignId\s*=\s*'(\w+)'\s+AND\s+LeadId\s*=\s*'(\w+)'/i.exec(queryOf(request).q ?? '');
				if (membership) {
					const memberId = created.get(`salesforce:CampaignMember:${membership[1]}:${membership[2]}`);
					const records = memberId ? [{ attributes: { type: 'CampaignMember' }, Id: memberId }] : [];
					return json(200, { totalSize: records.length, done: true, records });
				}
				const email = searchedEmail(request);
				const id = email === undefined ? undefined : people.get(email);
				if (email === undefined || id === undefined) return json(200, { totalSize: 0, done: true, records: [] });
				const contactId = `0035e0000${String(id).padStart(9, '0')}`;
				const api = pathOf(request).split('/query')[0];
				return json(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Contact', url: `${api}/sobjects/Contact/${contactId}` }, Id: contactId, Email: email }] });
			},
		},
		{
			// sObject Collections upsert by an External ID field: one result per record, in request order.
			method: 'PATCH',
			path: new RegExp(`^${SALESFORCE_DATA}/composite/sobjects/(\\w+)/(\\w+)$`),
			body: salesforceCollectionUpsertEnvelope,
			answer(request, { created }, [, object, externalIdField]) {
				const { records } = request.body as { records: Array<Record<string, unknown>> };
				return json(
					200,
					records.map((record) => {
						// the same External ID value is the same record, with the same id
						const key = `salesforce:${object}:${String(record[externalIdField])}`;
						const known = created.get(key);
						const id = known ?? `00Q5e${String(created.size + 1).padStart(10, '0')}`;
						if (known === undefined) created.set(key, id);
						return { id, success: true, errors: [], created: known === undefined };
					}),
				);
			},
		},
		{
			method: 'POST',
			path: new RegExp(`^${SALESFORCE_DATA}/sobjects/CampaignMember/?$`),
			body: salesforceCampaignMemberBody,
			answer(request, { created }) {
				const { CampaignId, LeadId, ContactId } = request.body as { CampaignId: string; LeadId?: string; ContactId?: string };
				const key = `salesforce:CampaignMember:${CampaignId}:${LeadId ?? ContactId}`;
				if (created.has(key)) return salesforceError(400, 'Already a campaign member.', 'DUPLICATE_VALUE');
				const id = `00v5e${String(created.size + 1).padStart(10, '0')}`;
				created.set(key, id);
				return json(201, { id, success: true, errors: [] });
			},
		},
		{
			method: 'DELETE',
			path: new RegExp(`^${SALESFORCE_DATA}/sobjects/CampaignMember/(\\w{15}|\\w{18})$`),
			answer(_request, { created }, [, id]) {
				const key = [...created].find(([name, value]) => name.startsWith('salesforce:CampaignMember:') && value === id)?.[0];
				if (key === undefined) return salesforceError(404, 'entity is deleted', 'ENTITY_IS_DELETED');
				created.delete(key);
				return { status: 204 };
			},
		},
		{
			method: 'POST',
			path: new RegExp(`^${SALESFORCE_DATA}/sobjects/\\w+/?$`),
			answer: (_request, { sequence }) => json(201, { id: `00Q00000000${String(sequence).padStart(4, '0')}`, success: true, errors: [] }),
		},
		{
			method: 'PATCH',
			path: new RegExp(`^${SALESFORCE_DATA}/sobjects/\\w+/(\\w{15}|\\w{18})$`),
			answer: () => ({ status: 204 }),
		},
		{
			method: 'DELETE',
			path: new RegExp(`^${SALESFORCE_DATA}/sobjects/\\w+/(\\w{15}|\\w{18})$`),
			answer: () => ({ status: 204 }),
		},
	],
};

/** The user id of the stand-in's Pipedrive API token: the owner of what it creates. */
const PIPEDRIVE_TOKEN_USER = 13;
const pipedriveData = (status: number, data: unknown) => json(status, { success: true, data, additional_data: null });

const pipedrive: Vendor = {
	name: 'Pipedrive',
	hosts: (host) => host === PIPEDRIVE_HOST,
	unauthorized(request) {
		if ((request.headers['x-api-token'] ?? '') !== '' || (queryOf(request).api_token ?? '') !== '') return undefined;
		return json(401, {
			success: false,
			error: 'unauthorized access',
			errorCode: 401,
			error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
			data: null,
			additional_data: null,
		});
	},
	error: (status, message, code) => json(status, { success: false, error: message, code, errorCode: status }),
	refused: (problem) => pipedrive.error(400, problem, 'ERR_BAD_REQUEST'),
	notFound: () =>
		json(404, { success: false, error: 'Unknown method .', errorCode: 404, error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.' }),
	routes: [
		{
			method: 'GET',
			path: /^\/(?:api\/v2|v1)\/persons\/search$/,
			query: pipedrivePersonSearchQuery,
			answer(request, { people, created }) {
				const email = searchedEmail(request);
				const known = email === undefined ? undefined : (people.get(email)?.toString() ?? created.get(`pipedrive:${email}`));
				const id = known === undefined ? undefined : Number(known);
				if (email === undefined || id === undefined) return json(200, { success: true, data: { items: [] } });
				return json(200, { success: true, data: { items: [{ result_score: 1, item: { id, type: 'person', name: email.split('@')[0], emails: [email], phones: [] } }] } });
			},
		},
		{
			method: 'POST',
			path: /^\/api\/v2\/persons$/,
			body: pipedriveCreatePersonBody,
			answer(request, { created }) {
				// the person is found by its emails from now on, as Pipedrive's search finds it
				const id = String(501 + created.size);
				for (const { value } of (request.body as { emails?: Array<{ value: string }> }).emails ?? []) created.set(`pipedrive:${value.toLowerCase()}`, id);
				// owner_id: the token's user unless the body names another, as Pipedrive answers
				return pipedriveData(201, { owner_id: PIPEDRIVE_TOKEN_USER, ...(request.body as object), id: Number(id) });
			},
		},
		{
			method: 'PATCH',
			path: /^\/api\/v2\/persons\/(\d+)$/,
			body: pipedriveUpdatePersonBody,
			answer: (request, _state, [, id]) => pipedriveData(200, { owner_id: PIPEDRIVE_TOKEN_USER, ...(request.body as object), id: Number(id) }),
		},
		{
			method: 'DELETE',
			path: /^\/api\/v2\/persons\/(\d+)$/,
			answer: (_request, _state, [, id]) => pipedriveData(200, { id: Number(id) }),
		},
		{
			method: 'POST',
			path: /^\/api\/v2\/activities$/,
			body: pipedriveActivityCreateBody,
			answer: (request, { sequence }) => pipedriveData(201, { ...(request.body as object), id: 800 + sequence }),
		},
		{
			// Notes have no API v2 yet: v1 is their current version.
			method: 'POST',
			path: /^\/(?:api\/)?v1\/notes$/,
			body: pipedriveNoteCreateBody,
			answer: (request, { sequence }) => pipedriveData(201, { ...(request.body as object), id: 900 + sequence }),
		},
	],
};

const VENDORS: Vendor[] = [hubspot, salesforceLogin, salesforceInstance, pipedrive];

/** Whether the stand-in plays this host as a CRM (n8n's own calls home, to api.n8n.io, go through the proxy too). */
export function isCrmHost(host: string): boolean {
	return VENDORS.some(({ hosts }) => hosts(host));
}

/** The first problem of a value against a contract, as a vendor would name it: the field path and what is wrong. */
function contractProblem(contract: ZodType, value: unknown): string | undefined {
	const result = contract.safeParse(value);
	if (result.success) return undefined;
	const [issue] = result.error.issues;
	return `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`;
}

/** The answer the vendor gives a request nothing scripted: its auth, route and contract checks, then the route's answer. */
export function vendorAnswer(request: RecordedRequest, state: StandInState): VendorAnswer {
	const vendor = VENDORS.find(({ hosts }) => hosts(request.host));
	if (vendor === undefined) return json(502, { error: `the CRM stand-in does not play ${request.host}` });
	const unauthorized = vendor.unauthorized(request);
	if (unauthorized) return unauthorized;
	const path = pathOf(request);
	for (const route of vendor.routes) {
		const match = route.method === request.method ? route.path.exec(path) : null;
		if (match === null) continue;
		const problem = (route.query && contractProblem(route.query, queryOf(request))) ?? (route.body && contractProblem(route.body, request.body));
		return problem === undefined ? route.answer(request, state, match) : vendor.refused(problem);
	}
	return vendor.notFound(request.method, path);
}
