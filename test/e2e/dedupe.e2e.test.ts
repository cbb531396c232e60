/**
 * Dedupe inside a real n8n 2.41.1, installed from the packed tarball as a community package: leads
 * posted to the example workflow's webhooks are matched against what earlier executions saw, in
 * the SQLite record store and in n8n's own deduplication store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startN8n, type N8nInstance } from '../../scripts/lib/n8n-instance';
import { packTarball, projectRoot } from '../../scripts/lib/pack';

const WORKFLOW_FILE = path.join(projectRoot, 'workflows', 'dedupe-lead-webhook.json');

let workDir: string;
let n8n: N8nInstance;

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-e2e-dedupe-'));
	const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
	n8n = await startN8n({ userFolder: path.join(workDir, 'home'), port: 0, tarball, workflowFiles: [WORKFLOW_FILE], activate: true });
});

afterAll(async () => {
	await n8n?.stop();
	fs.rmSync(workDir, { recursive: true, force: true });
});

async function post(webhookPath: string, lead: Record<string, unknown>) {
	const response = await fetch(n8n.webhookUrl(webhookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(lead),
	});
	const text = await response.text();
	if (![200, 201, 422].includes(response.status)) {
		throw new Error(`webhook answered ${response.status}: ${text}\nn8n log tail:\n${n8n.logs()}`);
	}
	return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
}

it('tells a new lead from one seen in an earlier execution, nicknames and legal suffixes included', async () => {
	const first = await post('revops/dedupe-lead', { email: 'roberto.souza@acme.com.br', nome: 'Roberto Souza', empresa: 'Acme Ltda' });
	expect(first.status).toBe(201);
	expect(first.body).toMatchObject({ status: 'new', lead: { email: 'roberto.souza@acme.com.br', _dedupe: { status: 'unique' } } });

	const again = await post('revops/dedupe-lead', { 'E-mail': 'Beto@acme.com.br', nome: 'Beto Souza', empresa: 'ACME S.A.' });
	expect(again.status).toBe(200);
	expect(again.body.dedupe).toMatchObject({
		status: 'duplicate',
		matched_in: 'existing',
		rule: 'name + company',
		fields: ['name', 'company'],
	});
});

it('lets exactly one of several simultaneous posts of a new lead be new', async () => {
	const lead = { email: 'race@globex.com', nome: 'Ana Lima', telefone: '(11) 98888-7777' };
	const answers = await Promise.all(Array.from({ length: 6 }, () => post('revops/dedupe-lead', lead)));
	expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
});

it("remembers exact keys in n8n's own deduplication store", async () => {
	const first = await post('revops/dedupe-key', { email: 'Maria.Silva+promo@gmail.com' });
	expect(first.status).toBe(201);
	const again = await post('revops/dedupe-key', { email: 'mariasilva@gmail.com' });
	expect(again.status).toBe(200);
	expect(again.body.dedupe).toMatchObject({ status: 'duplicate', matched_in: 'history', rule: 'email' });
});
