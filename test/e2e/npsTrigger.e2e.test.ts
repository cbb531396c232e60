/**
 * NPS Trigger inside a real n8n 2.41.1: the packed pack installed as a community package, active
 * workflows (Typeform, Standard Webhooks, SurveyMonkey) whose records are posted to an HTTP server
 * of this test, and signed deliveries sent over HTTP. What reaches the server is what executions
 * did. The same server stands in for SurveyMonkey's API (the credential's base URL points at it).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { startN8n, type N8nInstance } from '../../scripts/lib/n8n-instance';
import { packTarball } from '../../scripts/lib/pack';
import { TEST_SECRETS, fixtureJson, fixtureText, signatureHeaders, withChanges } from '../support/npsSenders';
import { npsTriggerWorkflow, secretsCredential } from '../support/npsWorkflows';

let workDir: string;
let n8n: N8nInstance;
let sink: http.Server;
const received: Array<Record<string, unknown>> = [];
const apiCalls: Array<{ url: string; authorization: string | undefined }> = [];
const surveyMonkeyDetails = fixtureJson('surveymonkey.response_details.constructed.json');
const qualtricsResponse = fixtureJson('qualtrics.response.constructed.json');
/** The stand-in APIs: path -> answer. */
const API_ANSWERS: Record<string, unknown> = {
	'/v3/surveys/123456789/responses/123456/details?simple=true': surveyMonkeyDetails,
	'/API/v3/surveys/SV_22VlHYNeldrrrkp/responses/R_1l9mcVuXubb4aGm': qualtricsResponse,
};

const typeform = withChanges(fixtureJson('typeform.form_response.official_example.json'), {
	'form_response.definition.fields[]': { id: 'npsFieldId', title: 'How likely...', type: 'nps', ref: 'nps_ref' },
	'form_response.answers[]': { type: 'number', number: 10, field: { id: 'npsFieldId', type: 'nps' } },
});

function writeJson(name: string, value: unknown): string {
	const file = path.join(workDir, name);
	fs.writeFileSync(file, JSON.stringify(value));
	return file;
}

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-nps-e2e-'));
	sink = http.createServer((request, response) => {
		if (request.method === 'GET') {
			apiCalls.push({ url: request.url ?? '', authorization: request.headers.authorization ?? request.headers['x-api-token']?.toString() });
			const answer = API_ANSWERS[request.url ?? ''];
			response.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
			response.end(JSON.stringify(answer ?? { error: 'not found' }));
			return;
		}
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			received.push(JSON.parse(body) as Record<string, unknown>);
			response.end('{}');
		});
	});
	await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
	const sinkBase = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
	const sinkUrl = `${sinkBase}/records`;

	const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
	n8n = await startN8n({
		userFolder: path.join(workDir, 'home'),
		port: 0,
		tarball,
		credentialFiles: [
			writeJson('credentials-typeform.json', [secretsCredential('npsTypeformSecret', TEST_SECRETS.typeform)]),
			writeJson('credentials-generic.json', [secretsCredential('npsGenericSecret', 'whsec_bmV3LXNpZ25pbmcta2V5', TEST_SECRETS.generic)]),
			writeJson('credentials-surveymonkey.json', [
				secretsCredential('npsSurveyMonkeySecret', TEST_SECRETS.surveymonkey),
				{ id: 'npsSurveyMonkeyToken', name: 'npsSurveyMonkeyToken', type: 'npsSurveyMonkeyApi', data: { accessToken: 'sm-access-token', baseUrl: sinkBase } },
			]),
			writeJson('credentials-qualtrics.json', [
				secretsCredential('npsQualtricsSecret', 'kyma4ever'),
				{ id: 'npsQualtricsToken', name: 'npsQualtricsToken', type: 'npsQualtricsApi', data: { apiToken: 'qualtrics-token', baseUrl: sinkBase } },
			]),
		],
		workflowFiles: [
			writeJson('typeform.json', npsTriggerWorkflow({ id: 'npsTypeformE2e', provider: 'typeform', path: 'nps/typeform', credentialId: 'npsTypeformSecret', sinkUrl })),
			writeJson('generic.json', npsTriggerWorkflow({ id: 'npsGenericE2e', provider: 'generic', path: 'nps/generic', credentialId: 'npsGenericSecret', sinkUrl })),
			writeJson(
				'surveymonkey.json',
				npsTriggerWorkflow({
					id: 'npsSurveyMonkeyE2e',
					provider: 'surveymonkey',
					path: 'nps/surveymonkey',
					credentialId: 'npsSurveyMonkeySecret',
					apiCredential: { type: 'npsSurveyMonkeyApi', id: 'npsSurveyMonkeyToken' },
					sinkUrl,
				}),
			),
			writeJson(
				'qualtrics.json',
				npsTriggerWorkflow({
					id: 'npsQualtricsE2e',
					provider: 'qualtrics',
					path: 'nps/qualtrics',
					credentialId: 'npsQualtricsSecret',
					apiCredential: { type: 'npsQualtricsApi', id: 'npsQualtricsToken' },
					sinkUrl,
				}),
			),
		],
		activate: true,
	});
});

