/**
 * Template "Erasure request (LGPD/GDPR) to HubSpot" (workflows/erasure-request-to-hubspot.json) in a real
 * n8n 2.41.1, beside "Lead capture to HubSpot" and "NPS to HubSpot": a person is captured (sent to HubSpot,
 * loaded into the warehouse, remembered by Dedupe; an earlier invalid submission kept as a dead letter; an NPS
 * response in the warehouse and, not being in HubSpot, kept as a dead letter too), then erased through
 * the erasure webhook. Every store is then read directly: none holds their email, phone or name, while
 * another person stays; HubSpot (the CRM stand-in) got the GDPR delete; the audit row exists without
 * personal data; a repeated request succeeds and removes nothing; and the same lead posted again is new.
 */
import fs from 'node:fs';
import path from 'node:path';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { HUBSPOT_HOST, PIPEDRIVE_HOST, isSalesforceInstanceHost, startCrmStandIn, type CrmStandIn } from './crmStandIn';
import { signatureHeaders } from '../support/npsSenders';
import { finishedExecutions, postJson, useN8n, waitForExecutions, workflowFile } from './n8nServer';

const credentialFiles = ['hubspotAppToken', 'erasureHeaderAuth', 'npsWebhookSecret', 'pipedriveApiToken', 'salesforceOAuth2'].map((name) => path.join(__dirname, 'fixtures', `${name}.credentials.json`));
const [{ data: erasureKey }] = JSON.parse(fs.readFileSync(credentialFiles[1], 'utf8')) as Array<{ data: { name: string; value: string } }>;
const GDPR_DELETE_PATH = '/crm/objects/2026-09/contacts/gdpr-delete';

let hubspot: CrmStandIn;
beforeAll(async () => {
	// Pipedrive holds the person (a search for her address finds person 7001); HubSpot is told of her by the lead capture.
	hubspot = await startCrmStandIn({ people: ['maria.silva@gmail.com'] });
});
afterAll(() => hubspot?.stop());
const NPS = { id: 'revopsNpsToHubSpot', path: 'revops/nps-to-hubspot' };
const n8n = useN8n([
	workflowFile('lead-capture-to-hubspot.json'), workflowFile('nps-to-hubspot.json'), workflowFile('erasure-request-to-hubspot.json'), workflowFile('erasure-request-to-pipedrive.json'),
	workflowFile('erasure-request-to-salesforce.json'),
], {
	env: () => hubspot.env(),
	credentialFiles,
});
// Every call a template made is a current endpoint of the vendor API ledger (docs/vendor-api-ledger.json).
afterEach(() => expect(hubspot.ledgerViolations()).toEqual([]));

const MARIA = {
	'E-mail': 'Maria.Silva@Gmail.com',
	'First Name': 'Maria',
	'Last Name': 'Silva',
	Company: 'Quantum Leap Ltda',
	Phone: '(11) 98765-4321',
	Country: 'Brazil',
	'Job Title': 'CMO',
};
const ANA = { ...MARIA, 'E-mail': 'ana.lima@globex.com.br', 'First Name': 'Ana', 'Last Name': 'Lima', Company: 'Globex SA', Phone: '(11) 91234-5678' };
/** What must be gone from every store: the email in any spelling, the phone's digits, the name. */
const MARIA_TRACES = /maria|silva|98765-?4321|987654321/i;

/** An NPS response from the person, signed as a Standard Webhooks sender signs it; waits for its execution. */
async function postNpsResponse(body: Record<string, unknown>): Promise<void> {
	const text = JSON.stringify(body);
	const before = finishedExecutions(n8n(), NPS.id).length;
	const answer = await fetch(n8n().webhookUrl(NPS.path), {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...signatureHeaders('generic', text, { webhookId: `msg_${String(body.response_id)}` }) },
		body: text,
	});
	expect(answer.status).toBe(200);
	await waitForExecutions(n8n(), NPS.id, before + 1);
}

const postLead = (lead: object) => postJson(n8n(), 'revops/lead-to-hubspot', lead, [200, 422, 502]);

