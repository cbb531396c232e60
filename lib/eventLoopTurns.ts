/**
 * Long synchronous loops (node:sqlite statements, reading thousands of items) hold n8n's main
 * thread: awaiting a promise yields only to microtasks. A loop calls `pass()` per step, which lets
 * timers and requests run once its turn has lasted `turnMs`.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export class EventLoopTurns {
	private started = performance.now();

	constructor(private readonly turnMs = 10) {}

	async pass(): Promise<void> {
		if (performance.now() - this.started <= this.turnMs) return;
		await yieldToEventLoop();
		this.started = performance.now();
	}
}
