/**
 * Templates "Backfill leads from CSV" and "Backfill NPS responses from CSV" (workflows/backfill-*-from-csv.json)
 * in a real n8n 2.41.1: imported unmodified with a fake HubSpot app token credential, the sample CSVs of
 * workflows/samples/ put where the templates read them (the n8n user folder's .n8n-files, as `npm start` does),
 * and each run the way a user runs it: its Manual Trigger, through `n8n execute` beside the running server.
 * HubSpot is the CRM stand-in; the warehouse is the embedded SQLite file the templates default to, and
 * PostgreSQL (PG_URL) for a copy of the leads template changed only as its sticky note tells a user to switch
 * the warehouse (Warehouse Insert target and credential), plus its id and name so both copies live in one n8n.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { N8N_FILES_FOLDER, type WorkflowExecution } from '../../scripts/lib/n8n-instance';
import { connectAdmin, pgConnection } from '../support/postgres';
import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from './crmStandIn';
import { useN8n, workflowFile } from './n8nServer';
import { HUBSPOT_API_VERSION } from '../../lib/crm/apiVersions';

const credentialsFile = path.join(__dirname, 'fixtures', 'hubspotAppToken.credentials.json');
const samplesDir = path.join(__dirname, '..', '..', 'workflows', 'samples');
const UPSERT_PATH = `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`;
const LEADS_WORKFLOW = 'revopsBackfillLeads';
const NPS_WORKFLOW = 'revopsBackfillNps';

const LEADS_PG_WORKFLOW = 'revopsBackfillLeadsPostgres';
// A database of this file's own, created and dropped here: the template's table names stay as they are.
const pgDatabase = `revops_backfill_${process.pid}`;
const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-backfill-e2e-'));
const pgCredentialsFile = path.join(scratchDir, 'warehousePostgres.credentials.json');
const leadsPgTemplate = path.join(scratchDir, 'backfill-leads-from-csv.postgres.json');

let hubspot: CrmStandIn;
// Declared before useN8n, so these are ready when n8n starts: the stand-in (n8n gets its proxy settings),
// the database, its credential and the PostgreSQL copy of the leads template.
beforeAll(async () => {
	hubspot = await startCrmStandIn();
	const admin = await connectAdmin();
	try {
		await admin.query(`CREATE DATABASE ${pgDatabase}`);
	} finally {
		await admin.end();
	}
	const credential = { id: 'revopsBackfillWarehouse', name: 'Backfill warehouse', type: 'warehousePostgresApi' };
	fs.writeFileSync(pgCredentialsFile, JSON.stringify([{ ...credential, data: { ...pgConnection(), database: pgDatabase } }]));
	const template = JSON.parse(fs.readFileSync(workflowFile('backfill-leads-from-csv.json'), 'utf8')) as {
		id: string;
		name: string;
		nodes: Array<{ type: string; parameters: Json; credentials?: Json }>;
	};
	const insert = template.nodes.find(({ type }) => type === 'n8n-nodes-revops.warehouseInsert');
	if (!insert) throw new Error('the leads template has no Warehouse Insert node');
	const { databaseFile, ...parameters } = insert.parameters;
	expect(databaseFile).toBe('');
	insert.parameters = { ...parameters, target: 'postgres' };
	insert.credentials = { warehousePostgresApi: { id: credential.id, name: credential.name } };
	fs.writeFileSync(leadsPgTemplate, JSON.stringify({ ...template, id: LEADS_PG_WORKFLOW, name: `${template.name} (PostgreSQL)` }));
});
afterAll(async () => {
	await hubspot?.stop();
	const admin = await connectAdmin();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
	} finally {
		await admin.end();
	}
	fs.rmSync(scratchDir, { recursive: true, force: true });
});

const n8n = useN8n([workflowFile('backfill-leads-from-csv.json'), workflowFile('backfill-nps-from-csv.json'), leadsPgTemplate], {
	env: () => hubspot.env(),
	credentialFiles: [credentialsFile, pgCredentialsFile],
});

/** Puts a sample CSV where the templates' default paths point (relative to n8n's working folder, its user folder here). */
function placeSample(sample: string): void {
	const filesDir = path.join(n8n().userFolder, N8N_FILES_FOLDER, 'revops');
	fs.mkdirSync(filesDir, { recursive: true });
	fs.copyFileSync(path.join(samplesDir, sample), path.join(filesDir, sample));
}

