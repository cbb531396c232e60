/**
 * The packed pack inside a real n8n 2.41.1: installed as a community package, the example workflow
 * imported and published, leads posted to its production webhook over HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startN8n, type N8nInstance } from '../../scripts/lib/n8n-instance';
import { packTarball, projectRoot } from '../../scripts/lib/pack';

const WORKFLOW_FILE = path.join(projectRoot, 'workflows', 'normalize-lead-webhook.json');

let workDir: string;
let n8n: N8nInstance;

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-e2e-'));
	// `npm run test:e2e` has just built dist/ and says so; run directly, the test builds it itself.
	const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
	n8n = await startN8n({
		userFolder: path.join(workDir, 'home'),
		port: 0,
		tarball,
		workflowFiles: [WORKFLOW_FILE],
		activate: true,
	});
});

afterAll(async () => {
	await n8n?.stop();
	fs.rmSync(workDir, { recursive: true, force: true });
});

async function postLead(lead: Record<string, unknown>) {
	const response = await fetch(n8n.webhookUrl('revops/normalize-lead'), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(lead),
	});
	const text = await response.text();
	// Anything but the workflow's own answers is n8n's (404 not registered, 500 workflow error): show its log.
	if (response.status !== 200 && response.status !== 422) {
		throw new Error(`webhook answered ${response.status}: ${text}\nn8n log tail:\n${n8n.logs()}`);
	}
	return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
}

it('loads Normalize Lead as a community package node, not a custom one', () => {
	// n8n writes every node type it loaded here at start.
	const nodesJson = path.join(n8n.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	const typeNames = (JSON.parse(fs.readFileSync(nodesJson, 'utf8')) as Array<{ name: string }>).map(({ name }) => name);
	expect(typeNames).toContain('n8n-nodes-revops.normalizeLead');
	expect(typeNames.filter((name) => name.startsWith('CUSTOM.'))).toEqual([]);
});

it('answers 200 with the normalized lead for a messy but valid lead', async () => {
	const { status, body } = await postLead({
		'E-mail': '  Maria.Silva@Gmail.COM ',
		telefone: '(11) 98765-4321',
		nome: 'MARIA DA SILVA',
		país: 'Brasil',
		utm_source: 'google',
	});
	expect(status).toBe(200);
	expect(body).toMatchObject({
		email: 'maria.silva@gmail.com',
		phone: '+5511987654321',
		country: 'BR',
		first_name: 'Maria',
		last_name: 'da Silva',
	});
});

it('answers 422 with errors naming the field for an invalid lead', async () => {
	const { status, body } = await postLead({ nome: 'Sem Contato', telefone: '12' });
	expect(status).toBe(422);
	expect(body.nome).toBe('Sem Contato');
	expect(body.errors).toEqual(
		expect.arrayContaining([expect.objectContaining({ field: 'phone', message: expect.stringContaining("'12'") })]),
	);
});
