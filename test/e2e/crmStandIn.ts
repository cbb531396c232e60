/**
 * Stands in for the CRMs in the end-to-end tests: a local TLS-intercepting proxy (mockttp) that plays
 * HubSpot (api.hubapi.com), Salesforce (login.salesforce.com / test.salesforce.com and any *.my.salesforce.com instance host)
 * and Pipedrive (api.pipedrive.com). n8n is started with `env()` (HTTPS_PROXY plus NODE_EXTRA_CA_CERTS with
 * the proxy's CA), so the built-in nodes and the HTTP Request node call the real vendor URLs with the
 * user's n8n credentials, and every request lands here. Each request is recorded (method, host, path,
 * headers, body) so tests assert exactly what each CRM received; `script()` queues answers (429 then 200,
 * 400 with the CRM's error body, a search hit, a reset connection) ahead of each vendor's default answer, which test/e2e/vendorRules.ts gives the way the vendor does: auth,
 * routes, request contracts and error formats.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { generateCACertificate, getLocal, type CompletedRequest, type Mockttp } from 'mockttp';

import { ledgerViolationsOf } from '../support/vendorLedger';
import { isCrmHost, vendorAnswer, type RecordedRequest, type VendorAnswer } from './vendorRules';

export {
	HUBSPOT_HOST,
	PIPEDRIVE_HOST,
	SALESFORCE_INSTANCE_HOST,
	SALESFORCE_LOGIN_HOSTS,
	isSalesforceInstanceHost,
	type RecordedRequest,
} from './vendorRules';

export type CrmAnswer =
	| VendorAnswer
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
	/**
	 * The CRM requests received so far that the vendor API ledger does not list, or lists as retired or losing
	 * support within twelve months: a template must call none (checked after each template test). n8n's own
	 * calls home (api.n8n.io) are not CRM calls.
	 */
	ledgerViolations(): string[];
	/** People every CRM holds from now on, as when someone adds the contact by hand. */
	addPeople(emails: string[]): void;
	/** Delays every answer by `ms` from now on (0: answers at once again), as a slow CRM does. */
	delayAnswers(ms: number): void;
	/** When the stand-in received a recorded request (epoch ms), for latency figures. */
	receivedAt(request: RecordedRequest): number | undefined;
	/** Forgets recorded requests and scripted answers, so each test starts clean. */
	reset(): void;
	stop(): Promise<void>;
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

	// Contacts the stand-in's HubSpot created by upsert, kept across reset() as a CRM keeps its records.
	const created = new Map<string, string>();
	let recorded: RecordedRequest[] = [];
	const receivedTimes = new WeakMap<RecordedRequest, number>();
	let answerDelayMs = 0;
	let scripts: ScriptedAnswer[] = [];
	await server.forAnyRequest().thenCallback(async (request) => {
		const received = await recordRequest(request);
		receivedTimes.set(received, request.timingEvents.startTime);
		recorded.push(received);
		if (answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
		const scripted = scripts.find((candidate) => candidate.remaining > 0 && matches(candidate, received));
		if (scripted) scripted.remaining -= 1;
		const answer = scripted?.answer ?? vendorAnswer(received, { people, created, sequence: recorded.length });
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
		ledgerViolations: () => ledgerViolationsOf(recorded.filter(({ host }) => isCrmHost(host))),
		receivedAt: (request) => receivedTimes.get(request),
		delayAnswers(ms) {
			answerDelayMs = ms;
		},
		script(method, host, pathMatch, answers, times = 1) {
			const repeat = answers.length === 1 ? times : 1;
			for (const answer of answers) scripts.push({ method, host, path: pathMatch, answer, remaining: repeat });
		},
		addPeople(emails) {
			for (const email of emails) if (!people.has(email.toLowerCase())) people.set(email.toLowerCase(), 7001 + people.size);
		},
		reset() {
			recorded = [];
			answerDelayMs = 0;
			scripts = [];
		},
		async stop() {
			await server.stop();
			fs.rmSync(caDir, { recursive: true, force: true });
		},
	};
}