beforeAll(() => {
	placeSample('leads-backfill.csv');
	placeSample('nps-backfill.csv');
});

beforeEach(() => hubspot.reset());
// Whatever a test scripted, every call a template made is a current endpoint of the vendor API ledger.
afterEach(() => expect(hubspot.ledgerViolations()).toEqual([]));

/**
 * Replaces the leads CSV with a newsletter export of `count` new emails (emails only, so no two rows can be
 * the same person by name and company) and returns them in row order; each leads test puts the sample back.
 */
function placeEmailsCsv(prefix: string, count: number): string[] {
	const emails = Array.from({ length: count }, (_, index) => `${prefix}${index + 1}@${prefix}-company${index + 1}.com`);
	fs.writeFileSync(path.join(n8n().userFolder, N8N_FILES_FOLDER, 'revops', 'leads-backfill.csv'), `${['Email', ...emails].join('\n')}\n`);
	return emails;
}

type Json = Record<string, unknown>;

/** Items a node emitted on one output, over all its runs (the retry loop runs some nodes more than once). */
function outputItems(execution: WorkflowExecution, nodeName: string, output = 0): Json[] {
	const runs = execution.data.resultData.runData[nodeName] ?? [];
	return runs.flatMap((run) => run.data?.main[output] ?? []).map(({ json }) => json);
}

const csvRows = (items: Json[]) => items.map((item) => item.csv_row ?? (item.item as Json | undefined)?.csv_row).sort((a, b) => Number(a) - Number(b));

