/**
 * Shared setup of the queue-mode tests: the packed pack in n8n 2.41.1 run as main + webhook processor +
 * two workers (scripts/lib/n8n-queue.js), the given workflows imported and published, stopped after the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startQueueRig, type QueueRig, type StartQueueOptions } from '../../scripts/lib/n8n-queue';
import { packTarball } from '../../scripts/lib/pack';

export interface UseQueueRigOptions extends Pick<StartQueueOptions, 'credentialFiles' | 'webhookProcessors' | 'workers' | 'workerConcurrency'> {
	/** extra environment, read when the rig starts (after the file's earlier beforeAll hooks, e.g. a CRM stand-in) */
	env?: () => Record<string, string>;
}

/** Starts the rig before the file's tests and stops it after; the returned getter gives the running rig. */
export function useQueueRig(workflowFiles: string[], options: UseQueueRigOptions = {}): () => QueueRig {
	let workDir: string;
	let rig: QueueRig | undefined;
	beforeAll(async () => {
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-queue-'));
		// `npm run test:queue` has just built dist/ and says so; run directly, the test builds it itself.
		const tarball = packTarball({ destination: workDir, build: process.env.REVOPS_DIST_BUILT !== '1' });
		const { env, ...rest } = options;
		rig = await startQueueRig({ workDir, tarball, workflowFiles, env: env?.(), ...rest });
	});
	afterAll(async () => {
		await rig?.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
	});
	return () => {
		if (!rig) throw new Error('the queue-mode rig did not start (see the beforeAll failure above)');
		return rig;
	};
}

/** Runs `tasks` with at most `concurrency` of them in flight at once; results in task order. */
export async function inParallel<T>(tasks: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
		while (next < tasks.length) {
			const index = next++;
			results[index] = await tasks[index]();
		}
	});
	await Promise.all(lanes);
	return results;
}

/** A fixed shuffle (so a failure replays the same order): Fisher-Yates driven by a small LCG. */
export function shuffled<T>(items: T[], seed = 17): T[] {
	const copy = [...items];
	let state = seed;
	for (let i = copy.length - 1; i > 0; i--) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		const j = state % (i + 1);
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}
