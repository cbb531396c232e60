/**
 * Map to CRM Fields: records per second through the plain module and through n8n's engine, beside
 * n8n's own Set node doing the same field renaming (how a user maps fields with built-in nodes)
 * through the same engine; and the CRM API calls 10,000 contacts need with the bulk bodies versus
 * n8n's built-in Salesforce, HubSpot and Pipedrive nodes, which make one call per item.
 */
import { buildBulkRequests, type MappedRecord } from '../lib/crm/bulk';
import { createCrmMapper, type CrmMapperConfig } from '../lib/crm/mapper';
import type { CrmId } from '../lib/crm/profile';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { bestItemsPerSecond, finish, line, seededRandom } from './_report';

const COUNT = Number(process.env.BENCH_ITEMS ?? 50_000);
const CALL_COUNT = 10_000;

const FIRST = ['Maria', 'João', 'Ana Paula', 'Bill', 'Lucía', 'Anne-Marie', 'Roberto'];
const LAST = ['da Silva', 'Santos', 'van der Berg', 'García López', 'Smith', 'MacArthur'];
const COMPANIES = ['ACME Ltda', 'Globex S.A.', 'Initech', 'Umbrella GmbH', 'Stark Industries'];
const TITLES = ['Head of Marketing', 'CFO', 'Sales Manager', 'Founder', 'Growth Lead'];
const COUNTRIES = ['BR', 'US', 'GB', 'DE', 'ES', 'MX', 'PT'];

/** Leads as Normalize Lead outputs them (lib/schema/lead.ts), with distinct emails. */
function generateLeads(count: number): Array<Record<string, unknown>> {
	const random = seededRandom(7);
	const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
	return Array.from({ length: count }, (_, index) => {
		const first = pick(FIRST);
		const last = pick(LAST);
		const mobile = random() < 0.6;
		return {
			email: `lead${index}@${pick(['acme.com.br', 'globex.io', 'initech.com'])}`,
			email_domain: 'acme.com.br',
			email_is_free: false,
			email_match_key: `lead${index}@acme.com.br`,
			phone: `+55119${String(10_000_000 + index).slice(-8)}`,
			phone_country: 'BR',
			phone_type: mobile ? 'mobile' : 'fixed_line',
			phone_valid: true,
			phone_extension: null,
			first_name: first,
			last_name: last,
			full_name: `${first} ${last}`,
			company: pick(COMPANIES),
			company_match_key: 'acme',
			job_title: pick(TITLES),
			website: 'https://acme.com.br',
			website_domain: 'acme.com.br',
			country: pick(COUNTRIES),
			state: null,
			city: 'São Paulo',
			postal_code: '01310-100',
			industry: 'Technology',
			attribution: { original: { source: pick(['google', 'facebook', 'newsletter']) }, latest: null },
			consent: { given: true, date: null, source: null, policy_version: null },
			warnings: [],
		};
	});
}

/**
 * What the Set node has to do to build the same Salesforce Lead record by hand, written the fastest
 * way the Set node allows: one JSON-mode expression per item (one expression per field is ~8x slower).
 */
const SET_JSON_OUTPUT = `={{ {
	FirstName: $json.first_name,
	LastName: $json.last_name,
	Company: $json.company,
	Email: $json.email,
	Phone: $json.phone,
	MobilePhone: $json.phone_type === 'mobile' ? $json.phone : undefined,
	Title: $json.job_title,
	Industry: $json.industry,
	LeadSource: $json.attribution.original.source,
	CountryCode: $json.country,
	City: $json.city,
	PostalCode: $json.postal_code,
	Website: $json.website,
} }}`;
/** n8n expressions cost ~0.5 ms per item: the Set node is timed on fewer items to keep the bench short. */
const SET_COUNT = Math.min(COUNT, 10_000);

function bulkConfig(crm: CrmId): CrmMapperConfig {
	if (crm === 'salesforce') {
		return { crm, identityField: 'Lead_Key__c', mappings: [{ target: 'Lead_Key__c', source: 'email' }] };
	}
	return { crm, identityField: crm === 'hubspot' ? 'email' : undefined };
}

/** Requests the bulk bodies need for `leads`, counted from the bodies actually built. */
function bulkCalls(crm: CrmId, leads: Array<Record<string, unknown>>): number {
	const map = createCrmMapper(bulkConfig(crm));
	const mapped: MappedRecord[] = [];
	leads.forEach((lead, index) => {
		const outcome = map(lead);
		if (!outcome.valid) throw new Error(`bench lead ${index} is invalid: ${JSON.stringify(outcome.errors)}`);
		mapped.push({ index, record: outcome.record, identity: outcome.identity });
	});
	const requests = buildBulkRequests(mapped, { crm, externalIdField: 'Lead_Key__c' });
	const carried = requests.reduce((sum, request) => sum + request.indices.length, 0);
	if (carried !== leads.length) throw new Error(`${crm}: requests carry ${carried} of ${leads.length} records`);
	return requests.length;
}

