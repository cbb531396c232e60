import { TransientError, backoffDelay, parseRetryAfter, withRetry } from '../../../lib/warehouse/retry';

describe('retry with backoff', () => {
	const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

	it('grows the wait exponentially with jitter, capped', () => {
		expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(policy, retry, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
		expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(policy, retry, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
	});

	it('retries transient errors until success, waiting between tries', async () => {
		const waits: number[] = [];
		let calls = 0;
		const value = await withRetry(
			async () => {
				calls++;
				if (calls < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
				return 'done';
			},
			(error) => (error as { code?: string }).code === 'ECONNRESET',
			policy,
			{ sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
		);
		expect(value).toBe('done');
		expect(waits).toEqual([75, 150]);
	});

	it('gives up after the last attempt and never retries a permanent error', async () => {
		let calls = 0;
		const failing = async () => {
			calls++;
			throw new Error('still down');
		};
		await expect(withRetry(failing, () => true, policy, { sleep: async () => undefined })).rejects.toThrow('still down');
		expect(calls).toBe(5);
		calls = 0;
		await expect(withRetry(failing, () => false, policy, { sleep: async () => undefined })).rejects.toThrow('still down');
		expect(calls).toBe(1);
	});

	it("honours the server's Retry-After over its own backoff", async () => {
		const waits: number[] = [];
		let calls = 0;
		await withRetry(
			async () => {
				if (calls++ === 0) throw new TransientError('429 Too Many Requests', 7000);
			},
			() => true,
			policy,
			{ sleep: async (ms) => void waits.push(ms) },
		);
		expect(waits).toEqual([7000]);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-11-22T05:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('Sun, 22 Nov 2026 05:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});
});
