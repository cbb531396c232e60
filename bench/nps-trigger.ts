/**
 * NPS Trigger through a real n8n 2.41.1 server, side by side with n8n's own Webhook node in the
 * same server and run: 50 concurrent connections on loopback (autocannon) post the same Typeform
 * payload to both. Each NPS delivery is a distinct response (event id and token vary), signed as
 * Typeform signs it, so every request goes through signature check, parsing, validation and the
 * processed-data lookup and starts an execution, as every request to the plain Webhook node does.
 */
import autocannon from 'autocannon';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startN8n } from '../scripts/lib/n8n-instance';
import { packTarball } from '../scripts/lib/pack';
import { TEST_SECRETS, fixtureJson, withChanges } from '../test/support/npsSenders';
import { npsTriggerWorkflow, plainWebhookWorkflow, secretsCredential } from '../test/support/npsWorkflows';
import { finish, line } from './_report';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
/** Several alternating rounds, summarized by their median: one n8n on a busy machine varies a lot from run to run. */
const ROUNDS = 4;

const typeform = withChanges(fixtureJson('typeform.form_response.official_example.json'), {
	'form_response.definition.fields[]': { id: 'npsFieldId', title: 'How likely...', type: 'nps', ref: 'nps_ref' },
	'form_response.answers[]': { type: 'number', number: 9, field: { id: 'npsFieldId', type: 'nps' } },
});

interface Prepared {
	body: string;
	headers: Record<string, string>;
}

const TEMPLATE = JSON.stringify(typeform);

/**
 * The index-th distinct signed delivery. Made per request on the client for both sides alike, so
 * the Webhook node gets the same bytes and headers and the client's work is the same for both.
 */
function delivery(index: number): Prepared {
	const body = TEMPLATE.replace('"event_id":"LtWXD3crgy"', `"event_id":"bench-${index}"`).replace('a3a12ec67a1365927098a606107fac15', `bench-response-${index}`);
	const signature = `sha256=${createHmac('sha256', TEST_SECRETS.typeform).update(body).digest('base64')}`;
	return { body, headers: { 'content-type': 'application/json', 'typeform-signature': signature } };
}

interface Measured {
	rps: number;
	p50: number;
	p99: number;
	non2xx: number;
	errors: number;
}

async function load(url: string, seconds: number, cursor: { next: number }): Promise<Measured> {
	const result = await autocannon({
		url,
		connections: CONNECTIONS,
		duration: seconds,
		requests: [
			{
				method: 'POST',
				setupRequest: (request) => {
					const next = delivery(cursor.next++);
					return { ...request, body: next.body, headers: next.headers };
				},
			},
		],
	});
	return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/**
 * Waits until n8n has worked off the executions the last run queued (its health endpoint answers
 * promptly again), so each run starts from an idle server whichever side went before.
 */
async function settle(baseUrl: string): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 3000));
	const deadline = Date.now() + 120_000;
	let promptAnswers = 0;
	while (promptAnswers < 5 && Date.now() < deadline) {
		const started = Date.now();
		await fetch(`${baseUrl}/healthz`).catch(() => undefined);
		promptAnswers = Date.now() - started < 50 ? promptAnswers + 1 : 0;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

function summary(name: string, measured: Measured): string {
	return `${name.padEnd(34)} ${String(measured.rps).padStart(6)} req/s  p50 ${measured.p50} ms  p99 ${measured.p99} ms  non-2xx ${measured.non2xx}  errors ${measured.errors}`;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : Math.round(((sorted[middle - 1] + sorted[middle]) / 2) * 100) / 100;
}

async function main(): Promise<void> {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-nps-bench-'));
	const write = (name: string, value: unknown) => {
		const file = path.join(workDir, name);
		fs.writeFileSync(file, JSON.stringify(value));
		return file;
	};
	const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
	const n8n = await startN8n({
		userFolder: path.join(workDir, 'home'),
		tarball,
		credentialFiles: [write('credentials.json', [secretsCredential('npsBenchSecret', TEST_SECRETS.typeform)])],
		workflowFiles: [
			write('nps.json', npsTriggerWorkflow({ id: 'npsBench', provider: 'typeform', path: 'bench/nps', credentialId: 'npsBenchSecret' })),
			write('plain.json', plainWebhookWorkflow('plainBench', 'bench/plain')),
		],
		activate: true,
	});
	try {
		line(`NPS Trigger bench: n8n 2.41.1 at ${n8n.baseUrl}, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s per side, Node ${process.version}`);
		const npsCursor = { next: 0 };
		const plainCursor = { next: 0 };
		const npsUrl = n8n.webhookUrl('bench/nps');
		const plainUrl = n8n.webhookUrl('bench/plain');
		const run = async (url: string, seconds: number, cursor: { next: number }) => {
			await settle(n8n.baseUrl);
			return await load(url, seconds, cursor);
		};
		await run(plainUrl, WARMUP_SECONDS, plainCursor);
		await run(npsUrl, WARMUP_SECONDS, npsCursor);
		const ours: Measured[] = [];
		const baseline: Measured[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			// Alternate which side goes first, so neither always meets a busier database.
			if (round % 2 === 0) {
				baseline.push(await run(plainUrl, SECONDS, plainCursor));
				ours.push(await run(npsUrl, SECONDS, npsCursor));
			} else {
				ours.push(await run(npsUrl, SECONDS, npsCursor));
				baseline.push(await run(plainUrl, SECONDS, plainCursor));
			}
			line(summary(`round ${round + 1} n8n Webhook node:`, baseline[round]));
			line(summary(`round ${round + 1} NPS Trigger (typeform):`, ours[round]));
		}
		const figures = {
			bench: 'nps-trigger',
			rps: median(ours.map((run) => run.rps)),
			p50_ms: median(ours.map((run) => run.p50)),
			p99_ms: median(ours.map((run) => run.p99)),
			baseline_rps: median(baseline.map((run) => run.rps)),
			baseline_p50_ms: median(baseline.map((run) => run.p50)),
			baseline_p99_ms: median(baseline.map((run) => run.p99)),
			non2xx: ours.reduce((sum, run) => sum + run.non2xx, 0),
			baseline_non2xx: baseline.reduce((sum, run) => sum + run.non2xx, 0),
			connections: CONNECTIONS,
			seconds_per_run: SECONDS,
			rounds: ROUNDS,
		};
		const p50Ratio = Math.round((figures.p50_ms / figures.baseline_p50_ms) * 100) / 100;
		line(`p50 NPS Trigger / Webhook node: ${p50Ratio} (goal <= 1.10); rps ratio ${Math.round((figures.rps / figures.baseline_rps) * 100) / 100}`);
		finish({ ...figures, p50_ratio: p50Ratio });
	} finally {
		await n8n.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

void main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
