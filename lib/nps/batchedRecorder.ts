/** Records keys in a store and returns the ones it had already recorded (n8n's processed-data store). */
export type RecordKeys = (keys: string[]) => Promise<Set<string>>;

interface Waiting {
	keys: string[];
	record: RecordKeys;
	resolve(alreadyRecorded: Set<string>): void;
	reject(error: unknown): void;
}

/**
 * Funnels concurrent check-and-record calls for one store into one call at a time. The store
 * reads, appends to and writes back a single list, so two overlapping calls would each write
 * their own list and lose the other's keys; and one round trip per delivery would queue up under
 * load. Calls that arrive while one is running, or within `gatherMs` of the first of a quiet
 * spell, are merged into one call. Within a merged call, a key that an earlier caller brought
 * counts as already recorded for the later ones, exactly as if the calls had run one by one.
 */
export function createBatchedRecorder(gatherMs = 0): (keys: string[], record: RecordKeys) => Promise<Set<string>> {
	let pending: Waiting[] = [];
	let running = false;

	async function drain(): Promise<void> {
		running = true;
		if (gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
		while (pending.length > 0) {
			const batch = pending;
			pending = [];
			try {
				const recordedBefore = await batch[0].record([...new Set(batch.flatMap((waiting) => waiting.keys))]);
				const broughtByEarlierCaller = new Set<string>();
				for (const waiting of batch) {
					waiting.resolve(new Set(waiting.keys.filter((key) => recordedBefore.has(key) || broughtByEarlierCaller.has(key))));
					for (const key of waiting.keys) broughtByEarlierCaller.add(key);
				}
			} catch (error) {
				for (const waiting of batch) waiting.reject(error);
			}
		}
		running = false;
	}

	return (keys, record) =>
		new Promise<Set<string>>((resolve, reject) => {
			pending.push({ keys, record, resolve, reject });
			if (!running) void drain();
		});
}