async function requestErasure(body: object, key = erasureKey.value, webhookPath = 'revops/erasure-request'): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(n8n().webhookUrl(webhookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json', [erasureKey.name]: key },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (![200, 422, 502, 403].includes(response.status)) throw new Error(`erasure webhook answered ${response.status}: ${text}\n${n8n().logs()}`);
	return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
}

/** Every row of every table of one of the pack's SQLite files in n8n's data folder, as text. */
function storeRows(file: string): string[] {
	const db = openSqlite(path.join(n8n().userFolder, '.n8n', file));
	try {
		const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
		return tables.flatMap(({ name }) => (db.prepare(`SELECT * FROM "${name}"`).all() as object[]).map((row) => `${name}: ${JSON.stringify(row)}`));
	} finally {
		db.close();
	}
}
const STORES = ['revops-dedupe.sqlite', 'revops-warehouse.sqlite', 'revops-dead-letters.sqlite'];

it('erases a captured person from every store and from HubSpot, audits it, and the same lead is new again', async () => {
	// Captured: an invalid submission first (kept as a dead letter), then the lead HubSpot takes; another person beside.
	expect((await postLead({ ...MARIA, Phone: '12' })).status).toBe(422);
	expect((await postLead(MARIA)).body).toMatchObject({ outcome: 'sent' });
	expect((await postLead(ANA)).body).toMatchObject({ outcome: 'sent' });
	// An NPS response from her, with her address in another spelling: HubSpot does not know it, so it is kept as a dead letter too.
	await postNpsResponse({ response_id: 'nps-maria-1', survey_date: '2026-03-14T09:30:00Z', nps_score: 9, email: 'MariaSilva+NPS@gmail.com', comment: 'Great support' });
	for (const store of STORES) expect(storeRows(store).filter((row) => MARIA_TRACES.test(row)).length).toBeGreaterThan(0);
	hubspot.reset();

	// A request with neither the right key nor an identifier changes nothing.
	expect((await requestErasure({ email: MARIA['E-mail'] }, 'wrong-key')).status).toBe(403);
	const nobody = await requestErasure({ note: 'no identifier' });
	expect(nobody).toEqual({ status: 422, body: { outcome: 'invalid', errors: [expect.objectContaining({ field: 'email', code: 'no_identifier' })] } });
	expect(hubspot.requests(HUBSPOT_HOST)).toEqual([]);

	const erased = await requestErasure({ email: '  MARIA.SILVA@gmail.com ', phone: '+55 11 98765-4321' });
	expect(erased.status).toBe(200);
	expect(erased.body).toEqual({
		outcome: 'erased',
		crm: { hubspot: 'deleted' },
		audit: {
			erasure_id: expect.any(String),
			subject_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
			requested_at: expect.any(String),
			removed: { dedupe_sqlite: 1, warehouse_leads: 1, warehouse_nps_responses: 1, dead_letters: 2 },
			total_removed: 5,
			audit_written: true,
		},
	});
	expect(hubspot.requests(HUBSPOT_HOST)).toEqual([
		expect.objectContaining({
			method: 'POST',
			path: GDPR_DELETE_PATH,
			headers: expect.objectContaining({ authorization: expect.stringMatching(/^Bearer pat-/) }),
			body: { idProperty: 'email', objectId: 'maria.silva@gmail.com' },
		}),
	]);

	// No store holds the person any more; the other person is untouched.
	for (const store of STORES) {
		const rows = storeRows(store);
		expect(rows.filter((row) => MARIA_TRACES.test(row))).toEqual([]);
		if (store !== 'revops-dead-letters.sqlite') expect(rows.some((row) => row.includes('ana.lima@globex.com.br'))).toBe(true);
	}
	const audit = storeRows('revops-warehouse.sqlite').filter((row) => row.startsWith('privacy_erasures:'));
	expect(audit).toEqual([expect.stringContaining(String((erased.body.audit as { erasure_id: string }).erasure_id))]);
	// Successful erasures are not kept in n8n's execution history (the template's workflow settings).
	expect(finishedExecutions(n8n(), 'revopsErasureToHubSpot').filter(({ status }) => status === 'success')).toEqual([]);

	// The same request again succeeds, removes nothing, and is audited with the same subject hash.
	const again = await requestErasure({ email: 'maria.silva@gmail.com' });
	expect(again.status).toBe(200);
	expect(again.body.audit).toMatchObject({ total_removed: 0, subject_hash: expect.any(String) });
	expect(storeRows('revops-warehouse.sqlite').filter((row) => row.startsWith('privacy_erasures:'))).toHaveLength(2);

	// Dedupe forgot the person: the same lead posted again is sent as new, not answered as a duplicate.
	hubspot.reset();
	expect((await postLead(MARIA)).body).toMatchObject({ outcome: 'sent' });
	expect(hubspot.requests(HUBSPOT_HOST).map(({ path: requestPath }) => requestPath)).toEqual([expect.stringMatching(/contacts\/batch\/upsert$/)]);
});

it('erases through the Pipedrive template: the person Pipedrive finds by email is deleted, an unknown one is reported not found', async () => {
	hubspot.reset();
	const erased = await requestErasure({ email: 'Maria.Silva@gmail.com' }, erasureKey.value, 'revops/erasure-request-pipedrive');
	expect(erased.status).toBe(200);
	expect(erased.body).toMatchObject({ outcome: 'erased', crm: { pipedrive: 'deleted' }, audit: { subject_hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
	expect(hubspot.requests(PIPEDRIVE_HOST).map(({ method, path: requestPath }) => `${method} ${requestPath.split('?')[0]}`)).toEqual([
		'GET /api/v2/persons/search',
		'DELETE /api/v2/persons/7001',
	]);
	expect(new URLSearchParams(hubspot.requests(PIPEDRIVE_HOST)[0].path.split('?')[1]).get('term')).toBe('maria.silva@gmail.com');

	hubspot.reset();
	const unknown = await requestErasure({ email: 'nobody@globex.com.br' }, erasureKey.value, 'revops/erasure-request-pipedrive');
	expect(unknown.body).toMatchObject({ outcome: 'erased', crm: { pipedrive: 'not_found' }, audit: { total_removed: 0 } });
	expect(hubspot.requests(PIPEDRIVE_HOST).map(({ method }) => method)).toEqual(['GET']);
});

it('erases through the Salesforce template: every Lead and Contact Salesforce finds by the email is deleted', async () => {
	hubspot.reset();
	const erased = await requestErasure({ email: 'Maria.Silva@gmail.com' }, erasureKey.value, 'revops/erasure-request-salesforce');
	expect(erased).toMatchObject({ status: 200, body: { outcome: 'erased', crm: { salesforce: { leads_deleted: 1, contacts_deleted: 1 } } } });
	const salesforce = hubspot.requests().filter(({ host }) => isSalesforceInstanceHost(host));
	expect(salesforce.map(({ method, path: requestPath }) => `${method} ${requestPath.replace(/\/v\d+\.\d+\//, '/v*/').split('?')[0]}`)).toEqual([
		'GET /services/data/v*/query',
		// The object in lower case: that is how n8n's own Salesforce node writes the delete URL.
		'DELETE /services/data/v*/sobjects/lead/0035e0000000007001',
		'GET /services/data/v*/query',
		'DELETE /services/data/v*/sobjects/contact/0035e0000000007001',
	]);
	expect(decodeURIComponent(salesforce[0].path)).toMatch(/FROM Lead WHERE Email = 'maria\.silva@gmail\.com'/);

	hubspot.reset();
	const unknown = await requestErasure({ email: 'nobody@globex.com.br' }, erasureKey.value, 'revops/erasure-request-salesforce');
	expect(unknown.body).toMatchObject({ outcome: 'erased', crm: { salesforce: { leads_deleted: 0, contacts_deleted: 0 } } });
	expect(hubspot.requests().filter(({ host }) => isSalesforceInstanceHost(host)).map(({ method }) => method)).toEqual(['GET', 'GET']);
});
