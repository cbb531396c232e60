// `npm start`: a local n8n 2.41.1 with this pack installed as a community package (freshly built and
// packed) and every workflows/*.json imported and published. Works from a fresh clone: it installs the
// project's dependencies, Node 24 and n8n into the cache first. Keeps its data between runs in
// ~/.cache/n8n-nodes-revops/dev-n8n (scripts/lib/demo.js); delete that folder to start over. Ctrl-C stops n8n.
//
// Unless started with --real-crm, n8n's calls to HubSpot, Salesforce and Pipedrive go to a local CRM
// stand-in (the one the end-to-end tests use) holding a few demo customers, and the templates get demo
// credentials with fake secrets, so `npm run demo:send` shows every template working with nothing leaving
// the machine.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const runtime = require('./lib/runtime.js');
const { packTarball, projectRoot } = require('./lib/pack.js');
const { firstFreePort, startN8n, startedByHand, N8N_FILES_FOLDER } = require('./lib/n8n-instance.js');
const { DEMO_CUSTOMERS, demoStateFile, devUserFolder } = require('./lib/demo.js');

const realCrm = process.argv.includes('--real-crm');
const userFolder = devUserFolder();
const demoCredentialsDir = path.join(projectRoot, 'test', 'e2e', 'fixtures');
// Imported once: a credential the user has since edited in n8n (a real token) is not overwritten.
const demoCredentialsMarker = path.join(userFolder, 'revops-demo-credentials-imported');

// What to send each known webhook in the printed curl examples (keyed by webhook path).
const FORM_LEAD = {
	email: ' Ana.Souza@Example.COM ',
	telefone: '(11) 98765-4321',
	nome: 'ana souza',
	empresa: 'Acme Ltda.',
	pais: 'Brasil',
	utm_source: 'google',
};
const SAMPLE_BODIES = {
	'revops/normalize-lead': FORM_LEAD,
	'revops/dedupe-lead': FORM_LEAD,
	'revops/dedupe-key': FORM_LEAD,
	'revops/lead-to-hubspot': FORM_LEAD,
	'revops/lead-to-salesforce': FORM_LEAD,
	'revops/lead-to-pipedrive': FORM_LEAD,
	'revops/map-to-crm': {
		email: 'ana.souza@example.com',
		first_name: 'Ana',
		last_name: 'Souza',
		company: 'Acme Ltda.',
		country: 'BR',
		phone: '+5511987654321',
	},
	'revops/warehouse-nps': {
		response_id: 'demo-1',
		provider: 'generic',
		survey_id: 'nps-2026',
		identity_key: 'ana.souza@example.com',
		identity_type: 'email',
		email: 'ana.souza@example.com',
		customer_id: null,
		survey_date: '2026-11-20T12:00:00Z',
		nps_score: 9,
		nps_segment: 'promoter',
		comment: 'Great onboarding',
		themes: ['onboarding'],
		properties: { plan: 'pro' },
		received_at: '2026-11-20T12:00:05Z',
		is_update: false,
	},
};

/** Says what went wrong and how to fix it, without a stack trace, and exits. @param {string} message */
function fail(message) {
	console.error(`npm start: ${message}`);
	process.exit(1);
}

const DEFAULT_PORT = 5678;
const PORTS_TRIED = 20;

/**
 * The editor's port, chosen before the minutes of installing and building: N8N_PORT when set (a busy one
 * is an error saying so), else 5678 or the next free port after it (another n8n often holds 5678).
 * @returns {Promise<number>}
 */
async function choosePort() {
	const asked = process.env.N8N_PORT;
	if (asked) {
		const port = Number(asked);
		if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`N8N_PORT=${asked} is not a port number (1-65535)`);
		if ((await firstFreePort(port, 1)) === undefined) {
			fail(`port ${port} (N8N_PORT) is already in use: stop what holds it, or pick another, e.g. N8N_PORT=${port + 1} npm start`);
		}
		return port;
	}
	const port = await firstFreePort(DEFAULT_PORT, PORTS_TRIED);
	if (port === undefined) {
		fail(`ports ${DEFAULT_PORT}-${DEFAULT_PORT + PORTS_TRIED - 1} are all in use: pick a free one, e.g. N8N_PORT=15678 npm start`);
	}
	if (port !== DEFAULT_PORT) {
		runtime.progress(`port ${DEFAULT_PORT} is in use (another n8n?): using ${port}. N8N_PORT=<port> npm start chooses one.`);
	}
	return port;
}

const port = await choosePort();
runtime.ensureProjectDeps(projectRoot);
runtime.ensureNode24();
runtime.ensureN8n();

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-pack-'));
const workflowsDir = path.join(projectRoot, 'workflows');
const workflowFiles = fs
	.readdirSync(workflowsDir)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => path.join(workflowsDir, file));
// The backfill templates read their CSV from .n8n-files/revops/ (relative to n8n's working folder, the user
// folder here): the samples go there, unless a file of the user's is already in their place.
const backfillDir = path.join(userFolder, N8N_FILES_FOLDER, 'revops');
fs.mkdirSync(backfillDir, { recursive: true });
for (const sample of fs.readdirSync(path.join(workflowsDir, 'samples'))) {
	const target = path.join(backfillDir, sample);
	if (!fs.existsSync(target)) fs.copyFileSync(path.join(workflowsDir, 'samples', sample), target);
}
const byHand = workflowFiles
	.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')))
	.filter((workflow) => startedByHand(workflow));