async function main(): Promise<void> {
	const leads = generateLeads(COUNT);
	line(`Map to CRM Fields bench: ${COUNT} canonical leads, Node ${process.version}`);

	const mapSalesforce = createCrmMapper({ crm: 'salesforce', mappings: [{ target: 'LeadSource', value: 'n8n webhook' }] });
	const moduleRecordsPerSecond = await bestItemsPerSecond(COUNT, 5, () => {
		for (const lead of leads) if (!mapSalesforce(lead).valid) throw new Error('bench lead rejected');
	});
	line(`plain module (Salesforce Lead):       ${moduleRecordsPerSecond.toLocaleString('en')} records/s`);

	const items = leads.map((json) => ({ json }));
	const recordsWorkflow = {
		nodes: [
			node('Input', INPUT_NODE_TYPE),
			node('Map', 'n8n-nodes-revops.mapToCrmFields', { crm: 'salesforce', salesforceObject: 'Lead', output: 'records', options: {} }),
		],
		connections: chain([['Input', 'Map']]),
	};
	let mappedCount = 0;
	const engineRecordsPerSecond = await bestItemsPerSecond(COUNT, 3, async () => {
		const run = await runWorkflow(recordsWorkflow, items);
		mappedCount = run.output('Map', 0).length;
	});
	if (mappedCount !== COUNT) throw new Error(`the node mapped ${mappedCount} of ${COUNT} leads`);
	line(`node through the n8n engine (records): ${engineRecordsPerSecond.toLocaleString('en')} records/s`);

	const bulkWorkflow = {
		nodes: [node('Input', INPUT_NODE_TYPE), node('Map', 'n8n-nodes-revops.mapToCrmFields', { crm: 'hubspot', output: 'bulk', options: {} })],
		connections: chain([['Input', 'Map']]),
	};
	const engineBulkRecordsPerSecond = await bestItemsPerSecond(COUNT, 3, () => runWorkflow(bulkWorkflow, items));
	line(`node through the n8n engine (HubSpot bulk bodies): ${engineBulkRecordsPerSecond.toLocaleString('en')} records/s`);

	const setWorkflow = {
		nodes: [
			node('Input', INPUT_NODE_TYPE),
			node(
				'Set',
				'n8n-nodes-base.set',
				{ mode: 'raw', jsonOutput: SET_JSON_OUTPUT, options: {} },
				3.4,
			),
		],
		connections: chain([['Input', 'Set']]),
	};
	const setItems = items.slice(0, SET_COUNT);
	let setOutput: Record<string, unknown> = {};
	const setRecordsPerSecond = await bestItemsPerSecond(SET_COUNT, 2, async () => {
		setOutput = (await runWorkflow(setWorkflow, setItems)).output('Set', 0)[0]?.json ?? {};
	});
	if (setOutput.LastName !== leads[0].last_name) throw new Error(`the Set node did not map: ${JSON.stringify(setOutput)}`);
	line(`n8n Set node, same 13 fields, no checks (${SET_COUNT} items): ${setRecordsPerSecond.toLocaleString('en')} records/s`);
	const ratio = Number((engineRecordsPerSecond / setRecordsPerSecond).toFixed(2));
	line(`ratio Map to CRM Fields / Set node: ${ratio}x; goal >= 50,000 records/s (${engineRecordsPerSecond >= 50_000 ? 'met' : 'MISSED'})`);

	const callLeads = leads.slice(0, CALL_COUNT);
	const crms: CrmId[] = ['hubspot', 'salesforce', 'pipedrive'];
	const calls = Object.fromEntries(crms.map((crm) => [crm, bulkCalls(crm, callLeads)])) as Record<CrmId, number>;
	// n8n's Salesforce, HubSpot and Pipedrive nodes send one request per input item.
	const builtinCalls = Object.fromEntries(crms.map((crm) => [crm, CALL_COUNT])) as Record<CrmId, number>;
	for (const crm of crms) {
		line(
			`${crm}: ${calls[crm].toLocaleString('en')} API calls for ${CALL_COUNT.toLocaleString('en')} contacts with bulk bodies, ${builtinCalls[crm].toLocaleString('en')} with the built-in node (${Math.round(builtinCalls[crm] / calls[crm])}x fewer)`,
		);
	}
	line(
		`goals: HubSpot 100x fewer calls (${builtinCalls.hubspot / calls.hubspot >= 100 ? 'met' : 'MISSED'}), Salesforce 200x (${builtinCalls.salesforce / calls.salesforce >= 200 ? 'met' : 'MISSED'}); Pipedrive has no batch endpoint for persons`,
	);

	finish({
		bench: 'map',
		items: COUNT,
		records_per_s: engineRecordsPerSecond,
		module_records_per_s: moduleRecordsPerSecond,
		bulk_records_per_s: engineBulkRecordsPerSecond,
		baseline_set_node_records_per_s: setRecordsPerSecond,
		engine_vs_set_node: ratio,
		calls_10k: calls,
		builtin_calls_10k: builtinCalls,
	});
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
