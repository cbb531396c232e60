/**
 * Every template in workflows/ uses node types, versions, parameter names and credentials that exist in
 * this pack's node descriptions and in n8n-nodes-base 2.41.1; and the check itself catches drift.
 */
import fs from 'node:fs';
import path from 'node:path';

import { checkWorkflow, unmarkedPaths, type WorkflowTemplate } from './templateCheck';
import { HUBSPOT_API_VERSION, SALESFORCE_API_VERSION } from '../../lib/crm/apiVersions';

const workflowsDir = path.resolve(__dirname, '..', '..', 'workflows');
const templateFiles = fs.readdirSync(workflowsDir).filter((file) => file.endsWith('.json'));

const readTemplate = (file: string) =>
	JSON.parse(fs.readFileSync(path.join(workflowsDir, file), 'utf8')) as WorkflowTemplate;

it('finds the templates', () => {
	expect(templateFiles.length).toBeGreaterThanOrEqual(2);
});

it.each(templateFiles)('%s uses only node types, versions, parameters and credentials that exist', (file) => {
	expect(checkWorkflow(readTemplate(file))).toEqual([]);
});

it.each(templateFiles)('%s marks every execution with its outcome (Execution Data) on every path', (file) => {
	expect(unmarkedPaths(readTemplate(file))).toEqual([]);
});

/** Where a template's CRM API version is written down: a URL, or Map to CRM Fields' Salesforce API Version. */
function crmVersionsOf(template: WorkflowTemplate): Array<{ node: string; where: string }> {
	const found: Array<{ node: string; where: string }> = [];
	for (const node of template.nodes) {
		const { url, salesforceApiVersion } = node.parameters as { url?: unknown; salesforceApiVersion?: unknown };
		if (typeof url === 'string' && /api\.hubapi\.com|salesforce\.com/.test(url)) found.push({ node: node.name, where: url });
		if (typeof salesforceApiVersion === 'string') found.push({ node: node.name, where: salesforceApiVersion });
	}
	return found;
}

