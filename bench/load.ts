/**
 * Lead capture under load: the template "Lead capture to HubSpot" (its PostgreSQL variant, as its notes
 * say for queue mode: warehouse and both Dedupe nodes on PostgreSQL) on one n8n 2.41.1 process, then on
 * the queue-mode rig (main + one webhook processor + two workers, scripts/lib/n8n-queue.js), in one run.
 * HubSpot is the e2e tests' CRM stand-in, in this process.
 *
 * Leads are posted open-loop at a rising rate (each post at its scheduled time, whatever the answers),
 * one in five a lead posted a few seconds before (a returning lead). Per rate: leads answered per second,
 * the error rate (anything but a 200 "sent"/"duplicate" answer within 60 s), and p50/p99 from the post to
 * its answer, to HubSpot's upsert of that lead (the stand-in's receipt) and to its warehouse row (a
 * column the table fills with PostgreSQL's clock_timestamp() at insert). The sustained rate is the
 * highest one answered at >= 90% of the rate with errors < 1%. Meanwhile, the CPU each process group used
 * (n8n processes by role, PostgreSQL, Redis, this process) and how many Dedupe history locks were waited
 * on, which says what limits it.
 *
 * `npm run bench -- load [single|queue]`; BENCH_SECONDS per rate (default 15), BENCH_RATES (default
 * 4,6,8,...,64 leads/s, stopping after the first rate that is not sustained). The peak is the most leads
 * answered per second at any rate, sustained or not.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { startN8n } from '../scripts/lib/n8n-instance';
import { startQueueRig } from '../scripts/lib/n8n-queue';
import { packTarball, projectRoot } from '../scripts/lib/pack';
import { cacheDir } from '../scripts/lib/runtime';
import { HUBSPOT_HOST, startCrmStandIn, type CrmStandIn } from '../test/e2e/crmStandIn';
import { workflowFile } from '../test/e2e/n8nServer';
import { postgresVariant, warehousePostgresCredentialFile } from '../test/e2e/templateVariants';
import { connectAdmin } from '../test/support/postgres';
import { finish, line } from './_report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RATES = (process.env.BENCH_RATES ?? '4,6,8,10,12,14,16,20,24,32,48,64').split(',').map(Number);
const ANSWER_TIMEOUT_MS = 60_000;
const RETURNING_SHARE = 0.2;
const MODES = process.argv.includes('single') ? ['single'] : process.argv.includes('queue') ? ['queue'] : ['single', 'queue'];
const runTag = `${process.pid}${Date.now().toString(36)}`;
const WEBHOOK_PATH = 'revops/bench-load';

/** Person n of this run: unique email, phone and company, so no two people match by any rule. */
function leadFor(n: number): Record<string, string> {
	return {
		'E-mail': `lead${n}.${runTag}@acme${n}.io`,
		'First Name': 'Jane',
		'Last Name': 'Doe',
		Company: `Acme ${n} ${runTag} Inc.`,
		Phone: `(212) ${736 + Math.floor(n / 10_000)}-${String(n % 10_000).padStart(4, '0')}`,
		Country: 'United States',
	};
}
const emailFor = (n: number): string => `lead${n}.${runTag}@acme${n}.io`;

interface Post {
	n: number;
	first: boolean;
	sentAt: number;
	answeredAt?: number;
	ok: boolean;
	failure?: string;
}

const percentile = (values: number[], p: number): number | null => {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
};

/** CPU seconds so far per process group: n8n processes by the user folder they run in, PostgreSQL, Redis. */
function cpuByGroup(workDir: string): Map<string, number> {
	const ticks = 100;
	const groups = new Map<string, number>();
	for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const seconds = (Number(fields[11]) + Number(fields[12])) / ticks;
			const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			let group: string | undefined;
			if (comm.startsWith('postgres')) group = 'postgresql';
			else if (comm.startsWith('redis-server')) group = 'redis';
			else if (Number(pid) === process.pid) group = 'bench (senders, HubSpot stand-in)';
			else {
				const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
				if (cwd.startsWith(workDir)) group = `n8n ${path.relative(workDir, cwd).split(path.sep)[0]}`;
			}
			if (group !== undefined) groups.set(group, (groups.get(group) ?? 0) + seconds);
		} catch {
			// the process ended meanwhile
		}
	}
	// the whole machine's busy time (every process, this project's or not)
	const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	groups.set('machine, all processes', (user + nice + system + irq + softirq + steal) / ticks);
	return groups;
}

/** One finished execution as n8n saved it: when created, started and stopped, and its flatted run data. */
interface SavedExecution {
	createdAt: number;
	startedAt: number;
	stoppedAt: number;
	data: string;
}

interface Target {
	name: string;
	workDir: string;
	webhookUrl: string;
	/** The executions that started at or after `since` (epoch ms), from n8n's own database. */
	executions: (since: number) => Promise<SavedExecution[]>;
	stop: () => Promise<void>;
}

