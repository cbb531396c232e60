/**
 * The editor as a marketing-ops user sees it: a real n8n 2.41.1 with the packed pack installed and every
 * template imported, driven in Debian's Chromium. Each node is added from the node picker and every
 * parameter a user must set is found visible and settable; NPS Trigger is switched to every provider; every
 * template opens with no node showing an issue badge. A failing check leaves a screenshot (see editorPage).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { openEditor } from '../../scripts/lib/browser';
import { startN8n, type N8nInstance } from '../../scripts/lib/n8n-instance';
import { packTarball, projectRoot } from '../../scripts/lib/pack';
import {
	addNodeFromPicker,
	choose,
	closePanel,
	fill,
	newWorkflow,
	nodesWithIssues,
	openNode,
	openWorkflow,
	optionsOf,
	parameter,
	seenBy,
	shownCredentialLabels,
	shownParameters,
	shownValue,
} from './editorPage';

const TEMPLATES = fs
	.readdirSync(path.join(projectRoot, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.sort();

let workDir: string;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-editor-'));
	const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
	const fixtures = path.join(projectRoot, 'test', 'e2e', 'fixtures');
	n8n = await startN8n({
		userFolder: path.join(workDir, 'home'),
		port: 0,
		tarball,
		workflowFiles: TEMPLATES.map((file) => path.join(projectRoot, 'workflows', file)),
		// the templates' credentials (fake secrets), so a missing credential is not what the badges show
		credentialFiles: fs
			.readdirSync(fixtures)
			.filter((file) => file.endsWith('.credentials.json'))
			.map((file) => path.join(fixtures, file)),
		activate: false,
	});
	const editor = await openEditor(n8n, { width: 1600, height: 1000 });
	browser = editor.browser;
	page = await editor.context.newPage();
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	fs.rmSync(workDir, { recursive: true, force: true });
});

async function expectVisible(names: string[]): Promise<void> {
	for (const name of names) await expect(parameter(page, name).isVisible()).resolves.toBe(true);
}

async function expectHidden(names: string[]): Promise<void> {
	for (const name of names) await expect(parameter(page, name).isVisible()).resolves.toBe(false);
}

describe('NPS Trigger', () => {
	const PROVIDERS = [
		'AskNicely',
		'Delighted',
		'Field Mapping (Any Sender)',
		'Generic JSON (Standard Webhooks)',
		'Qualtrics',
		'SatisMeter',
		'SurveyMonkey',
		'Survicate',
		'Tally',
		'Typeform',
		'Wootric (InMoment)',
	];

	it('added from the node picker, shows Path, Provider with every provider, and Authentication', async () => {
		await seenBy(page, 'nps-trigger-added', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'NPS Trigger');
			await expectVisible(['path', 'provider', 'authentication']);
			expect(await optionsOf(page, 'provider')).toEqual(PROVIDERS);
			await fill(page, 'path', 'nps/delighted');
			await choose(page, 'provider', 'Delighted');
			expect(await shownValue(page, 'provider')).toBe('Delighted');
			expect(await parameter(page, 'path').locator('input').inputValue()).toBe('nps/delighted');
			// the canvas names the provider under the node
			await closePanel(page);
			await expect(page.getByTestId('canvas-node').first().textContent()).resolves.toContain('Delighted');
		});
	});

	const SIGNED = ['None (Not Recommended)', 'Signature'];
	const UNSIGNED = ['Basic Auth', 'None', 'Shared Secret Header'];
	const SECRETS = 'Credential for NPS Webhook Secrets API';
	// What a user must be able to set for each provider: authentication choices, credentials, provider fields.
	const NEEDS: Record<string, { authentication: string[]; credentials: string[]; shown: string[]; hidden: string[] }> = {
		AskNicely: { authentication: UNSIGNED, credentials: [SECRETS], shown: ['authHeaderName'], hidden: ['npsQuestion', 'responseIdPath'] },
		Delighted: { authentication: SIGNED, credentials: [SECRETS], shown: [], hidden: ['npsQuestion', 'authHeaderName'] },
		'Field Mapping (Any Sender)': {
			authentication: UNSIGNED,
			credentials: [SECRETS],
			shown: ['authHeaderName', 'responseIdPath', 'npsScorePath'],
			hidden: ['npsQuestion'],
		},
		'Generic JSON (Standard Webhooks)': { authentication: SIGNED, credentials: [SECRETS], shown: [], hidden: ['npsQuestion', 'responseIdPath'] },
		Qualtrics: {
			authentication: SIGNED,
			credentials: ['Credential for NPS Qualtrics API', SECRETS],
			shown: ['npsQuestion', 'commentQuestion'],
			hidden: ['authHeaderName'],
		},
		SatisMeter: { authentication: UNSIGNED, credentials: [SECRETS], shown: ['authHeaderName'], hidden: ['npsQuestion'] },
		SurveyMonkey: {
			authentication: SIGNED,
			credentials: ['Credential for NPS SurveyMonkey API', SECRETS],
			shown: ['npsQuestion', 'commentQuestion'],
			hidden: ['authHeaderName'],
		},
		Survicate: { authentication: SIGNED, credentials: [SECRETS], shown: ['npsQuestion'], hidden: ['commentQuestion'] },
		Tally: { authentication: SIGNED, credentials: [SECRETS], shown: ['npsQuestion', 'commentQuestion'], hidden: [] },
		Typeform: { authentication: SIGNED, credentials: [SECRETS], shown: ['npsQuestion', 'commentQuestion'], hidden: ['responseIdPath'] },
		'Wootric (InMoment)': { authentication: SIGNED, credentials: [SECRETS], shown: [], hidden: ['npsQuestion'] },
	};

	it('shows, for each provider, the authentication, credentials and fields that provider needs', async () => {
		await newWorkflow(page, n8n.baseUrl);
		await addNodeFromPicker(page, 'NPS Trigger');
		for (const provider of PROVIDERS) {
			await seenBy(page, `nps-trigger-${provider}`, async () => {
				await choose(page, 'provider', provider);
				const needs = NEEDS[provider];
				expect({ provider, authentication: await optionsOf(page, 'authentication') }).toEqual({ provider, authentication: needs.authentication });
				expect({ provider, credentials: await shownCredentialLabels(page) }).toEqual({ provider, credentials: needs.credentials });
				await expectVisible(needs.shown);
				await expectHidden(needs.hidden);
			});
		}
		// an unsigned provider's header name goes away with shared-secret authentication
		await seenBy(page, 'nps-trigger-basic-auth', async () => {
			await choose(page, 'provider', 'SatisMeter');
			await choose(page, 'authentication', 'Basic Auth');
			await expectHidden(['authHeaderName']);
			expect(await shownCredentialLabels(page)).toEqual([SECRETS]);
			await choose(page, 'authentication', 'None');
			expect(await shownCredentialLabels(page)).toEqual([]);
		});
		// queue mode: the PostgreSQL redelivery check asks for the warehouse credential, n8n's store for none
		await seenBy(page, 'nps-trigger-redelivery-check', async () => {
			await expectVisible(['redeliveryStore']);
			await choose(page, 'redeliveryStore', 'PostgreSQL (Queue Mode)');
			expect(await shownCredentialLabels(page)).toEqual(['Credential for Warehouse PostgreSQL API']);
		});
	});
});

describe('the other nodes, added from the node picker', () => {
	it('Normalize Lead shows Record and Default Country', async () => {
		await seenBy(page, 'normalize-lead', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Normalize Lead');
			await expectVisible(['recordFrom', 'defaultCountry']);
			await fill(page, 'defaultCountry', 'BR');
			expect(await parameter(page, 'defaultCountry').locator('input').inputValue()).toBe('BR');
		});
	});

	it('Dedupe shows its operation, preset and record store', async () => {
		await seenBy(page, 'dedupe', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Dedupe', 'Match against previous executions');
			await expectVisible(['operation', 'preset', 'store', 'historyName']);
			expect(await optionsOf(page, 'store')).toEqual(expect.arrayContaining([expect.stringMatching(/SQLite/), expect.stringMatching(/PostgreSQL/)]));
			await choose(page, 'preset', 'People');
			expect(await shownValue(page, 'preset')).toBe('People');
			// the PostgreSQL store asks for the credential; no parameter holds a connection string with a password
			await choose(page, 'store', 'PostgreSQL');
			expect(await shownCredentialLabels(page)).toEqual(['Credential for Warehouse PostgreSQL API']);
			expect(await shownParameters(page)).not.toContain('postgresUrl');
		});
	});

	it('Dedupe Custom Rules offer every comparison, email with typos allowed among them', async () => {
		await seenBy(page, 'dedupe-custom-rules', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Dedupe', 'Find duplicates within input');
			await choose(page, 'preset', 'Custom Rules');
			const panel = page.getByTestId('ndv');
			await panel.getByRole('button', { name: 'Add Rule' }).click();
			await panel.getByRole('button', { name: 'Add Comparison' }).click();
			expect(await optionsOf(page, 'type')).toEqual([
				'Exact', 'Email', 'Email (Typos Allowed)', 'Company Email Domain', 'Phone', 'Person Name', 'Company', 'Text', 'Date', 'Number',
			]);
			await choose(page, 'type', 'Email (Typos Allowed)');
			expect(await shownValue(page, 'type')).toBe('Email (Typos Allowed)');
		});
	});

	it('Map to CRM Fields shows CRM, Records and Output', async () => {
		await seenBy(page, 'map-to-crm-fields', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Map to CRM Fields');
			await expectVisible(['crm', 'recordType', 'output']);
			await choose(page, 'crm', 'HubSpot');
			expect(await shownValue(page, 'crm')).toBe('HubSpot');
		});
	});

	it('Warehouse Insert shows Target and Table', async () => {
		await seenBy(page, 'warehouse-insert', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Warehouse Insert');
			await expectVisible(['target', 'tableKind']);
			await choose(page, 'target', 'PostgreSQL');
			expect(await shownValue(page, 'target')).toBe('PostgreSQL');
			expect(await shownCredentialLabels(page)).toEqual(['Credential for Warehouse PostgreSQL API']);
		});
	});

	it.each([
		['Normalize Lead', undefined],
		['Dedupe', 'Find duplicates within input'],
		['Map to CRM Fields', undefined],
		['Warehouse Insert', undefined],
		['Flow Health', 'Record the outcome of items'],
	])('%s has the same Record parameter as every node that reads records, with its field under One Field', async (nodeName, action) => {
		await seenBy(page, `record-${nodeName}`, async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, nodeName, action);
			expect(await shownValue(page, 'recordFrom')).toBe('Auto-Detect');
			expect(await optionsOf(page, 'recordFrom')).toEqual(['Auto-Detect', 'Whole Item', 'One Field']);
			await choose(page, 'recordFrom', 'One Field');
			await expectVisible(['recordField']);
		});
	});

	it('Dead Letter Queue shows its operation and store, and asks for a credential only for PostgreSQL', async () => {
		await seenBy(page, 'dead-letters', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Dead Letter Queue', 'Store failed items');
			await expectVisible(['operation', 'store']);
			expect(await shownValue(page, 'operation')).toBe('Store Failed Items');
			expect(await shownCredentialLabels(page)).toEqual([]);
			await choose(page, 'store', 'PostgreSQL');
			expect(await shownCredentialLabels(page)).toEqual(['Credential for Warehouse PostgreSQL API']);
			await choose(page, 'operation', 'Get Due for Replay');
			expect(await shownValue(page, 'operation')).toBe('Get Due for Replay');
		});
	});

	it('Flow Health shows what Record Outcome counts, the thresholds of Check Health, and a credential only for PostgreSQL', async () => {
		await seenBy(page, 'flow-health', async () => {
			await newWorkflow(page, n8n.baseUrl);
			await addNodeFromPicker(page, 'Flow Health', 'Record the outcome of items');
			await expectVisible(['operation', 'store', 'recordFrom', 'outcome', 'source', 'receivedAt']);
			expect(await shownValue(page, 'outcome')).toBe('Auto-Detect');
			expect(await shownCredentialLabels(page)).toEqual([]);
			await choose(page, 'operation', 'Check Health');
			await expectVisible(['lookbackHours', 'maxErrorRatePercent', 'minItems', 'silentAfterHours', 'knownSourcesDays', 'maxLatencyMinutes', 'workflowId']);
			await choose(page, 'store', 'PostgreSQL');
			expect(await shownCredentialLabels(page)).toEqual(['Credential for Warehouse PostgreSQL API']);
		});
	});
});

describe('the templates', () => {
	it.each(TEMPLATES)('%s opens with no node showing an issue', async (template) => {
		const { id } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'workflows', template), 'utf8')) as { id: string };
		await seenBy(page, `template-${template}`, async () => {
			await openWorkflow(page, n8n.baseUrl, id);
			expect(await nodesWithIssues(page)).toEqual([]);
		});
	});

	it("lead capture to Pipedrive's Find New Leads shows Copy From Match with the remembered person id", async () => {
		await seenBy(page, 'template-copy-from-match', async () => {
			await openWorkflow(page, n8n.baseUrl, 'revopsLeadToPipedrive');
			await openNode(page, 'Find New Leads');
			// the Options collection renders after the panel's first parameters
			await parameter(page, 'rememberUnique').waitFor();
			expect(await shownParameters(page)).toEqual(expect.arrayContaining(['copyFromMatch', 'holdNewRecords', 'idField', 'rememberUnique']));
			expect(await parameter(page, 'copyFromMatch').locator('input, textarea').first().inputValue()).toBe('pipedrive_person_id');
			await closePanel(page);
		});
	});

	it("an NPS template's trigger opens on its provider, with the provider's name on the canvas", async () => {
		await seenBy(page, 'template-nps-trigger', async () => {
			await openWorkflow(page, n8n.baseUrl, 'revopsNpsToHubSpot');
			await expect(page.locator('[data-test-id="canvas-node"][data-node-name="NPS Trigger"]').textContent()).resolves.toContain(
				'Generic JSON (Standard Webhooks)',
			);
			await openNode(page, 'NPS Trigger');
			expect(await shownValue(page, 'provider')).toBe('Generic JSON (Standard Webhooks)');
			expect(await shownValue(page, 'authentication')).toBe('Signature');
			await closePanel(page);
		});
	});
});
