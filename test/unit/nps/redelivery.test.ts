import { createBatchedRecorder } from '../../../lib/nps/batchedRecorder';
import { judgeRedelivery, processedKeys } from '../../../lib/nps/redelivery';

/** A store like n8n's: one list, read and written back per call, slow enough for calls to overlap. */
function slowStore() {
	const recorded = new Set<string>();
	const calls: string[][] = [];
	return {
		calls,
		recorded,
		async record(keys: string[]) {
			calls.push(keys);
			const before = new Set(keys.filter((key) => recorded.has(key)));
			await new Promise((resolve) => setTimeout(resolve, 5));
			for (const key of keys) recorded.add(key);
			return before;
		},
	};
}

describe('judgeRedelivery', () => {
	const keys = processedKeys('r1', '2026-01-01T00:00:00.000Z');

	it('calls a response in a state already recorded a duplicate, a new state of a known response an update', () => {
		expect(judgeRedelivery(keys, new Set())).toEqual({ duplicate: false, seenBefore: false });
		expect(judgeRedelivery(keys, new Set([keys.response]))).toEqual({ duplicate: false, seenBefore: true });
		expect(judgeRedelivery(keys, new Set([keys.version, keys.response]))).toEqual({ duplicate: true });
	});
});

describe('createBatchedRecorder', () => {
	it('merges calls that arrive while one is running into one store call', async () => {
		const store = slowStore();
		const recordKeys = createBatchedRecorder();
		const results = await Promise.all(['a', 'b', 'c', 'd'].map((key) => recordKeys([key], store.record)));
		expect(store.calls).toEqual([['a'], ['b', 'c', 'd']]);
		expect(results.map((result) => [...result])).toEqual([[], [], [], []]);
	});

	it('with a gathering time, merges calls that arrive shortly after the first of a quiet spell', async () => {
		const store = slowStore();
		const recordKeys = createBatchedRecorder(20);
		const first = recordKeys(['a'], store.record);
		await new Promise((resolve) => setTimeout(resolve, 5));
		await Promise.all([first, recordKeys(['b'], store.record)]);
		expect(store.calls).toEqual([['a', 'b']]);
	});

	it('treats a key brought by an earlier caller of the same merged call as already recorded', async () => {
		const store = slowStore();
		const recordKeys = createBatchedRecorder();
		const results = await Promise.all([recordKeys(['x'], store.record), recordKeys(['v1', 'r1'], store.record), recordKeys(['v1', 'r1'], store.record), recordKeys(['v2', 'r1'], store.record)]);
		expect(results.map((result) => [...result].sort())).toEqual([[], [], ['r1', 'v1'], ['r1']]);
		expect([...(await recordKeys(['v2'], store.record))]).toEqual(['v2']);
	});

	it('rejects every caller of a failed store call and keeps serving later ones', async () => {
		const recordKeys = createBatchedRecorder();
		let fail = true;
		const flaky = async (): Promise<Set<string>> => {
			if (fail) throw new Error('database is locked');
			return new Set();
		};
		await expect(recordKeys(['a'], flaky)).rejects.toThrow('database is locked');
		fail = false;
		await expect(recordKeys(['a'], flaky)).resolves.toEqual(new Set());
	});
});
