/**
 * The vendor API ledger against what the pack calls: every vendor call of every template (HTTP Request
 * URLs and n8n's built-in CRM node operations) and of Map to CRM Fields' bulk bodies is a ledger endpoint,
 * and none is retired or loses support within twelve months. The README shows the ledger as it is.
 */
import fs from 'node:fs';
import path from 'node:path';

import { buildBulkRequests } from '../../lib/crm/bulk';
import { blockedReason, findEndpoint, loadLedger, type LedgerEndpoint } from '../support/vendorLedger';
import type { WorkflowTemplate } from '../workflow/templateCheck';

import { renderLedgerTable, replaceLedgerSection } from '../../scripts/lib/ledger';

const root = path.resolve(__dirname, '..', '..');
const ledger = loadLedger();
const today = new Date();
const templateFiles = fs.readdirSync(path.join(root, 'workflows')).filter((file) => file.endsWith('.json'));
const readTemplate = (file: string) => JSON.parse(fs.readFileSync(path.join(root, 'workflows', file), 'utf8')) as WorkflowTemplate;

const VENDOR_HOSTS = /https:\/\/([a-z0-9.-]*(?:hubapi\.com|salesforce\.com|pipedrive\.com))/;
/** A URL path a Map to CRM Fields node of the template builds: the endpoints of its CRM's bulk bodies. */
const BULK_PATH = /^\{\{ \$\('([^']+)'\)\.item\.json\.path \}\}$/;
const VENDOR_OF_CRM: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', pipedrive: 'Pipedrive' };

function bulkEndpoints(crm: string): LedgerEndpoint[] {
	return ledger.endpoints.filter((entry) => entry.vendor === VENDOR_OF_CRM[crm] && entry.usedBy.includes('lib/crm/bulk.ts'));
}

interface TemplateCall {
	node: string;
	call: string;
	entries: LedgerEndpoint[];
}

/** Each vendor call a template makes, with the ledger entries it can reach (none: not in the ledger). */
function templateCalls(template: WorkflowTemplate): TemplateCall[] {
	const calls: TemplateCall[] = [];
	const crmOfMapNode = new Map(
		template.nodes.filter(({ type }) => type === 'n8n-nodes-revops.mapToCrmFields').map(({ name, parameters }) => [name, String((parameters as { crm?: unknown }).crm)]),
	);
	for (const node of template.nodes) {
		const parameters = node.parameters as Record<string, unknown>;
		if (node.type === 'n8n-nodes-base.httpRequest' && typeof parameters.url === 'string') {
			const url = parameters.url.replace(/^=/, '');
			const host = VENDOR_HOSTS.exec(url)?.[1];
			if (host === undefined) continue;
			const rest = url.slice(url.indexOf(host) + host.length).split('?')[0];
			const method = String(parameters.method ?? 'GET');
			const bulkCrm = crmOfMapNode.get(BULK_PATH.exec(rest)?.[1] ?? '');
			const entries = bulkCrm
				? bulkEndpoints(bulkCrm)
				: [findEndpoint(ledger, host, method, rest.replace(/\{\{[^}]*\}\}/g, 'x'))].filter(
						(entry): entry is LedgerEndpoint => entry !== undefined,
					);
			calls.push({ node: node.name, call: `${method} ${host}${rest}`, entries });
		}
		const builtIn = /^n8n-nodes-base\.(hubspot|pipedrive|salesforce)$/.exec(node.type);
		if (builtIn) {
			const { resource, operation } = parameters as { resource?: string; operation?: string };
			const entries = ledger.endpoints.filter((entry) =>
				entry.n8nNode?.some((use) => use.type === node.type && use.resource === resource && use.operation === operation),
			);
			calls.push({ node: node.name, call: `${node.type} ${resource} → ${operation}`, entries });
		}
	}
	return calls;
}

function problems(calls: TemplateCall[], when: Date): string[] {
	return calls.flatMap(({ node, call, entries }) => {
		if (entries.length === 0) return [`${node}: ${call} is not in the vendor API ledger`];
		return entries.flatMap((entry) => {
			const reason = blockedReason(entry, when);
			return reason === undefined ? [] : [`${node}: ${call} (${entry.id}) is ${reason}`];
		});
	});
}

