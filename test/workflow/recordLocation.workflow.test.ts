/**
 * The one "where is the record" parameter (Record + Record Field) on every node that reads records, run
 * through n8n's engine: the same item shapes give the same record everywhere, and version 1 workflows of
 * Normalize Lead and Map to CRM Fields keep their own parameters.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const NORMALIZE = 'n8n-nodes-revops.normalizeLead';
const MAP = 'n8n-nodes-revops.mapToCrmFields';
const DEDUPE = 'n8n-nodes-revops.dedupe';
const WAREHOUSE = 'n8n-nodes-revops.warehouseInsert';

const webhookItem = (body: object) => ({ headers: { 'content-type': 'application/json' }, params: {}, query: {}, body });
const nested = (lead: object) => ({ data: { lead }, received: 'form' });
const lead = { email: 'ana@acme.com', first_name: 'Ana', last_name: 'Lima', company: 'Acme' };

async function runOne(type: string, parameters: INodeParameters, items: IDataObject[], typeVersion: number) {
	const workflow = { nodes: [node('Input', INPUT_NODE_TYPE), node('Node', type, parameters, typeVersion)], connections: chain([['Input', 'Node']]) };
	return await runWorkflow(workflow, items);
}

describe('Record: where each node finds the record', () => {
	it('Normalize Lead 1.1 reads a Webhook body (auto), the whole item, or one field, and names a missing field', async () => {
		const auto = await runOne(NORMALIZE, { options: {} }, [webhookItem(lead)], 1.1);
		expect(auto.output('Node', 0)[0].json).toMatchObject({ email: 'ana@acme.com' });
		const field = await runOne(NORMALIZE, { recordFrom: 'field', recordField: 'data.lead', options: {} }, [nested(lead), { data: {} }], 1.1);
		expect(field.output('Node', 0).map((item) => item.json.email)).toEqual(['ana@acme.com']);
		expect(field.output('Node', 1)[0]).toMatchObject({
			pairedItem: { item: 1 },
			json: { errors: [{ field: 'data.lead', code: 'missing_lead_data', message: "field 'data.lead' is missing" }] },
		});
	});

	it('Map to CRM Fields 1.1 auto-detects a Webhook body, and version 1 keeps its Record Field (empty: whole item)', async () => {
		const parameters = { crm: 'hubspot', recordType: 'lead', output: 'records', options: {} };
		const auto = await runOne(MAP, parameters, [webhookItem(lead)], 1.1);
		expect(auto.output('Node', 0)[0].json).toMatchObject({ email: 'ana@acme.com', firstname: 'Ana' });
		const field = await runOne(MAP, { ...parameters, recordFrom: 'field', recordField: 'data.lead' }, [nested(lead), { data: { lead: 'x' } }], 1.1);
		expect(field.output('Node', 0)[0].json).toMatchObject({ email: 'ana@acme.com' });
		expect(field.output('Node', 1)[0].json).toMatchObject({
			errors: [{ field: 'data.lead', code: 'missing_record', message: "field 'data.lead' does not hold an object" }],
		});
		const v1 = await runOne(MAP, { ...parameters, recordField: 'data.lead' }, [nested(lead)], 1);
		expect(v1.output('Node', 0)[0].json).toMatchObject({ email: 'ana@acme.com' });
	});

	it('Dedupe reads the record at its Record Field, and stops naming the item and field when it is missing', async () => {
		const parameters = { operation: 'withinInput', preset: 'people', recordFrom: 'field', recordField: 'data.lead', options: {} };
		const items = [nested({ ...lead, email: 'ana@acme.com' }), nested({ ...lead, email: 'ana@acme.com' })];
		const found = await runOne(DEDUPE, parameters, items, 1);
		expect(found.output('Node', 1)).toHaveLength(1);
		const missing = await runOne(DEDUPE, parameters, [items[0], { other: true }], 1);
		expect(missing.error).toBe("Item 1: field 'data.lead' is missing");
	});

	it('Warehouse Insert writes the record at its Record Field', async () => {
		const databaseFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revops-record-')), 'warehouse.sqlite');
		const parameters = {
			target: 'sqlite',
			databaseFile,
			tableKind: 'leads',
			onConflict: 'upsert',
			unknownFields: 'keep',
			createTable: true,
			recordFrom: 'field',
			recordField: 'data.lead',
			options: {},
		};
		const written = await runOne(WAREHOUSE, parameters, [nested({ email: 'ana@acme.com', first_name: 'Ana' })], 1);
		expect(written.error).toBeUndefined();
		expect(written.output('Node', 0)).toHaveLength(1);
		expect(written.output('Node', 0)[0].json).toMatchObject({ email: 'ana@acme.com' });
	});
});
