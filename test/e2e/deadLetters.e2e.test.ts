/**
 * Dead Letter Queue inside a real n8n 2.41.1 (the packed pack installed as a community package): a
 * webhook flow whose call to a stand-in CRM (this test's own HTTP server) fails keeps each lead in
 * the dead-letter store and still answers at once; a replay flow (Manual Trigger, run with
 * `n8n execute`) takes the due entries back through the same call once the CRM is up, marks them
 * resolved, or records the failed attempt and delivers on the next run. Each lead arrives once.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { loadedNodeTypes, postJson, useN8n } from './n8nServer';

/** The stand-in CRM: down (503) until told otherwise; refuses the emails in `refuseOnce` once (400); counts what it accepted. */
const crm = {
	up: false,
	refuseOnce: new Set<string>(),
	accepted: [] as string[],
	calls: 0,
	server: undefined as http.Server | undefined,
	url: '',
};

function answer(response: http.ServerResponse, status: number, body: object) {
	response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-dlq-e2e-'));
const CAPTURE_FILE = path.join(workDir, 'capture.json');
const REPLAY_FILE = path.join(workDir, 'replay.json');

function sendToCrm(id: string, position: [number, number]) {
	return {
		id,
		name: 'Send to CRM',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		onError: 'continueErrorOutput',
		parameters: { method: 'POST', url: `${crm.url}/contacts`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json.body) }}', options: {} },
	};
}

function deadLetters(id: string, name: string, position: [number, number], parameters: Record<string, unknown>) {
	return { id, name, type: 'n8n-nodes-revops.deadLetters', typeVersion: 1, position, parameters: { store: 'sqlite', databaseFile: '', ...parameters } };
}

const main = (...targets: string[][]) => ({ main: targets.map((names) => names.map((node) => ({ node, type: 'main', index: 0 }))) });

function writeWorkflows() {
	const capture = {
		id: 'dlqCapture000001',
		name: 'Dead letters e2e: capture',
		nodes: [
			{
				id: 'c1',
				name: 'Lead Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '5d0f3c8e-1c1a-4c0e-9f55-2a1b3c4d5e01',
				parameters: { httpMethod: 'POST', path: 'revops/dlq-capture', responseMode: 'responseNode', options: {} },
			},
			sendToCrm('c2', [240, 0]),
			{
				id: 'c3',
				name: 'Respond Sent',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.5,
				position: [480, -100],
				parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ sent: true }) }}', options: { responseCode: 200 } },
			},
			deadLetters('c4', 'Keep Failed Leads', [480, 100], { operation: 'store', reasonFields: 'error, errors, details', keyField: 'email', itemField: '', step: '', storeOptions: {} }),
			{
				id: 'c5',
				name: 'Respond Queued',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.5,
				position: [720, 100],
				parameters: {
					respondWith: 'json',
					responseBody: '={{ JSON.stringify({ queued: $json._dead_letter.id, attempts: $json._dead_letter.attempts }) }}',
					options: { responseCode: 202 },
				},
			},
		],
		connections: {
			'Lead Webhook': main(['Send to CRM']),
			'Send to CRM': main(['Respond Sent'], ['Keep Failed Leads']),
			'Keep Failed Leads': main(['Respond Queued']),
		},
		settings: { executionOrder: 'v1' },
	};
	const replay = {
		id: 'dlqReplay0000001',
		name: 'Dead letters e2e: replay',
		nodes: [
			{ id: 'r1', name: 'Replay Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			deadLetters('r2', 'Get Due for Replay', [240, 0], {
				operation: 'getDue',
				workflowId: capture.id,
				step: 'Send to CRM',
				firstDelayMinutes: 0,
				maxDelayMinutes: 0,
				maxAttempts: 5,
				replayOptions: {},
			}),
			sendToCrm('r3', [480, 0]),
			deadLetters('r4', 'Mark Delivered', [720, -100], {
				operation: 'markResolved',
				entryId: "={{ $('Get Due for Replay').item.json._dead_letter.id }}",
				resolution: 'Replayed',
			}),
			deadLetters('r5', 'Record Failure', [720, 100], { operation: 'recordFailedAttempt', entryId: '', reasonFields: 'error, errors, details' }),
		],
		connections: {
			'Replay Now': main(['Get Due for Replay']),
			'Get Due for Replay': main(['Send to CRM']),
			'Send to CRM': main(['Mark Delivered'], ['Record Failure']),
		},
		settings: { executionOrder: 'v1' },
	};
	fs.writeFileSync(CAPTURE_FILE, JSON.stringify(capture));
	fs.writeFileSync(REPLAY_FILE, JSON.stringify(replay));
}

