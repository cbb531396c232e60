/**
 * Stands in for the CRMs in the end-to-end tests: a local TLS-intercepting proxy (mockttp) that plays
 * HubSpot (api.hubapi.com), Salesforce (login.salesforce.com / test.salesforce.com and any *.my.salesforce.com instance host)
 * and Pipedrive (api.pipedrive.com). n8n is started with `env()` (HTTPS_PROXY plus NODE_EXTRA_CA_CERTS with
 * the proxy's CA), so the built-in nodes and the HTTP Request node call the real vendor URLs with the
 * user's n8n credentials, and every request lands here. Each request is recorded (method, host, path,
 * headers, body) so tests assert exactly what each CRM received; `script()` queues answers (429 then 200,
 * 400 with the CRM's error body, a search hit, a reset connection) ahead of each vendor's default answer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { generateCACertificate, getLocal, type CompletedRequest, type Mockttp } from 'mockttp';

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

export type CrmAnswer =
	| { status: number; body?: unknown; headers?: Record<string, string> }
	/** the connection is reset before any answer, as when the CRM or the network drops it */
	| { reset: true };

interface ScriptedAnswer {
	method: string;
	host: string;
	path: string | RegExp;
	answer: CrmAnswer;
	/** how many more requests it answers; Infinity for a standing answer */
	remaining: number;
}

export interface CrmStandIn {
	/** Environment n8n needs so its outgoing HTTPS goes through the stand-in and trusts its CA. */
	env(): Record<string, string>;
	/** Requests received so far, oldest first, optionally only those to one host. */
	requests(host?: string): RecordedRequest[];
	/**
	 * Answers the next `times` requests matching method, host and path (a string matches the path
	 * without its query; a RegExp the path with it) with `answers` in turn, before the default answer.
	 * Several answers are given once each, in order; one answer with `times: Infinity` stands.
	 */
	script(method: string, host: string, pathMatch: string | RegExp, answers: CrmAnswer[], times?: number): void;
	/** Forgets recorded requests and scripted answers, so each test starts clean. */
	reset(): void;
	stop(): Promise<void>;
}

const json = (status: number, body: unknown) => ({ status, body });

/** The email a CRM search asks for: HubSpot's filter value, Salesforce's SOQL literal, Pipedrive's term. */
function searchedEmail(request: RecordedRequest): string | undefined {
	const [pathOnly, query = ''] = request.path.split('?');
	const parameters = new URLSearchParams(query);
	if (request.host === HUBSPOT_HOST && pathOnly.endsWith('/contacts/search')) {
		const groups = ((request.body ?? {}) as { filterGroups?: Array<{ filters?: Array<{ propertyName?: string; value?: unknown }> }> }).filterGroups ?? [];
		const filter = groups.flatMap(({ filters = [] }) => filters).find(({ propertyName }) => propertyName === 'email');
		return typeof filter?.value === 'string' ? filter.value : undefined;
	}
	if (isSalesforceInstanceHost(request.host) && /\/query\/?$/.test(pathOnly)) return /Email\s*=\s*'([^']+)'/i.exec(parameters.get('q') ?? '')?.[1];
	if (request.host === PIPEDRIVE_HOST && pathOnly.endsWith('/persons/search')) return parameters.get('term') ?? undefined;
	return undefined;
}

