'use strict';
/**
 * The n8n editor in a real browser: Debian's Chromium (installed with apt-get when missing) driven by
 * playwright-core, logged in as the instance's owner. Used by the editor tests and by the screenshots
 * script. Plain CommonJS so that the .mjs scripts and the jest tests can both load it.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const { progress } = require('./runtime.js');

const CHROMIUM = '/usr/bin/chromium';
// Headless and quiet: no GPU, no QUIC, no calls home (this machine's closed network refuses them, many
// at a time), no first-run or update machinery.
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** @param {string[]} args */
function aptGet(args) {
	return spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Installs Debian's chromium when /usr/bin/chromium is missing (a fresh machine: update the package lists first). */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	progress('installing Debian chromium (apt-get install -y chromium), once per machine');
	let install = aptGet(['install', '-y', '-q', 'chromium']);
	if (install.status !== 0) {
		aptGet(['update', '-q']);
		install = aptGet(['install', '-y', '-q', 'chromium']);
	}
	if (install.status !== 0 || !fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing and apt-get could not install it: run \`sudo apt-get install -y chromium\``);
	}
	return CHROMIUM;
}

/**
 * Starts headless Chromium and a browser context logged in to n8n as its owner.
 * @param {{ baseUrl: string, owner: { email: string, password: string } }} n8n
 * @param {{ width: number, height: number }} viewport
 */
async function openEditor(n8n, viewport) {
	const executablePath = ensureChromium();
	const { chromium, selectors } = require('playwright-core');
	// n8n's editor marks its elements with data-test-id (playwright's getByTestId reads data-testid by default).
	selectors.setTestIdAttribute('data-test-id');
	const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
	try {
		const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
		const login = await context.request.post(`${n8n.baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: n8n.owner.email, password: n8n.owner.password },
		});
		if (!login.ok()) throw new Error(`login as ${n8n.owner.email} failed: ${login.status()} ${await login.text()}`);
		return { browser, context };
	} catch (error) {
		await browser.close();
		throw error;
	}
}

module.exports = { ensureChromium, openEditor };
