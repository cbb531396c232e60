/** Shared output of every bench: human-readable lines, then one JSON line with the figures. */
import { performance } from 'node:perf_hooks';

export function line(text: string): void {
	process.stdout.write(`${text}\n`);
}

export function finish(figures: Record<string, unknown>): void {
	process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Best (highest) throughput over `rounds` runs of `work`, which processes `count` items. */
export async function bestItemsPerSecond(count: number, rounds: number, work: () => unknown): Promise<number> {
	let best = 0;
	for (let round = 0; round < rounds; round++) {
		(globalThis as { gc?: () => void }).gc?.();
		const started = performance.now();
		await work();
		const seconds = (performance.now() - started) / 1000;
		best = Math.max(best, count / seconds);
	}
	return Math.round(best);
}

/** Seeded, so every bench run sees the same data. */
export { seededRandom } from '../lib/random';