/** A search hit for a person the CRM holds, in each vendor's shape; `id` is stable per email. */
function foundAnswer(request: RecordedRequest, email: string, id: number): Exclude<CrmAnswer, { reset: true }> {
	if (request.host === HUBSPOT_HOST) {
		const now = new Date(0).toISOString();
		return json(200, { total: 1, results: [{ id: String(id), properties: { email, hs_object_id: String(id) }, createdAt: now, updatedAt: now, archived: false }] });
	}
	if (request.host === PIPEDRIVE_HOST) {
		return json(200, { success: true, data: { items: [{ result_score: 1, item: { id, type: 'person', name: email.split('@')[0], emails: [email], phones: [] } }] } });
	}
	const contactId = `0035e0000${String(id).padStart(9, '0')}`;
	const api = request.path.split('/query')[0];
	return json(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Contact', url: `${api}/sobjects/Contact/${contactId}` }, Id: contactId, Email: email }] });
}

/** The answer a vendor gives a well-formed request: enough of the real API's shape for n8n's nodes. */
function defaultAnswer(request: RecordedRequest, sequence: number, people: ReadonlyMap<string, number>): Exclude<CrmAnswer, { reset: true }> {
	const [pathOnly] = request.path.split('?');
	const body = (request.body ?? {}) as Record<string, unknown>;
	const searched = searchedEmail(request)?.toLowerCase();
	const personId = searched === undefined ? undefined : people.get(searched);
	if (searched !== undefined && personId !== undefined) return foundAnswer(request, searched, personId);
	if (request.host === HUBSPOT_HOST) {
		if (/\/crm\/v3\/objects\/contacts\/batch\/(upsert|create|update)$/.test(pathOnly)) {
			const inputs = (body.inputs ?? []) as Array<{ id?: string; properties?: Record<string, string> }>;
			const now = new Date(0).toISOString();
			return json(200, {
				status: 'COMPLETE',
				results: inputs.map((input, index) => ({
					id: String(1000 + sequence * 100 + index),
					properties: { ...input.properties, email: input.properties?.email ?? input.id },
					createdAt: now,
					updatedAt: now,
					archived: false,
					new: true,
				})),
				startedAt: now,
				completedAt: now,
			});
		}
		if (/\/crm\/v3\/objects\/contacts\/search$/.test(pathOnly)) return json(200, { total: 0, results: [] });
		// The legacy v1 endpoints n8n's HubSpot node (2.x) calls for contact upsert, engagements and lists.
		if (/^\/contacts\/v1\/contact\/createOrUpdate\/email\/[^/]+$/.test(pathOnly)) return json(200, { vid: 2000 + sequence, isNew: false });
		if (pathOnly === '/engagements/v1/engagements') {
			const engagement = (body.engagement ?? {}) as Record<string, unknown>;
			return json(200, { engagement: { ...engagement, id: 3000 + sequence }, associations: body.associations, metadata: body.metadata });
		}
		if (/^\/contacts\/v1\/lists\/\d+\/add$/.test(pathOnly)) {
			const vids = (body.vids ?? []) as number[];
			const emails = (body.emails ?? []) as string[];
			return json(200, { updated: [...vids, ...emails.map((_, index) => 2000 + sequence * 100 + index)], discarded: [], invalidVids: [], invalidEmails: [] });
		}
		return json(404, { status: 'error', message: `stand-in has no ${request.method} ${pathOnly}`, category: 'OBJECT_NOT_FOUND' });
	}
	if (SALESFORCE_LOGIN_HOSTS.includes(request.host) && pathOnly === '/services/oauth2/token') {
		return json(200, {
			access_token: 'fake-salesforce-access-token',
			instance_url: `https://${SALESFORCE_INSTANCE_HOST}`,
			id: `https://${request.host}/id/00D000000000001/005000000000001`,
			token_type: 'Bearer',
			issued_at: '0',
			signature: 'fake',
		});
	}
	if (isSalesforceInstanceHost(request.host)) {
		if (/\/services\/data\/v[\d.]+\/query\/?$/.test(pathOnly)) return json(200, { totalSize: 0, done: true, records: [] });
		// sObject Collections upsert by an External ID field: one result per record, in request order.
		if (request.method === 'PATCH' && /\/services\/data\/v[\d.]+\/composite\/sobjects\/\w+\/\w+$/.test(pathOnly)) {
			const records = (body.records ?? []) as unknown[];
			return json(
				200,
				records.map((_record, index) => ({ id: `00Q00000${String(sequence).padStart(4, '0')}${String(index).padStart(3, '0')}`, success: true, errors: [], created: true })),
			);
		}
		if (request.method === 'POST' && /\/sobjects\/\w+\/?$/.test(pathOnly)) {
			return json(201, { id: `00Q00000000${String(sequence).padStart(4, '0')}`, success: true, errors: [] });
		}
		if (request.method === 'PATCH' && /\/sobjects\/\w+\/\w+$/.test(pathOnly)) return { status: 204 };
		return json(404, [{ errorCode: 'NOT_FOUND', message: `stand-in has no ${request.method} ${pathOnly}` }]);
	}
	if (request.host === PIPEDRIVE_HOST) {
		if (/\/search$/.test(pathOnly)) return json(200, { success: true, data: { items: [] } });
		if (['POST', 'PUT', 'PATCH'].includes(request.method)) {
			// An update answers with the id in its path; a creation with a new one.
			const updatedId = request.method === 'POST' ? undefined : /\/(\d+)$/.exec(pathOnly)?.[1];
			return json(request.method === 'POST' ? 201 : 200, { success: true, data: { ...body, id: updatedId === undefined ? 500 + sequence : Number(updatedId) } });
		}
		return json(404, { success: false, error: `stand-in has no ${request.method} ${pathOnly}`, errorCode: 404 });
	}
	return json(502, { error: `the CRM stand-in does not play ${request.host}` });
}

async function recordRequest(request: CompletedRequest): Promise<RecordedRequest> {
	const text = await request.body.getText();
	let body: unknown = text === undefined || text === '' ? undefined : text;
	if (typeof body === 'string' && /json/.test(String(request.headers['content-type']))) body = JSON.parse(body);
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return { method: request.method, host: request.destination.hostname, path: request.path, headers, body };
}

function matches(scripted: ScriptedAnswer, request: RecordedRequest): boolean {
	if (scripted.method !== request.method || scripted.host !== request.host) return false;
	return typeof scripted.path === 'string' ? request.path.split('?')[0] === scripted.path : scripted.path.test(request.path);
}

export interface CrmStandInOptions {
	/** Emails of people every CRM already holds: searches for them find them (the demo's customers). */
	people?: string[];
}

export async function startCrmStandIn(options: CrmStandInOptions = {}): Promise<CrmStandIn> {
	const people = new Map((options.people ?? []).map((email, index) => [email.toLowerCase(), 7001 + index]));
	const ca = await generateCACertificate({ subject: { commonName: 'n8n-nodes-revops CRM stand-in CA' } });
	const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-crm-ca-'));
	const caFile = path.join(caDir, 'ca.pem');
	fs.writeFileSync(caFile, ca.cert);

	const server: Mockttp = getLocal({ https: { key: ca.key, cert: ca.cert } });
	await server.start();

	let recorded: RecordedRequest[] = [];
	let scripts: ScriptedAnswer[] = [];
	await server.forAnyRequest().thenCallback(async (request) => {
		const received = await recordRequest(request);
		recorded.push(received);
		const scripted = scripts.find((candidate) => candidate.remaining > 0 && matches(candidate, received));
		if (scripted) scripted.remaining -= 1;
		const answer = scripted?.answer ?? defaultAnswer(received, recorded.length, people);
		if ('reset' in answer) return 'reset';
		return {
			statusCode: answer.status,
			headers: { ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers },
			body: answer.body === undefined ? '' : JSON.stringify(answer.body),
		};
	});

	return {
		env: () => ({
			HTTPS_PROXY: `http://127.0.0.1:${server.port}`,
			https_proxy: `http://127.0.0.1:${server.port}`,
			// n8n talks to its own task runners and test webhooks on localhost: never through the proxy.
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
		}),
		requests: (host) => recorded.filter((request) => host === undefined || request.host === host),
		script(method, host, pathMatch, answers, times = 1) {
			const repeat = answers.length === 1 ? times : 1;
			for (const answer of answers) scripts.push({ method, host, path: pathMatch, answer, remaining: repeat });
		},
		reset() {
			recorded = [];
			scripts = [];
		},
		async stop() {
			await server.stop();
			fs.rmSync(caDir, { recursive: true, force: true });
		},
	};
}
