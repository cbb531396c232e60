/**
 * Map to CRM Fields inside a real n8n 2.41.1: the packed pack installed as a community package, the
 * example workflow (Webhook -> Map to CRM Fields -> Respond to Webhook) imported and published, canonical
 * leads and NPS responses posted to its production webhook over HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startN8n, type N8nInstance } from '../../scripts/lib/n8n-instance';
import { packTarball, projectRoot } from '../../scripts/lib/pack';
import { lead, npsResponse } from '../fixtures/canonicalRecords';
import { salesforceLeadRecord } from '../schemas/crmApi';

const WORKFLOW_FILE = path.join(projectRoot, 'workflows', 'map-to-crm-fields-webhook.json');

let workDir: string;
let n8n: N8nInstance;

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-e2e-map-'));
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

async function post(record: object) {
	const response = await fetch(n8n.webhookUrl('revops/map-to-crm'), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(record),
	});
	const text = await response.text();
	// Anything but the workflow's own answers is n8n's (404 not registered, 500 workflow error): show its log.
	if (response.status !== 200 && response.status !== 422) {
		throw new Error(`webhook answered ${response.status}: ${text}\nn8n log tail:\n${n8n.logs()}`);
	}
	return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
}

it('loads Map to CRM Fields as a community package node', () => {
	const nodesJson = path.join(n8n.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	const typeNames = (JSON.parse(fs.readFileSync(nodesJson, 'utf8')) as Array<{ name: string }>).map(({ name }) => name);
	expect(typeNames).toContain('n8n-nodes-revops.mapToCrmFields');
});

it('answers 200 with Salesforce Lead fields, the constant and the Company default', async () => {
	const { status, body } = await post(lead({ company: null }));
	expect(status).toBe(200);
	expect(salesforceLeadRecord.parse(body)).toEqual(body);
	expect(body).toEqual({
		FirstName: 'Maria',
		LastName: 'da Silva',
		Company: '[not provided]',
		Email: 'maria.silva@acme.com.br',
		Phone: '+5511987654321',
		MobilePhone: '+5511987654321',
		Title: 'Head of Marketing',
		Industry: 'Technology',
		LeadSource: 'n8n webhook',
		CountryCode: 'BR',
		State: 'SP',
		City: 'São Paulo',
		PostalCode: '01310-100',
		Website: 'https://acme.com.br',
	});
});

it('answers 200 with the NPS custom fields for an NPS response, without lead-only values', async () => {
	const { status, body } = await post(npsResponse({ nps_score: 8 }));
	expect(status).toBe(200);
	expect(body).toEqual({
		Email: 'customer@acme.com',
		NPS_Score__c: 8,
		NPS_Segment__c: 'Passive',
		NPS_Themes__c: 'Ease of use;Customer support',
		NPS_Survey_Date__c: '2026-03-14',
		NPS_Comment__c: 'Great support, but onboarding was slow.',
	});
});

it('answers 422 listing every broken Salesforce rule by field', async () => {
	const { status, body } = await post({ ...lead({ last_name: null }), email: 'maria@', job_title: 'x'.repeat(140) });
	expect(status).toBe(422);
	expect((body.errors as Array<{ field: string; code: string }>).map(({ field, code }) => `${field}:${code}`)).toEqual([
		'Email:invalid_email',
		'Title:too_long',
		'LastName:required',
	]);
});
