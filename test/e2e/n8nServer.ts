/**
 * Shared setup of the end-to-end tests: the packed pack installed into a real n8n 2.41.1 with
 * fresh user folder, the given workflows imported and published, and a way to post to them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { startN8n, type N8nInstance } from '../../scripts/lib/n8n-instance';
import { packTarball, projectRoot } from '../../scripts/lib/pack';
import { cacheDir } from '../../scripts/lib/runtime';

export function workflowFile(name: string): string {
	return path.join(projectRoot, 'workflows', name);
}

export interface UseN8nOptions {
	/** extra environment, read when n8n starts (after the file's earlier beforeAll hooks, e.g. a CRM stand-in) */
	env?: () => Record<string, string>;
	/** n8n credential export files to import (fake secrets) */
	credentialFiles?: string[];
}

/** Starts n8n before the file's tests and stops it after; the returned getter gives the running instance. */
export function useN8n(workflowFiles: string[], options: UseN8nOptions = {}): () => N8nInstance {
	let workDir: string;
	let n8n: N8nInstance | undefined;
	beforeAll(async () => {
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-e2e-'));
		// `npm run test:e2e` has just built dist/ and says so; run directly, the test builds it itself.
		const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
		n8n = await startN8n({
			userFolder: path.join(workDir, 'home'),
			port: 0,
			tarball,
			workflowFiles,
			activate: true,
			env: options.env?.(),
			credentialFiles: options.credentialFiles,
		});
	});
	afterAll(async () => {
		await n8n?.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
	});
	return () => {
		if (!n8n) throw new Error('n8n did not start (see the beforeAll failure above)');
		return n8n;
	};
}

