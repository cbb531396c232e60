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

/** Deterministic pseudo-random numbers (mulberry32), so every bench run sees the same data. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
