import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';


import { lead, npsResponse } from '../fixtures/canonicalRecords';
import { hubspotBatchUpsertBody, pipedriveUpdatePersonBody, salesforceLeadRecord } from '../schemas/crmApi';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';
import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';

const MAP = 'n8n-nodes-revops.mapToCrmFields';

function mapWorkflow(parameters: INodeParameters) {
	return {
		nodes: [node('Input', INPUT_NODE_TYPE), node('Map to CRM Fields', MAP, parameters)],
		connections: chain([['Input', 'Map to CRM Fields']]),
	};
}

const asJson = (items: INodeExecutionData[]) => items.map((item) => item.json);
/** Canonical records are plain JSON objects: what an n8n item carries. */
const item = (record: object) => record as IDataObject;

describe('Map to CRM Fields inside the n8n engine', () => {
	it('maps leads to Salesforce Lead records, one per item, with constants and per-item expressions', async () => {
		const { output, error } = await runWorkflow(
			mapWorkflow({
				crm: 'salesforce',
				salesforceObject: 'Lead',
				output: 'records',
				fieldMappings: {
					mapping: [
						{ target: 'LeadSource', from: 'value', value: 'n8n webhook' },
						{ target: 'Form_Id__c', from: 'value', value: "={{ 'form-' + $json.form_id }}" },
					],
				},
				options: {},
			}),
			[
				{ ...lead(), form_id: 7 },
				{ ...lead({ last_name: null, company: null }), email: 'broken@', form_id: 8 },
				{ ...lead({ first_name: 'Ana', last_name: 'Souza' }), form_id: 9 },
			],
		);
		expect(error).toBeUndefined();
		const mapped = output('Map to CRM Fields', 0);
		const invalid = output('Map to CRM Fields', 1);
		expect(mapped.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(invalid.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		for (const record of asJson(mapped)) expect(salesforceLeadRecord.parse(record)).toEqual(record);
		expect(mapped[0].json).toMatchObject({ LastName: 'da Silva', LeadSource: 'n8n webhook', Form_Id__c: 'form-7' });
		expect(mapped[1].json).toMatchObject({ FirstName: 'Ana', LastName: 'Souza', Form_Id__c: 'form-9' });
		expect(invalid[0].json.form_id).toBe(8);
		expect((invalid[0].json.errors as IDataObject[]).map((e) => `${e.field}:${e.code}`)).toEqual([
			'Email:invalid_email',
			'LastName:required',
			'Company:required',
		]);
	});

	it('builds HubSpot batch upserts of 100 with pairedItem for every record in each', async () => {
		const leads = Array.from({ length: 230 }, (_, index) => lead({ email: index === 57 ? null : `c${index}@acme.com` }));
		const { output, error } = await runWorkflow(
			mapWorkflow({
				crm: 'hubspot',
				output: 'bulk',
				fieldMappings: { mapping: [{ target: 'lifecyclestage', from: 'value', value: 'lead' }] },
				options: {},
			}),
			leads.map(item),
		);
		expect(error).toBeUndefined();
		const requests = output('Map to CRM Fields', 0);
		expect(requests.map((item) => item.json.records)).toEqual([100, 100, 29]);
		const paired = requests.flatMap((item) => (item.pairedItem as Array<{ item: number }>).map((p) => p.item));
		expect(paired).toEqual(leads.map((_, index) => index).filter((index) => index !== 57));
		for (const request of requests) {
			expect(request.json).toMatchObject({ crm: 'hubspot', method: 'POST', path: `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert` });
			expect(hubspotBatchUpsertBody.parse(request.json.body)).toEqual(request.json.body);
		}
		expect(output('Map to CRM Fields', 1).map((item) => item.pairedItem)).toEqual([{ item: 57 }]);
	});

	it('reads NPS responses from a webhook body and addresses Pipedrive person updates', async () => {
		const scoreKey = '1'.repeat(40);
		const segmentKey = '2'.repeat(40);
		const { output, error } = await runWorkflow(
			mapWorkflow({
				crm: 'pipedrive',
				recordField: 'body',
				output: 'bulk',
				pipedriveNpsFields: { score: scoreKey, segment: segmentKey },
				segmentOptionIds: { promoter: 31, passive: 32, detractor: 33 },
				options: {},
			}),
			[
				{ headers: {}, body: item(npsResponse({ nps_score: 10 })) },
				{ headers: {}, body: 'not json' },
			],
		);
		expect(error).toBeUndefined();
		const [request] = output('Map to CRM Fields', 0);
		expect(request.json).toMatchObject({ method: 'PATCH', path: '/api/v2/persons/54321' });
		expect(request.json.body).toEqual({ custom_fields: { [scoreKey]: 10, [segmentKey]: 31 } });
		expect(pipedriveUpdatePersonBody.parse(request.json.body)).toEqual(request.json.body);
		expect(output('Map to CRM Fields', 1)[0].json.errors).toEqual([
			expect.objectContaining({ field: 'body', code: 'missing_record' }),
		]);
	});

	it('cuts over-long values only when allowed, and the record says what was cut', async () => {
		const title = 'x'.repeat(140);
		const parameters = { crm: 'salesforce', salesforceObject: 'Contact', output: 'records', options: {} };
		const strict = await runWorkflow(mapWorkflow(parameters), [item(lead({ job_title: title }))]);
		expect(strict.output('Map to CRM Fields', 1)[0].json.errors).toEqual([expect.objectContaining({ field: 'Title', code: 'too_long' })]);

		const lenient = await runWorkflow(mapWorkflow({ ...parameters, options: { truncate: true } }), [item(lead({ job_title: title }))]);
		const [record] = lenient.output('Map to CRM Fields', 0);
		expect(record.json.Title).toBe('x'.repeat(128));
		expect(record.json.warnings).toEqual([expect.objectContaining({ field: 'Title', code: 'truncated' })]);
	});

	it("sends an item whose mapping expression fails to Invalid, without stopping the others", async () => {
		// n8n turns most errors inside an expression into null; a reference to a missing node still throws.
		const { output, error } = await runWorkflow(
			mapWorkflow({
				crm: 'hubspot',
				fieldMappings: { mapping: [{ target: 'utm_campaign', from: 'value', value: "={{ $json.utm ? $json.utm.toUpperCase() : $('No Such Node').item.json.utm }}" }] },
				options: {},
			}),
			[item({ ...lead(), utm: 'q1' }), item(lead({ email: 'no-utm@acme.com' }))],
		);
		expect(error).toBeUndefined();
		expect(output('Map to CRM Fields', 0).map((mapped) => [mapped.json.utm_campaign, mapped.pairedItem])).toEqual([['Q1', { item: 0 }]]);
		const [failed] = output('Map to CRM Fields', 1);
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json.email).toBe('no-utm@acme.com');
		expect(failed.json.errors).toEqual([expect.objectContaining({ field: 'utm_campaign', code: 'expression_error' })]);
	});

	it('fails the execution with a clear message when the configuration cannot work', async () => {
		const badTarget = await runWorkflow(
			mapWorkflow({ crm: 'pipedrive', fieldMappings: { mapping: [{ target: 'Email', from: 'value', value: 'x' }] }, options: {} }),
			[item(lead())],
		);
		expect(badTarget.error).toMatch(/'Email' is neither a Pipedrive person field/);
		// An expression satisfies the editor's required check but can still come out empty.
		const noExternalId = await runWorkflow(
			mapWorkflow({ crm: 'salesforce', output: 'bulk', externalIdField: "={{ '' }}", options: {} }),
			[item(lead())],
		);
		expect(noExternalId.error).toMatch(/External ID Field is empty/);
	});

	it('feeds its records to a built-in node that reaches back to the input item', async () => {
		const workflow = {
			nodes: [
				node('Input', INPUT_NODE_TYPE),
				node('Map to CRM Fields', MAP, { crm: 'hubspot', output: 'records', options: {} }),
				node(
					'Set',
					'n8n-nodes-base.set',
					{
						mode: 'raw',
						jsonOutput: "={{ { email: $json.email, score: $json.nps_score, response: $('Input').item.json.response_id } }}",
						options: {},
					},
					3.4,
				),
			],
			connections: chain([
				['Input', 'Map to CRM Fields'],
				['Map to CRM Fields', 'Set'],
			]),
		};
		const { output } = await runWorkflow(workflow, [
			item(npsResponse({ response_id: 'r-1', nps_score: 10 })),
			item(npsResponse({ response_id: 'r-2', nps_score: 4, email: 'b@acme.com' })),
		]);
		expect(asJson(output('Set'))).toEqual([
			{ email: 'customer@acme.com', score: '10', response: 'r-1' },
			{ email: 'b@acme.com', score: '4', response: 'r-2' },
		]);
	});

	it('runs the shipped example workflow: a webhook body mapped to a Salesforce Lead', async () => {
		const shipped = JSON.parse(
			readFileSync(path.join(__dirname, '..', '..', 'workflows', 'map-to-crm-fields-webhook.json'), 'utf8'),
		) as { nodes: INode[] };
		// The Webhook node becomes the harness input; Respond to Webhook needs a live HTTP request, so it stays out.
		const webhook = shipped.nodes.find((shippedNode) => shippedNode.type === 'n8n-nodes-base.webhook')!;
		const mapNode = shipped.nodes.find((shippedNode) => shippedNode.type === MAP)!;
		const workflow = {
			nodes: [{ ...webhook, type: INPUT_NODE_TYPE, parameters: {} }, mapNode],
			connections: chain([[webhook.name, mapNode.name]]),
		};
		const { output, error } = await runWorkflow(workflow, [
			{ headers: { 'content-type': 'application/json' }, body: item(lead({ company: null })) },
			{ headers: { 'content-type': 'application/json' }, body: item(npsResponse({ nps_score: 6 })) },
			{ headers: { 'content-type': 'application/json' }, body: { email: 'x@acme.com', nps_score: 'ten', response_id: 'r-9' } },
		]);
		expect(error).toBeUndefined();
		const [mappedLead, mappedNps] = asJson(output(mapNode.name, 0));
		expect(mappedLead).toMatchObject({ LastName: 'da Silva', Company: '[not provided]', LeadSource: 'n8n webhook' });
		expect(salesforceLeadRecord.parse(mappedLead)).toEqual(mappedLead);
		expect(mappedNps).toEqual(
			expect.objectContaining({ NPS_Score__c: 6, NPS_Segment__c: 'Detractor', NPS_Themes__c: 'Ease of use;Customer support' }),
		);
		// An NPS response updates an existing record: the lead-only constant and the Company default stay off it.
		expect(mappedNps).not.toHaveProperty('LeadSource');
		expect(mappedNps).not.toHaveProperty('Company');
		const [rejected] = output(mapNode.name, 1);
		expect(rejected.pairedItem).toEqual({ item: 2 });
		expect(rejected.json.errors).toEqual([expect.objectContaining({ field: 'NPS_Score__c', code: 'not_a_number' })]);
	});

	it("sends its bulk bodies through n8n's HTTP Request node as the README says", async () => {
		// A stand-in for api.hubapi.com: records every request it receives and answers like HubSpot.
		const received: Array<{ method?: string; url?: string; body: unknown }> = [];
		const server = createServer((request: IncomingMessage, response) => {
			let text = '';
			request.on('data', (chunk: Buffer) => (text += chunk.toString()));
			request.on('end', () => {
				received.push({ method: request.method, url: request.url, body: JSON.parse(text) });
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ status: 'COMPLETE', results: [] }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const workflow = {
				nodes: [
					node('Input', INPUT_NODE_TYPE),
					node('Map to CRM Fields', MAP, { crm: 'hubspot', output: 'bulk', options: {} }),
					node(
						'Send',
						'n8n-nodes-base.httpRequest',
						{
							method: '={{ $json.method }}',
							url: `=${base}{{ $json.path }}`,
							sendBody: true,
							specifyBody: 'json',
							jsonBody: '={{ JSON.stringify($json.body) }}',
							options: {},
						},
						4.2,
					),
				],
				connections: chain([
					['Input', 'Map to CRM Fields'],
					['Map to CRM Fields', 'Send'],
				]),
			};
			const leads = Array.from({ length: 150 }, (_, index) => item(lead({ email: `c${index}@acme.com` })));
			const { output, error } = await runWorkflow(workflow, leads);
			expect(error).toBeUndefined();
			expect(output('Send')).toHaveLength(2);
			expect(received.map(({ method, url }) => `${method} ${url}`)).toEqual([
				`POST /crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`,
				`POST /crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`,
			]);
			const inputs = received.flatMap(({ body }) => hubspotBatchUpsertBody.parse(body).inputs);
			expect(inputs.map((input) => input.id)).toEqual(leads.map((_, index) => `c${index}@acme.com`));
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