/** The sample's data rows by spreadsheet row number (headers are row 1); enough CSV for the samples (quoted cells). */
function sampleRows(sample: string): Map<number, Json> {
	const [header, ...lines] = fs.readFileSync(path.join(samplesDir, sample), 'utf8').trimEnd().split('\n');
	const cells = (line: string) => [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((match) => match[2] ?? match[1]);
	const columns = cells(header);
	return new Map(lines.map((line, index) => [index + 2, Object.fromEntries(cells(line).map((cell, column) => [columns[column], cell]))]));
}

function warehouseRows(table: string): Json[] {
	const database = openSqlite(path.join(n8n().userFolder, '.n8n', 'revops-warehouse.sqlite'));
	try {
		return database.prepare(`SELECT * FROM ${table}`).all() as Json[];
	} finally {
		database.close();
	}
}

async function postgresRows(table: string): Promise<Json[]> {
	const client = new Client({ ...pgConnection(), database: pgDatabase, ssl: false });
	await client.connect();
	try {
		return (await client.query(`SELECT * FROM ${table}`)).rows as Json[];
	} finally {
		await client.end();
	}
}

const upserts = () => hubspot.requests(HUBSPOT_HOST).filter(({ path: requestPath }) => requestPath === UPSERT_PATH);
type UpsertBody = { inputs: Array<{ id: string; idProperty: string; properties: Record<string, string> }> };

describe('leads', () => {
	// The sample's anomalies, by spreadsheet row.
	const INVALID_FOR_NORMALIZE = [10, 20, 35]; // no email or phone; a broken email and no phone; a 2-digit phone only
	const INVALID_FOR_HUBSPOT = [47]; // a phone but no email to upsert the contact by
	const DUPLICATES = [14, 29, 42]; // row 2 in capitals, row 3 with a Gmail +tag, row 24 exported twice
	const rows = sampleRows('leads-backfill.csv');
	const expectedEmails = [...rows]
		.filter(([row]) => ![...INVALID_FOR_NORMALIZE, ...INVALID_FOR_HUBSPOT, ...DUPLICATES].includes(row))
		.map(([, lead]) => String(lead.Email).trim().toLowerCase());

	let firstRun: WorkflowExecution;
	let firstUpserts: ReturnType<typeof upserts>;
	beforeAll(async () => {
		hubspot.reset();
		firstRun = await n8n().execute(LEADS_WORKFLOW);
		firstUpserts = upserts();
	});
	afterEach(() => placeSample('leads-backfill.csv'));

	it('sends HubSpot every valid, new lead of the CSV in ceil(valid / 100) batch upserts by email, with the credential', () => {
		expect(expectedEmails).toHaveLength(44);
		expect(firstUpserts).toHaveLength(Math.ceil(expectedEmails.length / 100));
		const [{ headers, body }] = firstUpserts;
		expect(headers.authorization).toMatch(/^Bearer /);
		const { inputs } = body as UpsertBody;
		expect(inputs.map(({ id }) => id)).toEqual(expectedEmails);
		// row 3: a Brazilian mobile written the national way (phone and mobile phone), a free-mail address
		expect(inputs[1]).toEqual({
			id: 'lucas.pereira@gmail.com',
			idProperty: 'email',
			properties: {
				email: 'lucas.pereira@gmail.com',
				firstname: 'Lucas',
				lastname: 'Pereira',
				company: 'Nuvem Tecnologia Ltda',
				phone: '+5511987654321',
				mobilephone: '+5511987654321',
				jobtitle: 'Head of Growth',
				country: 'BR',
				lifecyclestage: 'lead',
			},
		});
	});

	it('writes each lead HubSpot took to the SQLite warehouse exactly once', () => {
		const leads = warehouseRows('leads');
		expect(leads.map(({ email }) => email).sort()).toEqual([...expectedEmails].sort());
		expect(new Set(leads.map(({ lead_key }) => lead_key)).size).toBe(expectedEmails.length);
		expect(outputItems(firstRun, 'Backfilled Leads')).toHaveLength(expectedEmails.length);
	});

	it('reports the invalid rows with their row numbers and the field at fault, and sets the duplicates aside', () => {
		const failed = outputItems(firstRun, 'Invalid or Failed Rows');
		expect(csvRows(failed)).toEqual([...INVALID_FOR_NORMALIZE, ...INVALID_FOR_HUBSPOT]);
		for (const item of failed) expect(item.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.any(String), message: expect.any(String) })]));
		expect(failed.find((item) => item.csv_row === 47)?.errors).toEqual([expect.objectContaining({ field: 'email', code: 'required' })]);
		const duplicates = outputItems(firstRun, 'Skipped Duplicates');
		expect(csvRows(duplicates)).toEqual(DUPLICATES);
		for (const duplicate of duplicates) expect(duplicate._dedupe).toMatchObject({ status: 'duplicate', matched_in: 'input' });
	});

	it('sends nothing and adds no row when the same CSV is run again, and still reports the invalid rows', async () => {
		hubspot.reset();
		const secondRun = await n8n().execute(LEADS_WORKFLOW);
		expect(upserts()).toEqual([]);
		expect(warehouseRows('leads')).toHaveLength(expectedEmails.length);
		// row 47 never reached HubSpot, so it was not remembered: it is checked and reported again
		expect(csvRows(outputItems(secondRun, 'Invalid or Failed Rows'))).toEqual([...INVALID_FOR_NORMALIZE, ...INVALID_FOR_HUBSPOT]);
		// every loaded row, the in-file duplicates too, now matches a lead remembered by the first run
		const duplicates = outputItems(secondRun, 'Skipped Duplicates');
		expect(duplicates).toHaveLength(expectedEmails.length + DUPLICATES.length);
		for (const duplicate of duplicates) expect(duplicate._dedupe).toMatchObject({ status: 'duplicate', matched_in: 'existing' });
	});

	it('splits a larger CSV into batches of 100 and writes the leads of every batch', async () => {
		const count = 230;
		const emails = placeEmailsCsv('reader', count);
		hubspot.reset();
		const run = await n8n().execute(LEADS_WORKFLOW);
		expect(upserts().map(({ body }) => (body as UpsertBody).inputs.map(({ id }) => id))).toEqual([
			emails.slice(0, 100),
			emails.slice(100, 200),
			emails.slice(200),
		]);
		expect(outputItems(run, 'Backfilled Leads').map(({ email }) => email)).toEqual(emails);
		expect(warehouseRows('leads')).toHaveLength(expectedEmails.length + count);
	});

	it('sends the leads of a batch HubSpot refused (400) or whose connection it dropped again on the next run, and only those', async () => {
		const emails = placeEmailsCsv('attendee', 250);
		const [refused, dropped, taken] = [emails.slice(0, 100), emails.slice(100, 200), emails.slice(200)];
		hubspot.reset();
		const message = 'Property values were not valid: [{"isValid":false,"message":"lead_source_detail is not a property","name":"lead_source_detail"}]';
		hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 400, body: { status: 'error', message, category: 'VALIDATION_ERROR' } }, { reset: true }]);
		const failedRun = await n8n().execute(LEADS_WORKFLOW);
		expect(upserts().map(({ body }) => (body as UpsertBody).inputs.map(({ id }) => id))).toEqual([refused, dropped, taken]);
		// the two refusals reach 'Invalid or Failed Rows' along two paths, in either order: compare by row
		const failed = outputItems(failedRun, 'Invalid or Failed Rows').sort((left, right) => Number(left.csv_row) - Number(right.csv_row));
		expect(failed.map(({ email }) => email)).toEqual([...refused, ...dropped]);
		expect(failed.map(({ errors }) => (errors as Json[])[0].code)).toEqual([...refused.map(() => '400'), ...dropped.map(() => 'no_answer')]);
		expect(outputItems(failedRun, 'Backfilled Leads').map(({ email }) => email)).toEqual(taken);
		const warehouseEmails = () => warehouseRows('leads').map(({ email }) => String(email)).filter((email) => emails.includes(email)).sort();
		expect(warehouseEmails()).toEqual([...taken].sort());

		// HubSpot is back: the same CSV sends the leads it did not take, once, and skips the ones it did
		hubspot.reset();
		const nextRun = await n8n().execute(LEADS_WORKFLOW);
		expect(upserts().map(({ body }) => (body as UpsertBody).inputs.map(({ id }) => id))).toEqual([refused, dropped]);
		expect(outputItems(nextRun, 'Backfilled Leads').map(({ email }) => email)).toEqual([...refused, ...dropped]);
		expect(outputItems(nextRun, 'Invalid or Failed Rows')).toEqual([]);
		const skipped = outputItems(nextRun, 'Skipped Duplicates');
		expect(skipped.map(({ email }) => email)).toEqual(taken);
		for (const duplicate of skipped) expect(duplicate._dedupe).toMatchObject({ status: 'duplicate', matched_in: 'existing' });
		expect(warehouseEmails()).toEqual([...emails].sort());
	});

	it('writes the same leads exactly once into PostgreSQL when the warehouse is switched to it', async () => {
		hubspot.reset();
		await n8n().execute(LEADS_PG_WORKFLOW);
		// its own Dedupe history (named after the workflow): the copy sends the sample's leads once too
		expect(upserts().map(({ body }) => (body as UpsertBody).inputs.map(({ id }) => id))).toEqual([expectedEmails]);
		const leads = await postgresRows('leads');
		expect(leads.map(({ email }) => email).sort()).toEqual([...expectedEmails].sort());
		expect(new Set(leads.map(({ lead_key }) => lead_key)).size).toBe(expectedEmails.length);

		hubspot.reset();
		await n8n().execute(LEADS_PG_WORKFLOW);
		expect(upserts()).toEqual([]);
		expect(await postgresRows('leads')).toHaveLength(expectedEmails.length);
	});
});

