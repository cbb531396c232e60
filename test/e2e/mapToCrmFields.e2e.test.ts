/**
 * Map to CRM Fields inside a real n8n 2.41.1: the packed pack installed as a community package, the
 * example workflow (Webhook -> Map to CRM Fields -> Respond to Webhook) imported and published, canonical
 * leads and NPS responses posted to its production webhook over HTTP.
 */
import { loadedNodeTypes, postJson, useN8n, workflowFile } from './n8nServer';
import { lead, npsResponse } from '../fixtures/canonicalRecords';
import { salesforceLeadRecord } from '../schemas/crmApi';

const n8n = useN8n([workflowFile('map-to-crm-fields-webhook.json')]);

const post = (record: object) => postJson(n8n(), 'revops/map-to-crm', record);

it('loads Map to CRM Fields as a community package node', () => {
	const typeNames = loadedNodeTypes(n8n());
	expect(typeNames).toContain('n8n-nodes-revops.mapToCrmFields');
});

it('answers 200 with Salesforce Lead fields, the constant, the Company default and the consent as HasOptedOutOfEmail', async () => {
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
		HasOptedOutOfEmail: false,
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