describe('the vendor API ledger', () => {
	it('is well formed: every entry has its version, status, source and the day it was checked', () => {
		expect(ledger.endpoints.length).toBeGreaterThan(20);
		expect(new Set(ledger.endpoints.map(({ id }) => id)).size).toBe(ledger.endpoints.length);
	});

	it.each(templateFiles)('%s calls only ledger endpoints that are current for the next twelve months', (file) => {
		expect(problems(templateCalls(readTemplate(file)), today)).toEqual([]);
	});

	it("names each template node it lists under usedBy, so the ledger and the templates agree", () => {
		const missing = ledger.endpoints.flatMap(({ id, usedBy }) =>
			usedBy
				.filter((use) => use.startsWith('workflows/'))
				.filter((use) => {
					const [file, nodeName] = use.slice('workflows/'.length).split('#');
					return !fs.existsSync(path.join(root, 'workflows', file)) || !readTemplate(file).nodes.some(({ name }) => name === nodeName);
				})
				.map((use) => `${id}: ${use}`),
		);
		expect(missing).toEqual([]);
		const unlisted = ledger.endpoints.flatMap(({ id, usedBy }) => usedBy.filter((use) => !use.startsWith('workflows/') && !use.startsWith("n8n's") && !fs.existsSync(path.join(root, use))).map((use) => `${id}: ${use}`));
		expect(unlisted).toEqual([]);
	});

	it("catches a template step on a retired endpoint, or one losing support within a year", () => {
		const node = (name: string, type: string, parameters: Record<string, string>) => ({ name, type, typeVersion: 1, parameters });
		const old: WorkflowTemplate = {
			nodes: [
				node('Add to Referral List', 'n8n-nodes-base.hubspot', { resource: 'contactList', operation: 'add' }),
				node('Find Person', 'n8n-nodes-base.pipedrive', { resource: 'person', operation: 'search' }),
				node('Upsert', 'n8n-nodes-base.httpRequest', { method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert' }),
				node('Unknown', 'n8n-nodes-base.httpRequest', { method: 'POST', url: 'https://api.hubapi.com/crm/objects/2026-09/deals' }),
			],
			connections: {},
		};
		expect(problems(templateCalls(old), new Date('2026-12-05T00:00:00Z'))).toEqual([
			'Add to Referral List: n8n-nodes-base.hubspot contactList → add (hubspot.v1.lists.add) is retired on 2026-04-30',
			'Find Person: n8n-nodes-base.pipedrive person → search (pipedrive.v1.persons.search) is deprecated, out of support since 2026-08-01',
			'Upsert: POST api.hubapi.com/crm/v3/objects/contacts/batch/upsert (hubspot.v3.contacts.batchUpsert) is legacy, loses support on 2027-09-01 (within 12 months)',
			'Unknown: POST api.hubapi.com/crm/objects/2026-09/deals is not in the vendor API ledger',
		]);
		// and what is current today loses its place a year before its own sunset
		const current = { nodes: [node('Search', 'n8n-nodes-base.httpRequest', { method: 'POST', url: 'https://api.hubapi.com/crm/objects/2026-09/contacts/search' })], connections: {} };
		expect(problems(templateCalls(current), new Date('2026-12-05T00:00:00Z'))).toEqual([]);
		expect(problems(templateCalls(current), new Date('2027-03-09T00:00:00Z'))).toEqual([
			'Search: POST api.hubapi.com/crm/objects/2026-09/contacts/search (hubspot.contacts.search) is current, loses support on 2028-03-08 (within 12 months)',
		]);
	});

	it("Map to CRM Fields' bulk requests go to ledger endpoints, on every CRM", () => {
		const record = (email: string, extra: Record<string, unknown> = {}) => ({ index: 0, record: { email, ...extra }, identity: email });
		const requests = [
			...buildBulkRequests([record('a@acme.com')], { crm: 'hubspot' }).map((request) => ({ host: 'api.hubapi.com', ...request })),
			...buildBulkRequests([record('a@acme.com')], { crm: 'salesforce', externalIdField: 'Lead_Key__c' }).map((request) => ({ host: 'org.my.salesforce.com', ...request })),
			...buildBulkRequests([record('a@acme.com'), record('b@acme.com', { person_id: 7 })], { crm: 'pipedrive' }).map((request) => ({ host: 'api.pipedrive.com', ...request })),
		];
		const resolved = requests.map(({ host, method, path }) => findEndpoint(ledger, host, method, path));
		expect(resolved.map((entry) => entry?.id)).toEqual(['hubspot.contacts.batchUpsert', 'salesforce.composite.upsert', 'pipedrive.persons.create', 'pipedrive.persons.update']);
		expect(resolved.map((entry) => entry && blockedReason(entry, today))).toEqual([undefined, undefined, undefined, undefined]);
	});

	it('is in the README as it is in docs/vendor-api-ledger.json (npm run ledger writes it)', () => {
		const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
		expect(replaceLedgerSection(readme, renderLedgerTable(ledger))).toBe(readme);
	});
});