const flatted = createRequire(path.join(cacheDir(), 'n8n', 'node_modules', 'n8n', 'package.json'))('flatted') as {
	parse(text: string): { resultData: { runData: Record<string, Array<{ executionTime?: number }>> } };
};

/**
 * Where an execution's time goes: waiting to start (queue mode: in Redis until a worker takes it),
 * running, and the nodes that took longest (n8n's executionTime per node run); p50 over the executions.
 */
function executionProfile(executions: SavedExecution[]): { waitedToStart: number | null; ran: number | null; slowestNodes: Record<string, number> } {
	const perNode = new Map<string, number[]>();
	for (const { data } of executions) {
		for (const [node, runs] of Object.entries(flatted.parse(data).resultData.runData)) {
			const times = perNode.get(node) ?? [];
			times.push(runs.reduce((total, run) => total + (run.executionTime ?? 0), 0));
			perNode.set(node, times);
		}
	}
	const slowest = [...perNode].map(([node, times]) => [node, percentile(times, 50) ?? 0] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);
	return {
		waitedToStart: percentile(executions.map((execution) => execution.startedAt - execution.createdAt), 50),
		ran: percentile(executions.map((execution) => execution.stoppedAt - execution.startedAt), 50),
		slowestNodes: Object.fromEntries(slowest),
	};
}

async function startTarget(mode: string, tarball: string, workflow: string, credentials: string[], crm: CrmStandIn): Promise<Target> {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `revops-bench-load-${mode}-`));
	if (mode === 'single') {
		const n8n = await startN8n({ userFolder: path.join(workDir, 'home'), port: 0, tarball, workflowFiles: [workflow], activate: true, env: crm.env(), credentialFiles: credentials });
		const executions = async (since: number): Promise<SavedExecution[]> => {
			const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
			const db = new DatabaseSync(path.join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true, timeout: 5000 });
			try {
				const rows = db
					.prepare(
						`SELECT e.createdAt AS createdAt, e.startedAt AS startedAt, e.stoppedAt AS stoppedAt, d.data AS data
						 FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.stoppedAt IS NOT NULL`,
					)
					.all() as Array<{ createdAt: string; startedAt: string; stoppedAt: string; data: string }>;
				// SQLite keeps n8n's times as UTC text without a zone
				const time = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
				return rows
					.map((row) => ({ createdAt: time(row.createdAt), startedAt: time(row.startedAt), stoppedAt: time(row.stoppedAt), data: row.data }))
					.filter((execution) => execution.startedAt >= since);
			} finally {
				db.close();
			}
		};
		return { name: 'one n8n process', workDir, webhookUrl: n8n.webhookUrl(WEBHOOK_PATH), executions, stop: () => n8n.stop() };
	}
	const rig = await startQueueRig({ workDir, tarball, workflowFiles: [workflow], env: crm.env(), credentialFiles: credentials });
	const executions = async (since: number): Promise<SavedExecution[]> => {
		const rows = (await rig.query(
			`SELECT e."createdAt", e."startedAt", e."stoppedAt", d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
			 WHERE e."stoppedAt" IS NOT NULL AND e."startedAt" >= ?`,
			[new Date(since)],
		)) as Array<{ createdAt: Date; startedAt: Date; stoppedAt: Date; data: string }>;
		return rows.map((row) => ({ createdAt: row.createdAt.getTime(), startedAt: row.startedAt.getTime(), stoppedAt: row.stoppedAt.getTime(), data: row.data }));
	};
	return { name: 'queue mode (main + webhook processor + 2 workers)', workDir, webhookUrl: rig.webhookUrl(WEBHOOK_PATH), executions, stop: () => rig.stop() };
}

async function postLead(url: string, post: Post): Promise<void> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(leadFor(post.n)),
			signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
		});
		const text = await response.text();
		post.answeredAt = Date.now();
		const outcome = response.status === 200 ? (JSON.parse(text) as { outcome?: string }).outcome : undefined;
		post.ok = outcome === 'sent' || outcome === 'duplicate';
		if (!post.ok) post.failure = `${response.status} ${text.slice(0, 120)}`;
	} catch (error) {
		post.answeredAt = Date.now();
		post.ok = false;
		post.failure = (error as Error).message;
	}
}

interface StepResult {
	rate: number;
	posts: number;
	answeredPerSecond: number;
	errorRate: number;
	answer: { p50: number | null; p99: number | null };
	toCrm: { p50: number | null; p99: number | null };
	toWarehouse: { p50: number | null; p99: number | null };
	cpuCores: Record<string, number>;
	historyLockWaiters: { mean: number; max: number };
	/** p50 ms per execution: waiting to start, running, and the five slowest nodes. */
	executions: ReturnType<typeof executionProfile>;
	/** Mean number of the pack's PostgreSQL sessions per store and state (active, idle in transaction, waiting on a lock). */
	packSessions: Record<string, number>;
	sustained: boolean;
	failures: string[];
}

