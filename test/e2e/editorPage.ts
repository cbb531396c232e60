/**
 * The n8n 2.41 editor as a person uses it, for the editor tests: add a node from the node picker, read
 * and set the parameters its panel shows, open a workflow and read the issue badges of its nodes.
 * Selectors are the editor's own data-test-id marks (the ones n8n's own Playwright tests use).
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

const CANVAS_TIMEOUT_MS = 60_000;

/** Where a failing editor test leaves its screenshot: REVOPS_ARTIFACTS, else test-results/editor. */
export function artifactsDir(): string {
	const dir = process.env.REVOPS_ARTIFACTS ?? path.join(__dirname, '..', '..', 'test-results', 'editor');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** Runs a check on the page; when it fails, a screenshot of what the user saw is saved and named in the error. */
export async function seenBy<T>(page: Page, name: string, check: () => Promise<T>): Promise<T> {
	return check().catch(async (error: unknown) => {
		const picture = path.join(artifactsDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
		await page.screenshot({ path: picture, fullPage: true }).catch(() => undefined);
		if (error instanceof Error) error.message += `\nscreenshot: ${picture}`;
		return Promise.reject(error);
	});
}

export function parameter(page: Page, name: string): Locator {
	return page.getByTestId('ndv').getByTestId(`parameter-input-${name}`).first();
}

/** The texts of the options a dropdown parameter offers, as its list shows them. */
export async function optionsOf(page: Page, name: string): Promise<string[]> {
	await parameter(page, name).click();
	const list = page.locator('.el-select-dropdown:visible, .el-popper:visible').last();
	await list.getByRole('option').first().waitFor();
	const texts = await list.getByRole('option').evaluateAll((options) =>
		options.map((option) => (option.querySelector('.option-headline, span')?.textContent ?? option.textContent ?? '').trim()),
	);
	await page.keyboard.press('Escape');
	await list.waitFor({ state: 'hidden' });
	return texts;
}

export async function choose(page: Page, name: string, optionText: string): Promise<void> {
	await parameter(page, name).click();
	const list = page.locator('.el-select-dropdown:visible, .el-popper:visible').last();
	await list.getByRole('option', { name: optionText }).first().click();
	await list.waitFor({ state: 'hidden' });
}

/** The value a dropdown parameter shows. */
export async function shownValue(page: Page, name: string): Promise<string> {
	return parameter(page, name).locator('input').first().inputValue();
}

export async function fill(page: Page, name: string, value: string): Promise<void> {
	const input = parameter(page, name).locator('input, textarea').first();
	await input.fill(value);
	await input.blur();
}

/** The names of the parameters the open panel shows, in order. */
export async function shownParameters(page: Page): Promise<string[]> {
	const ids = await page
		.getByTestId('ndv')
		.locator('[data-test-id^="parameter-input-"]')
		.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-test-id') ?? ''));
	return [...new Set(ids.map((id) => id.slice('parameter-input-'.length)))];
}

/** The credential pickers the open panel shows, by their label ("Credential for <type>"). */
export async function shownCredentialLabels(page: Page): Promise<string[]> {
	const labels = await page.getByTestId('ndv').getByText(/^Credential for /).allTextContents();
	return labels.map((label) => label.trim()).sort();
}

/** A new, empty workflow. */
export async function newWorkflow(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByText('Add first step').waitFor({ timeout: CANVAS_TIMEOUT_MS });
}

/**
 * Adds a node as a person does: the canvas's + button, the node picker's search, the community node's
 * details, then the action (a node with operations lists them) or "Add to workflow"; the editor then
 * opens the node's panel.
 */
export async function addNodeFromPicker(page: Page, displayName: string, action?: string): Promise<void> {
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill(displayName);
	const picker = page.getByTestId('node-creator');
	await picker.getByText(displayName, { exact: true }).first().click();
	if (action) await picker.getByText(action, { exact: true }).click();
	else await page.getByRole('button', { name: 'Add to workflow' }).click();
	await page.getByTestId('ndv').waitFor();
	await parameter(page, 'notes').waitFor({ state: 'attached' });
}

/** Opens a saved workflow and waits for its nodes on the canvas. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.getByTestId('canvas-node').first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
	await page.waitForLoadState('networkidle');
}

/** Names of the canvas nodes that show an issue badge (a missing parameter, credential, ...). */
export async function nodesWithIssues(page: Page): Promise<string[]> {
	return page
		.locator('[data-test-id="canvas-node"]:has([data-test-id="node-issues"])')
		.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name') ?? '?'));
}

export async function openNode(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	await page.getByTestId('ndv').waitFor();
}

export async function closePanel(page: Page): Promise<void> {
	// n8n 2.x's panel is a dialog with a close button (older editors: a "back to canvas" one)
	await page.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first().click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}