/** Node type names n8n loaded, as it writes them to the user folder at start. */
export function loadedNodeTypes(n8n: N8nInstance): string[] {
	const nodesJson = path.join(n8n.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	return (JSON.parse(fs.readFileSync(nodesJson, 'utf8')) as Array<{ name: string }>).map(({ name }) => name);
}

/**
 * POSTs JSON to a production webhook. A status outside `expectedStatuses` is n8n's own answer (404 not
 * registered, 500 workflow error), so it fails with the n8n log tail.
 */
export async function postJson(
	n8n: N8nInstance,
	webhookPath: string,
	body: unknown,
	expectedStatuses = [200, 422],
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(n8n.webhookUrl(webhookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (!expectedStatuses.includes(response.status)) {
		throw new Error(`webhook answered ${response.status}: ${text}\nn8n log tail:\n${n8n.logs()}`);
	}
	return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
}

export interface OutputItem {
	json: Record<string, unknown>;
}

/** A finished execution of a workflow, as n8n saved it: its status and what each node output. */
export interface FinishedExecution {
	id: number;
	status: string;
	/** node name -> one entry per run of the node -> items per output (null when an output got nothing) */
	runData: Record<string, Array<{ data?: { main: Array<OutputItem[] | null> } }>>;
}

/** The items a node put on one output in its first run, or undefined when the node did not run. */
export function nodeOutput(execution: FinishedExecution, nodeName: string, outputIndex = 0): OutputItem[] | undefined {
	const run = execution.runData[nodeName]?.[0];
	return run ? (run.data?.main[outputIndex] ?? []) : undefined;
}

/**
 * The finished executions of a workflow, oldest first, read from n8n's SQLite database (WAL mode, so
 * reading while n8n runs is safe). n8n stores execution data in the flatted format, parsed here with the
 * flatted package of the cached n8n itself.
 */
export function finishedExecutions(n8n: N8nInstance, workflowId: string): FinishedExecution[] {
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
	const flatted = createRequire(path.join(cacheDir(), 'n8n', 'node_modules', 'n8n', 'package.json'))('flatted') as {
		parse(text: string): { resultData: { runData: FinishedExecution['runData'] } };
	};
	const db = new DatabaseSync(path.join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true, timeout: 5000 });
	try {
		const rows = db
			.prepare(
				`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
				WHERE e.workflowId = ? AND e.stoppedAt IS NOT NULL ORDER BY e.id`,
			)
			.all(workflowId) as Array<{ id: number; status: string; data: string }>;
		return rows.map(({ id, status, data }) => ({ id, status, runData: flatted.parse(data).resultData.runData }));
	} finally {
		db.close();
	}
}

/**
 * Waits until a workflow has `count` finished executions and returns them; then waits `settleMs` more and
 * checks no further one appeared (a wrongly started extra execution would show up within that time).
 */
export async function waitForExecutions(
	n8n: N8nInstance,
	workflowId: string,
	count: number,
	{ timeoutMs = 30_000, settleMs = 1500 } = {},
): Promise<FinishedExecution[]> {
	const deadline = Date.now() + timeoutMs;
	let executions = finishedExecutions(n8n, workflowId);
	while (executions.length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		executions = finishedExecutions(n8n, workflowId);
	}
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	executions = finishedExecutions(n8n, workflowId);
	if (executions.length !== count) {
		throw new Error(`expected ${count} finished executions of ${workflowId}, found ${executions.length}\nn8n log tail:\n${n8n.logs()}`);
	}
	return executions;
}

/**
 * Waits until no execution of a workflow is still running: what an execution does after its webhook answered
 * (a returning lead's update, the marketing steps) has then happened. n8n writes the execution row when the
 * execution starts, so a post that was answered is already counted.
 */
export async function waitForIdle(n8n: N8nInstance, workflowId: string, { timeoutMs = 30_000 } = {}): Promise<void> {
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
	const running = () => {
		const db = new DatabaseSync(path.join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true, timeout: 5000 });
		try {
			const row = db.prepare('SELECT count(*) AS running FROM execution_entity WHERE workflowId = ? AND stoppedAt IS NULL').get(workflowId) as { running: number };
			return row.running;
		} finally {
			db.close();
		}
	};
	const deadline = Date.now() + timeoutMs;
	while (running() > 0) {
		if (Date.now() > deadline) throw new Error(`executions of ${workflowId} still running after ${timeoutMs} ms\nn8n log tail:\n${n8n.logs()}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/**
 * The custom data an execution saved (n8n's Execution Data node): what the Executions list shows and filters
 * by. Read from n8n's SQLite database.
 */
export function executionCustomData(n8n: N8nInstance, executionId: number): Record<string, string> {
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
	const db = new DatabaseSync(path.join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true, timeout: 5000 });
	try {
		const rows = db.prepare('SELECT key, value FROM execution_metadata WHERE executionId = ? ORDER BY id').all(executionId) as Array<{ key: string; value: string }>;
		return Object.fromEntries(rows.map(({ key, value }) => [key, value]));
	} finally {
		db.close();
	}
}

export interface DeadLetterRow {
	id: number;
	step: string;
	item_key: string;
	status: string;
	attempts: number;
	reason: string;
	resolution: string | null;
}

/**
 * What the templates' Dead Letter Queue nodes kept for these item keys (emails, response ids), oldest first:
 * read from the embedded SQLite store in n8n's folder, as a person would with *List*.
 */
export function deadLetterEntries(n8n: N8nInstance, itemKeys: string[]): DeadLetterRow[] {
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
	const file = path.join(n8n.userFolder, '.n8n', 'revops-dead-letters.sqlite');
	// the store is created with its first entry
	if (!fs.existsSync(file)) return [];
	const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
	try {
		const marks = itemKeys.map(() => '?').join(', ');
		const sql = `SELECT id, step, item_key, status, attempts, reason, resolution FROM revops_dead_letters WHERE item_key IN (${marks}) ORDER BY id`;
		return db.prepare(sql).all(...itemKeys) as unknown as DeadLetterRow[];
	} finally {
		db.close();
	}
}

export interface FlowMetricsRow {
	execution_id: string;
	source: string;
	outcome: string;
	error_type: string | null;
	latency_ms: number | null;
}

/** What the templates' Flow Health → Record Outcome nodes counted in these executions, in order: the embedded SQLite store in n8n's folder. */
export function flowMetrics(n8n: N8nInstance, executionIds: Array<number | string>): FlowMetricsRow[] {
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
	const file = path.join(n8n.userFolder, '.n8n', 'revops-metrics.sqlite');
	if (!fs.existsSync(file)) return [];
	const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
	try {
		const ids = executionIds.map(String);
		const sql = `SELECT execution_id, source, outcome, error_type, latency_ms FROM revops_flow_metrics WHERE execution_id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`;
		return db.prepare(sql).all(...ids) as unknown as FlowMetricsRow[];
	} finally {
		db.close();
	}
}