async function runRate(target: Target, rate: number, nextPerson: { value: number }, crm: CrmStandIn, table: string): Promise<StepResult> {
	const admin = await connectAdmin();
	crm.reset();
	const posts: Post[] = [];
	const count = Math.round(rate * SECONDS);
	const firstPeople: number[] = [];
	const lockSamples: number[] = [];
	const sessionSamples = new Map<string, number>();
	let samples = 0;
	const cpuBefore = cpuByGroup(target.workDir);
	const started = Date.now();
	let sampling = true;
	const sampler = (async () => {
		while (sampling) {
			const { rows } = await admin.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
			lockSamples.push(rows[0].waiting);
			// what the pack's sessions are doing: a transaction left idle holds its locks while n8n's event loop is elsewhere
			const sessions = await admin.query<{ name: string; state: string; count: number }>(
				`SELECT application_name AS name, CASE WHEN wait_event_type = 'Lock' THEN 'waiting on a lock' ELSE state END AS state, count(*)::int AS count
				 FROM pg_stat_activity WHERE application_name LIKE 'n8n-nodes-revops%' GROUP BY 1, 2`,
			);
			for (const { name, state, count: sessionCount } of sessions.rows) {
				const key = `${name.replace('n8n-nodes-revops ', '')}: ${state}`;
				sessionSamples.set(key, (sessionSamples.get(key) ?? 0) + sessionCount);
			}
			samples += 1;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	})();
	const inFlight: Array<Promise<void>> = [];
	for (let index = 0; index < count; index++) {
		const due = started + (index * 1000) / rate;
		const wait = due - Date.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		// a returning lead: one of this rate's people posted at least two seconds ago
		const returning = firstPeople.length > 2 * rate && Math.random() < RETURNING_SHARE;
		const n = returning ? firstPeople[Math.floor(Math.random() * (firstPeople.length - 2 * rate))] : nextPerson.value++;
		if (!returning) firstPeople.push(n);
		const post: Post = { n, first: !returning, sentAt: Date.now(), ok: false };
		posts.push(post);
		inFlight.push(postLead(target.webhookUrl, post));
	}
	const lastSent = Date.now();
	await Promise.all(inFlight);
	const cpuSeconds = (Date.now() - started) / 1000;
	const cpuAfter = cpuByGroup(target.workDir);
	sampling = false;
	await sampler;

	const firsts = posts.filter((post) => post.first);
	const upsertAt = new Map<string, number>();
	for (const request of crm.requests(HUBSPOT_HOST)) {
		if (!request.path.includes('/contacts/batch/upsert')) continue;
		for (const input of (request.body as { inputs?: Array<{ id?: string }> }).inputs ?? []) {
			if (input.id !== undefined && !upsertAt.has(input.id)) upsertAt.set(input.id, crm.receivedAt(request) ?? Number.NaN);
		}
	}
	const { rows } = await admin.query<{ lead_key: string; loaded_at: Date }>(
		`SELECT lead_key, bench_loaded_at AS loaded_at FROM ${table} WHERE lead_key = ANY($1::text[])`,
		[firsts.map((post) => emailFor(post.n))],
	);
	await admin.end();
	const loadedAt = new Map(rows.map((row) => [row.lead_key, row.loaded_at.getTime()]));
	const since = (times: Map<string, number>) =>
		firsts.flatMap((post) => {
			const at = times.get(emailFor(post.n));
			return at === undefined || Number.isNaN(at) ? [] : [at - post.sentAt];
		});
	const answered = posts.filter((post) => post.ok);
	const lastAnswer = Math.max(...posts.map((post) => post.answeredAt ?? lastSent));
	const answeredPerSecond = answered.length / ((lastAnswer - started) / 1000);
	const errorRate = (posts.length - answered.length) / posts.length;
	const cpuCores = Object.fromEntries(
		[...cpuAfter].map(([group, seconds]) => [group, Math.round(((seconds - (cpuBefore.get(group) ?? 0)) / cpuSeconds) * 100) / 100]).filter(([, cores]) => (cores as number) > 0.01),
	);
	return {
		rate,
		posts: posts.length,
		answeredPerSecond: Math.round(answeredPerSecond * 10) / 10,
		errorRate: Math.round(errorRate * 10_000) / 10_000,
		answer: { p50: percentile(answered.map((post) => (post.answeredAt ?? 0) - post.sentAt), 50), p99: percentile(answered.map((post) => (post.answeredAt ?? 0) - post.sentAt), 99) },
		toCrm: { p50: percentile(since(upsertAt), 50), p99: percentile(since(upsertAt), 99) },
		toWarehouse: { p50: percentile(since(loadedAt), 50), p99: percentile(since(loadedAt), 99) },
		cpuCores,
		executions: executionProfile(await target.executions(started)),
		packSessions: Object.fromEntries([...sessionSamples].map(([key, total]) => [key, Math.round((total / Math.max(1, samples)) * 100) / 100])),
		historyLockWaiters: {
			mean: Math.round((lockSamples.reduce((total, value) => total + value, 0) / Math.max(1, lockSamples.length)) * 100) / 100,
			max: Math.max(0, ...lockSamples),
		},
		sustained: errorRate < 0.01 && answeredPerSecond >= 0.9 * rate,
		failures: [...new Set(posts.filter((post) => !post.ok).map((post) => post.failure ?? ''))].slice(0, 3),
	};
}

async function main(): Promise<void> {
	const crm = await startCrmStandIn();
	const schema = `bench_load_${runTag}`;
	const table = `${schema}.leads`;
	const history = `bench-load-${runTag}`;
	const admin = await connectAdmin();
	// The warehouse table as Warehouse Insert makes it, plus the time each row was inserted.
	await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${table} (lead_key TEXT PRIMARY KEY, bench_loaded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())`);
	const variant = postgresVariant(workflowFile('lead-capture-to-hubspot.json'), { id: 'benchLoad', path: WEBHOOK_PATH, table, history: { name: history } });
	const credential = warehousePostgresCredentialFile();
	const credentials = [path.join(projectRoot, 'test', 'e2e', 'fixtures', 'hubspotAppToken.credentials.json'), credential.file];
	const packFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-load-pack-'));
	const tarball = packTarball({ destination: packFolder, build: true });
	const results: Record<string, { target: string; sustained: number; peak: number; steps: StepResult[] }> = {};
	const nextPerson = { value: 1 };
	try {
		for (const mode of MODES) {
			const target = await startTarget(mode, tarball, variant.file, credentials, crm);
			line(`${target.name}:`);
			const steps: StepResult[] = [];
			try {
				for (const rate of RATES) {
					const step = await runRate(target, rate, nextPerson, crm, table);
					steps.push(step);
					line(
						`  ${String(rate).padStart(3)} leads/s offered: ${step.answeredPerSecond} answered/s, errors ${(step.errorRate * 100).toFixed(2)}%, ` +
							`answer p50/p99 ${step.answer.p50}/${step.answer.p99} ms, to HubSpot ${step.toCrm.p50}/${step.toCrm.p99} ms, ` +
							`to warehouse ${step.toWarehouse.p50}/${step.toWarehouse.p99} ms`,
					);
					line(`        CPU (cores): ${Object.entries(step.cpuCores).map(([group, cores]) => `${group} ${cores}`).join(', ')}; history lock waiters mean ${step.historyLockWaiters.mean}, max ${step.historyLockWaiters.max}`);
					line(
						`        per execution (p50): waited to start ${step.executions.waitedToStart} ms, ran ${step.executions.ran} ms; slowest nodes: ` +
							Object.entries(step.executions.slowestNodes).map(([node, ms]) => `${node} ${ms} ms`).join(', '),
					);
					line(`        pack's PostgreSQL sessions (mean): ${Object.entries(step.packSessions).map(([key, mean]) => `${key} ${mean}`).join(', ')}`);
					if (step.failures.length > 0) line(`        e.g. ${step.failures.join(' | ')}`);
					if (!step.sustained) break;
				}
			} finally {
				await target.stop();
				fs.rmSync(target.workDir, { recursive: true, force: true });
			}
			const sustained = Math.max(0, ...steps.filter((step) => step.sustained).map((step) => step.rate));
			const peak = Math.max(0, ...steps.map((step) => step.answeredPerSecond));
			line(`  sustained: ${sustained} leads/s; peak: ${peak} answered/s`);
			results[mode] = { target: target.name, sustained, peak, steps };
		}
	} finally {
		await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		await admin.query('DELETE FROM revops_dedupe_records WHERE history = $1', [history]).catch(() => undefined);
		await admin.end();
		variant.remove();
		credential.remove();
		fs.rmSync(packFolder, { recursive: true, force: true });
		await crm.stop();
	}
	const ratioOf = (figure: 'sustained' | 'peak') =>
		results.single && results.queue && results.single[figure] > 0 ? Math.round((results.queue[figure] / results.single[figure]) * 100) / 100 : null;
	const ratios = { sustained: ratioOf('sustained'), peak: ratioOf('peak') };
	if (ratios.sustained !== null) line(`queue mode / one process: sustained ${ratios.sustained}, peak ${ratios.peak}`);
	finish({ bench: 'load', seconds: SECONDS, cpus: os.cpus().length, ...results, queueToSingle: ratios });
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