afterAll(async () => {
	await n8n?.stop();
	await new Promise((resolve) => sink?.close(resolve));
	fs.rmSync(workDir, { recursive: true, force: true });
});

async function post(pathName: string, body: string, headers: Record<string, string>) {
	const response = await fetch(n8n.webhookUrl(pathName), { method: 'POST', headers, body });
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// n8n's own error pages are not JSON; the status is what the tests check then.
	}
	return { status: response.status, body: json as Record<string, unknown> };
}

function postTypeform(body: object, overrides: Record<string, string> = {}) {
	const text = JSON.stringify(body);
	return post('nps/typeform', text, { 'content-type': 'application/json', ...signatureHeaders('typeform', text), ...overrides });
}

async function recordsFor(responseId: string, expected: number): Promise<Array<Record<string, unknown>>> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline && received.filter((record) => record.response_id === responseId).length < expected) {
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	// Give a wrongly started extra execution time to show up too.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return received.filter((record) => record.response_id === responseId);
}

it('loads NPS Trigger as a community package node', () => {
	const nodesJson = path.join(n8n.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	const typeNames = (JSON.parse(fs.readFileSync(nodesJson, 'utf8')) as Array<{ name: string }>).map(({ name }) => name);
	expect(typeNames).toContain('n8n-nodes-revops.npsTrigger');
});

it('registers POST and HEAD on the path, and answers the HEAD check', async () => {
	const methods = n8n.productionWebhooks().filter((webhook) => webhook.url.endsWith('/nps/typeform')).map((webhook) => webhook.method).sort();
	expect(methods).toEqual(['HEAD', 'POST']);
	expect((await fetch(n8n.webhookUrl('nps/typeform'), { method: 'HEAD' })).status).toBe(200);
});

it('starts one execution per signed Typeform response, none for its redelivery, one marked is_update for an edit', async () => {
	const first = await postTypeform(typeform);
	expect(first).toEqual({ status: 200, body: { received: true, response_id: 'a3a12ec67a1365927098a606107fac15' } });
	const retry = await postTypeform(typeform);
	expect(retry.status).toBe(200);
	const records = await recordsFor('a3a12ec67a1365927098a606107fac15', 1);
	expect(records).toHaveLength(1);
	expect(records[0]).toMatchObject({ provider: 'typeform', nps_score: 10, nps_segment: 'promoter', email: 'laura@example.com', is_update: false });

	const edited = withChanges(typeform, { event_id: 'edit-1', 'form_response.submitted_at': '2018-01-18T18:20:00Z' });
	expect((await postTypeform(edited)).status).toBe(200);
	const afterEdit = await recordsFor('a3a12ec67a1365927098a606107fac15', 2);
	expect(afterEdit.map((record) => record.is_update)).toEqual([false, true]);
});

it('refuses forged, broken and unreadable deliveries with 4xx and starts nothing', async () => {
	const countBefore = received.length;
	const other = withChanges(typeform, { 'form_response.token': 'forged-response' });
	const text = JSON.stringify(other);

	const tampered = await post('nps/typeform', text.replace('"number":10', '"number":0'), { 'content-type': 'application/json', ...signatureHeaders('typeform', text) });
	expect(tampered).toEqual({ status: 401, body: { error: 'unauthorized' } });
	expect((await postTypeform(other, signatureHeaders('typeform', text, { secret: 'guessed' }))).status).toBe(401);
	expect((await post('nps/typeform', text, { 'content-type': 'application/json' })).status).toBe(401);

	const bad = withChanges(other, { 'form_response.answers[13].number': 11 });
	const invalid = await postTypeform(bad);
	expect(invalid.status).toBe(400);
	expect(invalid.body.problems).toEqual([expect.objectContaining({ field: 'form_response.answers[13].number', code: 'out_of_range' })]);

	const binary = 'score=10';
	const unreadable = await post('nps/typeform', binary, { 'content-type': 'application/octet-stream', ...signatureHeaders('typeform', binary) });
	expect(unreadable.status).toBe(415);

	const notJson = await post('nps/typeform', '{"score": 1', { 'content-type': 'application/json', ...signatureHeaders('typeform', '{"score": 1') });
	expect(notJson.status).toBeGreaterThanOrEqual(400);
	expect(notJson.status).toBeLessThan(500);

	await new Promise((resolve) => setTimeout(resolve, 2000));
	expect(received.slice(countBefore).filter((record) => record.response_id === 'forged-response')).toEqual([]);
	expect(received.length).toBe(countBefore);
});

it('checks Standard Webhooks signatures with the rotation secret and a five-minute window', async () => {
	const body = JSON.stringify({ response_id: 'gen-1', survey_date: '2026-02-01T10:00:00Z', nps_score: '6', email: 'sam@example.com', comment: 'meh' });
	const stale = await post('nps/generic', body, {
		'content-type': 'application/json',
		...signatureHeaders('generic', body, { nowMs: Date.now() - 6 * 60 * 1000, webhookId: 'msg_stale' }),
	});
	expect(stale.status).toBe(401);
	const fresh = await post('nps/generic', body, { 'content-type': 'application/json', ...signatureHeaders('generic', body, { webhookId: 'msg_fresh' }) });
	expect(fresh).toEqual({ status: 200, body: { received: true, response_id: 'gen-1' } });
	const records = await recordsFor('gen-1', 1);
	expect(records).toEqual([expect.objectContaining({ provider: 'generic', nps_score: 6, nps_segment: 'detractor', identity_type: 'email' })]);
});

it('fetches a SurveyMonkey response through n8n\'s HTTP helper with the API credential', async () => {
	const webhook = fixtureJson('surveymonkey.response_completed.docs_example.json');
	const text = JSON.stringify(webhook);
	const head = await fetch(n8n.webhookUrl('nps/surveymonkey'), { method: 'HEAD' });
	expect(head.status).toBe(200);
	const delivery = await post('nps/surveymonkey', text, { 'content-type': 'application/json', ...signatureHeaders('surveymonkey', text) });
	expect(delivery).toEqual({ status: 200, body: { received: true, response_id: '123456' } });
	expect(apiCalls).toContainEqual({ url: '/v3/surveys/123456789/responses/123456/details?simple=true', authorization: 'Bearer sm-access-token' });
	const records = await recordsFor('123456', 1);
	expect(records).toEqual([expect.objectContaining({ provider: 'surveymonkey', nps_score: 10, email: 'pat@example.com', comment: 'Fast answers from support' })]);
});

it('verifies the published Qualtrics form post (urlencoded raw body) and fetches the response with the API token', async () => {
	const form = fixtureText('qualtrics.completedResponse.kyma_example.form.txt').trim();
	const delivery = await post('nps/qualtrics', form, { 'content-type': 'application/x-www-form-urlencoded' });
	expect(delivery).toEqual({ status: 200, body: { received: true, response_id: 'R_1l9mcVuXubb4aGm' } });
	expect(apiCalls).toContainEqual({ url: '/API/v3/surveys/SV_22VlHYNeldrrrkp/responses/R_1l9mcVuXubb4aGm', authorization: 'qualtrics-token' });
	const records = await recordsFor('R_1l9mcVuXubb4aGm', 1);
	expect(records).toEqual([expect.objectContaining({ provider: 'qualtrics', nps_score: 6, nps_segment: 'detractor', email: 'lee@example.com' })]);
	const tampered = await post('nps/qualtrics', form.replace('R_1l9mcVuXubb4aGm', 'R_1l9mcVuXubb4aGX'), { 'content-type': 'application/x-www-form-urlencoded' });
	expect(tampered.status).toBe(401);
});
