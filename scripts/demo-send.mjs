// `npm run demo:send`: posts a realistic mix of leads and NPS responses (some duplicate, some invalid, one
// redelivered, one badly signed) to the template webhooks of the n8n `npm start` runs, then prints what came
// out where: each webhook's answer, what each CRM received, and the rows in the embedded SQLite warehouse.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const runtime = require('./lib/runtime.js');
const { demoStateFile, devUserFolder } = require('./lib/demo.js');

// The warehouse is read with node:sqlite, which Node 20 lacks: run again on the Node 24 n8n runs on.
if (Number(process.versions.node.split('.')[0]) < 24) {
	const result = spawnSync(runtime.ensureNode24(), [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
	process.exit(result.status ?? 1);
}
const { DatabaseSync } = await import('node:sqlite');

const userFolder = devUserFolder();
const stateFile = demoStateFile(userFolder);
if (!fs.existsSync(stateFile)) {
	console.error('No demo n8n is running: start it with `npm start` (in another terminal), then run `npm run demo:send`.');
	process.exit(1);
}
/** @type {{ baseUrl: string, crmStandIn: string | null, npsSecret: string | null, webhooks: Array<{ method: string, url: string, workflowName: string }> }} */
const demo = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
const webhookUrls = (prefix) =>
	demo.webhooks.filter(({ method, url }) => method === 'POST' && new URL(url).pathname.startsWith(`/webhook/${prefix}`)).map(({ url }) => url);

// Leads as forms, ad platforms and event scanners send them; each goes to every lead-capture template.
const LEADS = [
	{ what: 'web form lead', body: { 'E-mail': ' Jane.Doe@Acme.io ', 'First Name': 'jane', 'Last Name': 'DOE', Company: 'Acme Inc.', Phone: '(212) 736-5000', Country: 'United States', utm_source: 'linkedin' } },
	{ what: 'Portuguese form lead', body: { email: ' Ana.Souza@Example.COM ', telefone: '(11) 98765-4321', nome: 'ana souza', empresa: 'Acme Ltda.', pais: 'Brasil', utm_source: 'google' } },
	{ what: 'ad platform lead', body: { full_name: 'Tom Becker', email: 'tom.becker@example.de', phone_number: '030 1234567', company_name: 'Becker GmbH', country: 'Deutschland', utm_source: 'facebook', utm_medium: 'paid_social' } },
	{ what: 'the web form lead again (resubmitted)', body: { email: 'JANE.DOE@acme.io', first_name: 'Jane', last_name: 'Doe', company: 'Acme' } },
	{ what: 'the same person from another address, same phone', body: { email: 'jdoe@gmail.com', first_name: 'Jane', last_name: 'Doe', phone: '+1 212 736 5000', company: 'Acme Inc' } },
	{ what: 'a lead with a broken email and no phone', body: { email: 'li.wei(at)example', first_name: 'Li', last_name: 'Wei' } },
];

// NPS responses from the survey tool, signed as a Standard Webhooks sender signs them. Ids carry this run's
// stamp so each run's responses are new; one is delivered twice, as senders retry.
const run = Date.now().toString(36);
const NPS = [
	{ what: 'promoter, a customer', body: { nps_score: 10, email: 'ana.souza@example.com', comment: 'Onboarding was fast and the support team is great', themes: ['onboarding', 'support'] } },
	{ what: 'passive, a customer', body: { nps_score: 8, email: 'jane.doe@acme.io', comment: 'Good, reports could be quicker', themes: ['performance'] } },
	{ what: 'detractor, a customer', body: { nps_score: 3, email: 'li.wei@example.cn', comment: 'Billing is confusing and I was charged twice', themes: ['billing'] } },
	{ what: 'promoter the CRM does not know', body: { nps_score: 9, email: 'newcomer@example.org', comment: 'Love it' } },
	{ what: 'the first response again (sender retry)', repeatOf: 0 },
	{ what: 'a score out of range', body: { nps_score: 11, email: 'tom.becker@example.de' } },
	{ what: 'a delivery signed with the wrong secret', body: { nps_score: 0, email: 'mallory@example.com' }, wrongSecret: true },
];

function signedHeaders(secret, id, text) {
	const timestamp = String(Math.floor(Date.now() / 1000));
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${text}`).digest('base64');
	return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

async function post(url, text, headers = {}) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
	const answer = await response.text();
	let summary = answer;
	try {
		const body = JSON.parse(answer);
		summary = body.outcome ?? body.error ?? (body.received ? `received ${body.response_id}` : answer);
		if (body.message) summary += `: ${body.message}`;
		if (Array.isArray(body.errors)) summary += `: ${body.errors.map((error) => error.message ?? JSON.stringify(error)).join('; ')}`;
	} catch {
		// not JSON: print it as it is
	}
	return `${response.status} ${String(summary).slice(0, 140)}`;
}

const shortPath = (url) => new URL(url).pathname.replace(/^\/webhook\//, '');

console.log(`Sending to ${demo.baseUrl} (${demo.crmStandIn ? 'CRMs played by the local stand-in' : 'your real CRMs'})\n`);
const leadUrls = webhookUrls('revops/lead-to-');
for (const url of leadUrls) {
	console.log(`Leads -> ${shortPath(url)}`);
	for (const lead of LEADS) console.log(`  ${lead.what.padEnd(50)} ${await post(url, JSON.stringify(lead.body))}`);
}
const npsUrls = webhookUrls('revops/nps-to-');
if (npsUrls.length > 0 && !demo.npsSecret) console.log('\n(NPS responses skipped: the NPS webhook secret of the demo is unknown; npm start imports it)');
for (const url of demo.npsSecret ? npsUrls : []) {
	console.log(`\nNPS responses -> ${shortPath(url)}`);
	const sent = [];
	for (const [index, response] of NPS.entries()) {
		const earlier = response.repeatOf === undefined ? undefined : sent[response.repeatOf];
		const id = earlier?.id ?? `demo-${run}-${shortPath(url).split('/').pop()}-${index + 1}`;
		const text = earlier?.text ?? JSON.stringify({ response_id: id, survey_date: new Date().toISOString(), ...response.body });
		sent.push({ id, text });
		const secret = response.wrongSecret ? `whsec_${Buffer.from('not the secret').toString('base64')}` : demo.npsSecret;
		console.log(`  ${response.what.padEnd(50)} ${await post(url, text, signedHeaders(secret, `msg_${id}`, text))}`);
	}
}

// NPS executions run after the trigger has answered: wait until the warehouse stops growing.
const warehouseFile = path.join(userFolder, '.n8n', 'revops-warehouse.sqlite');
function warehouseRows() {
	if (!fs.existsSync(warehouseFile)) return {};
	const database = new DatabaseSync(warehouseFile, { readOnly: true });
	try {
		const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map(({ name }) => name);
		return Object.fromEntries(tables.map((table) => [table, database.prepare(`SELECT * FROM "${table}" ORDER BY rowid DESC LIMIT 200`).all()]));
	} finally {
		database.close();
	}
}
let previous = '';
for (let attempt = 0; attempt < 20; attempt++) {
	await new Promise((resolve) => setTimeout(resolve, 750));
	const counts = JSON.stringify(Object.entries(warehouseRows()).map(([table, rows]) => [table, rows.length]));
	if (counts === previous) break;
	previous = counts;
}

if (demo.crmStandIn) {
	/** @type {Array<{ method: string, host: string, path: string }>} */
	const requests = await (await fetch(`${demo.crmStandIn}/requests`)).json();
	const calls = new Map();
	// Only the CRMs: n8n itself also calls home through the proxy.
	for (const { method, host, path: requestPath } of requests.filter(({ host }) => /hubapi\.com|salesforce\.com|pipedrive\.com/.test(host))) {
		const key = `${host.padEnd(34)} ${method.padEnd(6)} ${requestPath.split('?')[0]}`;
		calls.set(key, (calls.get(key) ?? 0) + 1);
	}
	console.log('\nWhat the CRMs received since npm start:');
	for (const [call, count] of [...calls].sort()) console.log(`  ${String(count).padStart(3)} x ${call}`);
}

console.log(`\nRows in the warehouse (${warehouseFile}):`);
const tables = warehouseRows();
for (const [table, rows] of Object.entries(tables)) {
	console.log(`  ${table}: ${rows.length}${rows.length === 200 ? '+' : ''} rows; newest:`);
	for (const row of rows.slice(0, 5)) {
		const shown = table === 'nps_responses' ? [row.response_id, row.email, row.nps_score, row.nps_segment] : [row.email, row.first_name, row.last_name, row.company, row.country, row.phone];
		console.log(`    ${shown.map((value) => value ?? '-').join(' | ')}`);
	}
}
if (Object.keys(tables).length === 0) console.log('  (none yet)');
console.log(`\nOpen ${demo.baseUrl}/home/executions to see each execution and the branch it took.`);