/**
 * Starts the CRM stand-in, and a local address that tells `npm run demo:send` what it received.
 * @returns {Promise<{ env: Record<string, string>, controlUrl: string, stop: () => Promise<void> }>}
 */
async function startDemoCrm() {
	const esbuild = require(path.join(projectRoot, 'node_modules', 'esbuild'));
	const bundled = path.join(projectRoot, '.cache', 'demo', 'crmStandIn.cjs');
	esbuild.buildSync({
		entryPoints: [path.join(projectRoot, 'test', 'e2e', 'crmStandIn.ts')],
		outfile: bundled,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		packages: 'external',
		logLevel: 'warning',
	});
	const standIn = await require(bundled).startCrmStandIn({ people: DEMO_CUSTOMERS });
	const control = http.createServer((request, response) => {
		const found = request.method === 'GET' && request.url === '/requests';
		response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
		response.end(JSON.stringify(found ? standIn.requests().map(({ method, host, path: requestPath }) => ({ method, host, path: requestPath })) : { error: 'GET /requests' }));
	});
	await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
	return {
		env: standIn.env(),
		controlUrl: `http://127.0.0.1:${control.address().port}`,
		stop: async () => {
			control.close();
			await standIn.stop();
		},
	};
}

const demoCredentialFiles = fs
	.readdirSync(demoCredentialsDir)
	.filter((file) => file.endsWith('.credentials.json'))
	.map((file) => path.join(demoCredentialsDir, file));
const importDemoCredentials = !realCrm && !fs.existsSync(demoCredentialsMarker);
const demoCrm = realCrm ? undefined : await startDemoCrm();
let n8n;
try {
	const tarball = packTarball({ destination: packDir });
	runtime.progress(`starting n8n with ${path.basename(tarball)} and ${workflowFiles.length} workflow(s)`);
	n8n = await startN8n({
		userFolder,
		port,
		tarball,
		workflowFiles,
		activate: true,
		env: demoCrm?.env,
		credentialFiles: importDemoCredentials ? demoCredentialFiles : undefined,
	});
	if (importDemoCredentials) fs.writeFileSync(demoCredentialsMarker, `${new Date().toISOString()}\n`);
} catch (error) {
	await demoCrm?.stop();
	fs.rmSync(packDir, { recursive: true, force: true });
	// n8n's own log says more; a stack trace of this script would not.
	fail(error.message);
} finally {
	fs.rmSync(packDir, { recursive: true, force: true });
}

// The secret demo:send signs NPS deliveries with: the demo credential's, while it is the one in use.
const npsSecret = realCrm
	? null
	: JSON.parse(fs.readFileSync(path.join(demoCredentialsDir, 'npsWebhookSecret.credentials.json'), 'utf8'))[0].data.secret;
fs.writeFileSync(
	demoStateFile(userFolder),
	JSON.stringify({ baseUrl: n8n.baseUrl, crmStandIn: demoCrm?.controlUrl ?? null, npsSecret, webhooks: n8n.productionWebhooks() }, null, 2),
);

const webhookLines = n8n
	.productionWebhooks()
	.map((webhook) => `  ${webhook.method.padEnd(6)} ${webhook.url}    (${webhook.workflowName})`);
const curlExamples = n8n
	.productionWebhooks()
	.filter((webhook) => webhook.method === 'POST')
	.map((webhook) => {
		const body = SAMPLE_BODIES[new URL(webhook.url).pathname.replace(/^\/webhook\//, '')];
		return body && `  curl -sS -X POST '${webhook.url}' -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
	})
	.filter(Boolean);
console.log(`
n8n is running with n8n-nodes-revops installed.

Editor:    ${n8n.baseUrl}
Login:     ${n8n.owner.email} / ${n8n.owner.password}  (if you did not change it in an earlier run)
n8n log:   ${n8n.logFile}

Production webhooks:
${webhookLines.join('\n') || '  (none: no active workflow has a webhook)'}
${curlExamples.length ? `\nTry:\n${curlExamples.join('\n')}\n` : ''}
Run by hand (open it, then Execute workflow; the sample CSVs are in ${backfillDir}):
${byHand.map((workflow) => `  ${n8n.baseUrl}/workflow/${workflow.id}    (${workflow.name})`).join('\n') || '  (none)'}

${
	realCrm
		? 'CRM calls go to the real HubSpot, Salesforce and Pipedrive with the credentials you set in n8n.'
		: `CRM calls (HubSpot, Salesforce, Pipedrive) go to a local stand-in: nothing leaves this machine.
The NPS webhooks check signatures: \`npm run demo:send\` (in another terminal) posts signed responses and
leads to every template and prints what came out where. \`npm start -- --real-crm\` reaches the real CRMs.`
}

Press Ctrl-C to stop.`);

let stopping = false;
// n8n gets a terminal's Ctrl-C itself too; waiting for it here keeps the prompt from returning early.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, async () => {
		if (stopping) return;
		stopping = true;
		runtime.progress('stopping n8n');
		fs.rmSync(demoStateFile(userFolder), { force: true });
		await n8n.stop();
		await demoCrm?.stop();
		process.exit(0);
	});
}
n8n.exited.then(async (reason) => {
	if (stopping) return;
	fs.rmSync(demoStateFile(userFolder), { force: true });
	await demoCrm?.stop();
	console.error(`n8n stopped on its own (${reason}); its log: ${n8n.logFile}\n${n8n.logs()}`);
	process.exit(1);
});