beforeAll(async () => {
	crm.server = http.createServer((request, response) => {
		let text = '';
		request.on('data', (chunk: Buffer) => (text += chunk.toString()));
		request.on('end', () => {
			crm.calls++;
			const { email } = JSON.parse(text) as { email: string };
			if (!crm.up) return answer(response, 503, { status: 'error', message: 'CRM is down for maintenance' });
			if (crm.refuseOnce.delete(email)) return answer(response, 400, { status: 'error', message: `Property values were not valid: ${email}` });
			crm.accepted.push(email);
			answer(response, 200, { id: `contact-${crm.accepted.length}` });
		});
	});
	await new Promise<void>((resolve) => crm.server?.listen(0, '127.0.0.1', resolve));
	crm.url = `http://127.0.0.1:${(crm.server.address() as AddressInfo).port}`;
	writeWorkflows();
});

const n8n = useN8n([CAPTURE_FILE, REPLAY_FILE]);

afterAll(async () => {
	await new Promise((resolve) => crm.server?.close(resolve));
	fs.rmSync(workDir, { recursive: true, force: true });
});

interface StoredEntry {
	id: number;
	workflow_id: string;
	item_key: string;
	step: string;
	attempts: number;
	status: string;
	reason: string;
	resolution: string | null;
}

function storedEntries(): StoredEntry[] {
	const db = openSqlite(path.join(n8n().userFolder, '.n8n', 'revops-dead-letters.sqlite'));
	try {
		return db.prepare('SELECT id, workflow_id, item_key, step, attempts, status, reason, resolution FROM revops_dead_letters ORDER BY id').all() as unknown as StoredEntry[];
	} finally {
		db.close();
	}
}

const lead = (email: string) => ({ email, first_name: 'Test', utm_source: 'linkedin' });

it('loads Dead Letter Queue as a community package node', () => {
	expect(loadedNodeTypes(n8n())).toContain('n8n-nodes-revops.deadLetters');
});

it('keeps every lead the CRM could not take, answering the sender at once; the same lead again is one more attempt', async () => {
	const answers = [];
	for (const email of ['ana@acme.com', 'bo@acme.com', 'cy@acme.com']) answers.push(await postJson(n8n(), 'revops/dlq-capture', lead(email), [202]));
	const again = await postJson(n8n(), 'revops/dlq-capture', lead('ana@acme.com'), [202]);
	expect(again.body).toEqual({ queued: answers[0].body.queued, attempts: 2 });
	expect(storedEntries()).toMatchObject([
		{ workflow_id: n8n().workflowIds[0], item_key: 'ana@acme.com', step: 'Send to CRM', attempts: 2, status: 'pending', reason: expect.stringMatching(/503/) },
		{ item_key: 'bo@acme.com', attempts: 1, status: 'pending' },
		{ item_key: 'cy@acme.com', attempts: 1, status: 'pending' },
	]);
	expect(crm.accepted).toEqual([]);
});

it('replays once the CRM is up: each lead delivered exactly once, a refused one retried on the next run, then nothing left to do', async () => {
	crm.up = true;
	crm.refuseOnce.add('cy@acme.com');
	const first = await n8n().execute(n8n().workflowIds[1]);
	expect(first.status).toBe('success');
	expect(crm.accepted.sort()).toEqual(['ana@acme.com', 'bo@acme.com']);
	expect(storedEntries()).toMatchObject([
		{ item_key: 'ana@acme.com', status: 'resolved', resolution: 'Replayed' },
		{ item_key: 'bo@acme.com', status: 'resolved' },
		{ item_key: 'cy@acme.com', status: 'pending', attempts: 2, reason: expect.stringMatching(/400/) },
	]);

	await n8n().execute(n8n().workflowIds[1]);
	expect(crm.accepted.sort()).toEqual(['ana@acme.com', 'bo@acme.com', 'cy@acme.com']);
	expect(storedEntries().map(({ status }) => status)).toEqual(['resolved', 'resolved', 'resolved']);

	const callsBefore = crm.calls;
	const idle = await n8n().execute(n8n().workflowIds[1]);
	expect(idle.data.resultData.runData['Get Due for Replay'][0].data?.main[0] ?? []).toEqual([]);
	expect(crm.calls).toBe(callsBefore);
	expect(crm.accepted).toHaveLength(3);
});