describe('NPS responses', () => {
	const INVALID = [7, 15, 23, 31, 39]; // score 11; score "n/a"; no score; date 31/09/2025; no email
	const DUPLICATES = [19, 43]; // rows 12 and 37 exported twice
	const rows = sampleRows('nps-backfill.csv');
	const expectedResponses = [...rows].filter(([row]) => ![...INVALID, ...DUPLICATES].includes(row)).map(([, response]) => response);

	let firstRun: WorkflowExecution;
	let firstUpserts: ReturnType<typeof upserts>;
	beforeAll(async () => {
		hubspot.reset();
		// HubSpot's rate limit on the first call: the batch waits and goes again.
		hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.' } }]);
		firstRun = await n8n().execute(NPS_WORKFLOW);
		firstUpserts = upserts();
	});

	it('upserts the NPS properties of every valid response by email, retrying the batch HubSpot answered 429', () => {
		expect(expectedResponses).toHaveLength(42);
		// the refused batch, then the same batch again: ceil(42 / 100) = 1 batch
		expect(firstUpserts).toHaveLength(2);
		expect(firstUpserts[1].body).toEqual(firstUpserts[0].body);
		const { inputs } = firstUpserts[1].body as UpsertBody;
		expect(inputs.map(({ id }) => id)).toEqual(expectedResponses.map(({ email }) => email));
		expect(inputs[0]).toEqual({
			id: 'jane.doe@acme.io',
			idProperty: 'email',
			properties: {
				email: 'jane.doe@acme.io',
				nps_score: '8',
				nps_segment: 'Passive',
				nps_themes: 'Mobile app',
				nps_survey_date: String(Date.UTC(2025, 6, 1)),
				nps_comment: 'Good product, pricing is a bit high for us.',
			},
		});
	});

	it('writes each response to nps_responses exactly once, as the canonical record', () => {
		const responses = warehouseRows('nps_responses');
		expect(responses.map(({ response_id }) => response_id).sort()).toEqual(expectedResponses.map(({ response_id }) => response_id).sort());
		expect(responses.find(({ response_id }) => response_id === 'r_2025q3_1001')).toMatchObject({
			provider: 'csv',
			survey_id: 'nps-2025-q3',
			identity_key: 'jane.doe@acme.io',
			identity_type: 'email',
			customer_id: 'C-20400',
			survey_date: '2025-07-01T00:00:00.000Z',
			nps_score: 8,
			nps_segment: 'passive',
			raw_text: 'Good product, pricing is a bit high for us.',
			plan: 'starter',
			region: 'NA',
		});
	});

	it('reports the invalid rows with their row numbers and the field at fault, and sets the duplicates aside', () => {
		const failed = outputItems(firstRun, 'Invalid or Failed Rows');
		expect(csvRows(failed)).toEqual(INVALID);
		const faults = Object.fromEntries(failed.map((item) => [item.csv_row, (item.errors as Json[]).map(({ field, code }) => `${field}:${code}`)]));
		expect(faults).toEqual({
			7: ['nps_score:out_of_range'],
			15: ['nps_score:not_a_number'],
			23: ['nps_score:required'],
			31: ['nps_survey_date:invalid_date'],
			39: ['email:required'],
		});
		expect(csvRows(outputItems(firstRun, 'Skipped Duplicates'))).toEqual(DUPLICATES);
	});

	it('upserts the same contacts again and adds no row when the same CSV is run again', async () => {
		hubspot.reset();
		await n8n().execute(NPS_WORKFLOW);
		// the same ids, which HubSpot already has: updated, none created
		expect(upserts().map(({ body }) => body)).toEqual([firstUpserts[1].body]);
		expect(warehouseRows('nps_responses')).toHaveLength(expectedResponses.length);
	});

	it("sends every row of a batch HubSpot refused to 'Invalid or Failed Rows' with HubSpot's message, and writes none", async () => {
		hubspot.reset();
		const message = 'Property values were not valid: [{"isValid":false,"message":"nps_themes is not a property","name":"nps_themes"}]';
		hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ status: 400, body: { status: 'error', message, category: 'VALIDATION_ERROR' } }]);
		const run = await n8n().execute(NPS_WORKFLOW);
		const refused = outputItems(run, 'Invalid or Failed Rows').filter((item) => !INVALID.includes(Number(item.csv_row)));
		expect(refused.map(({ response_id }) => response_id)).toEqual(expectedResponses.map(({ response_id }) => response_id));
		for (const item of refused) expect(item.errors).toEqual([{ field: 'hubspot', code: '400', message }]);
		expect(outputItems(run, 'Insert Responses into Warehouse')).toEqual([]);
		expect(upserts()).toHaveLength(1);
	});

	it("sends every row of a batch whose connection HubSpot dropped to 'Invalid or Failed Rows' with n8n's error", async () => {
		hubspot.reset();
		hubspot.script('POST', HUBSPOT_HOST, UPSERT_PATH, [{ reset: true }]);
		const run = await n8n().execute(NPS_WORKFLOW);
		const refused = outputItems(run, 'Invalid or Failed Rows').filter((item) => !INVALID.includes(Number(item.csv_row)));
		expect(refused.map(({ response_id }) => response_id)).toEqual(expectedResponses.map(({ response_id }) => response_id));
		for (const item of refused) {
			// n8n's own wording for ECONNRESET
			expect(item.errors).toEqual([{ field: 'hubspot', code: 'no_answer', message: expect.stringMatching(/^The connection to the server was closed unexpectedly/) }]);
		}
		expect(outputItems(run, 'Insert Responses into Warehouse')).toEqual([]);
	});
});