it.each(templateFiles)('%s calls the CRM API versions of lib/crm/apiVersions.ts, or the path Map to CRM Fields builds from them', (file) => {
	const template = readTemplate(file);
	const mapNodes = new Set(template.nodes.filter(({ type }) => type === 'n8n-nodes-revops.mapToCrmFields').map(({ name }) => name));
	const current = (where: string) =>
		mapNodes.has(/\{\{ \$\('([^']+)'\)\.item\.json\.path \}\}$/.exec(where)?.[1] ?? '') ||
		where.includes(`/${HUBSPOT_API_VERSION}/`) ||
		where.includes(`/services/data/${SALESFORCE_API_VERSION}/`) ||
		where === SALESFORCE_API_VERSION;
	expect(crmVersionsOf(template).filter(({ where }) => !current(where))).toEqual([]);
});

it('the outcome check finds a path that ends unmarked, and passes a mark beside the path', () => {
	const node = (name: string, type = 'n8n-nodes-base.noOp') => ({ name, type, typeVersion: 1, parameters: {} });
	const unmarked: WorkflowTemplate = {
		nodes: [node('Start', 'n8n-nodes-base.webhook'), node('Sent'), node('Failed'), node('Mark', 'n8n-nodes-base.executionData')],
		connections: { Start: { main: [[{ node: 'Sent' }], [{ node: 'Failed' }]] }, Sent: { main: [[{ node: 'Mark' }]] } },
	};
	expect(unmarkedPaths(unmarked)).toEqual([['Start', 'Failed']]);
	const beside: WorkflowTemplate = {
		nodes: [node('Start', 'n8n-nodes-base.webhook'), node('Update'), node('Task'), node('Mark', 'n8n-nodes-base.executionData')],
		connections: { Start: { main: [[{ node: 'Update' }]] }, Update: { main: [[{ node: 'Task' }, { node: 'Mark' }]] } },
	};
	expect(unmarkedPaths(beside)).toEqual([]);
});

describe('the check', () => {
	const webhook = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		parameters: { httpMethod: 'POST', path: 'x', responseMode: 'responseNode', options: {} },
	};
	const mapToCrm = {
		name: 'Map',
		type: 'n8n-nodes-revops.mapToCrmFields',
		typeVersion: 1,
		parameters: {
			crm: 'hubspot',
			output: 'bulk',
			fieldDefaults: { default: [{ target: 'company', value: '[not provided]' }] },
		},
	};
	const httpRequest = {
		name: 'HubSpot',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `https://api.hubapi.com/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'hubspotAppToken',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json.body) }}',
			options: {},
		},
		credentials: { hubspotAppToken: { id: '1', name: 'HubSpot' } },
	};
	const workflow = (...nodes: WorkflowTemplate['nodes']): WorkflowTemplate => ({
		nodes,
		connections: { Webhook: { main: [[{ node: 'Map' }]] } },
	});

	it('accepts a sound workflow of pack and built-in nodes', () => {
		expect(checkWorkflow(workflow(webhook, mapToCrm, httpRequest))).toEqual([]);
	});

	it('reports a misspelt top-level parameter of a built-in node', () => {
		const misspelt = { ...webhook, parameters: { ...webhook.parameters, responceMode: 'responseNode' } };
		expect(checkWorkflow(workflow(misspelt, mapToCrm))).toEqual([
			expect.stringMatching(/^node 'Webhook' \(n8n-nodes-base\.webhook v2\.1\): responceMode: no such parameter/),
		]);
	});

	it("reports a misspelt parameter of this pack's node and one inside a fixed collection", () => {
		const misspelt = {
			...mapToCrm,
			parameters: { ...mapToCrm.parameters, crmm: 'hubspot', fieldDefaults: { default: [{ targt: 'company' }] } },
		};
		expect(checkWorkflow(workflow(webhook, misspelt))).toEqual([
			expect.stringMatching(/^node 'Map' .*: fieldDefaults\.default\[0\]\.targt: no such parameter \(known here: target, value\)/),
			expect.stringMatching(/^node 'Map' .*: crmm: no such parameter/),
		]);
	});

	it('reports a misspelt option inside a collection', () => {
		const misspelt = { ...httpRequest, parameters: { ...httpRequest.parameters, options: { timout: 1000 } } };
		expect(checkWorkflow(workflow(webhook, mapToCrm, misspelt))).toEqual([
			expect.stringMatching(/^node 'HubSpot' .*: options\.timout: no such parameter/),
		]);
	});

	it('reports a parameter its displayOptions hide for these settings', () => {
		// jsonBody is shown only with specifyBody = json
		const hidden = { ...httpRequest, parameters: { ...httpRequest.parameters, specifyBody: 'keypair' } };
		expect(checkWorkflow(workflow(webhook, mapToCrm, hidden))).toEqual([
			expect.stringMatching(/^node 'HubSpot' .*: jsonBody: exists but is not shown/),
		]);
	});

	it('reports a version the type does not have, for built-in and pack nodes', () => {
		expect(checkWorkflow(workflow({ ...webhook, typeVersion: 2.7 }, { ...mapToCrm, typeVersion: 3 }))).toEqual([
			expect.stringMatching(/^node 'Webhook' \(n8n-nodes-base\.webhook v2\.7\): no such version \(the type has .*2\.1/),
			"node 'Map' (n8n-nodes-revops.mapToCrmFields v3): no such version (the type has 1, 1.1)",
		]);
	});

	it('reports unknown node types, credentials and connections', () => {
		const broken = {
			...httpRequest,
			parameters: { ...httpRequest.parameters, nodeCredentialType: 'hubspotAppTokn' },
			credentials: { hubspotAppTokn: { id: '1', name: 'HubSpot' } },
		};
		const problems = checkWorkflow({
			nodes: [webhook, { ...mapToCrm, type: 'n8n-nodes-revops.mapToCrm' }, broken],
			connections: { Webhook: { main: [[{ node: 'Mapp' }]] } },
		});
		expect(problems).toEqual([
			"node 'Map' (n8n-nodes-revops.mapToCrm v1): no such node type",
			"node 'HubSpot' (n8n-nodes-base.httpRequest v4.2): nodeCredentialType: no credential type 'hubspotAppTokn'",
			"connection from 'Webhook' to 'Mapp': no such node",
		]);
	});
});
