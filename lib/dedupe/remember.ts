import type { Classified } from './dedupe';
import { classifyRecords, mergeClusters } from './dedupe';
import type { DedupeRecord, Matcher } from './types';
import type { RecordStore } from './store/recordStore';
import type { MergeOptions } from './survivorship';

export interface RememberOptions {
	history: string;
	idField: string;
	/** When set, groups are merged: stored records are replaced by their merged form. */
	merge?: MergeOptions;
	/** Most records kept; the oldest are forgotten first. 0 keeps all. */
	historySize: number;
	/** Records not seen for this long are forgotten at each run (retention); 0 or unset keeps them. */
	maxAgeMs?: number;
	/** Fields a duplicate of a remembered record gets from it, under the annotation's `from_match`. */
	copyFromMatch?: string[];
	/** The time retention counts from; now by default. */
	now?: Date;
	/**
	 * False: match only, leaving the history as it is. A workflow then remembers the records itself
	 * once they were written somewhere (Remember Records), so a failed write followed by a redelivery
	 * is not taken for a duplicate. Default true.
	 */
	remember?: boolean;
}

export interface RememberResult {
	classified: Classified;
	/** Merged records, one per group of `classified.clusters`, when merging. */
	merged?: Array<{ record: DedupeRecord; inputIndices: number[] }>;
	storedCandidates: number;
}

/** Histories up to this size are held to it exactly: their prune reads few rows. */
const EXACT_HISTORY_SIZE = 1000;
/** A larger history is pruned when a new record's store id is a multiple of this: about every this many new records. */
const PRUNE_EVERY = 100;

/**
 * Whether this run prunes the history to its size. Only new records grow it, and finding the oldest beyond
 * the size reads that many rows (31 ms at 100,000 in PostgreSQL): a large history is checked about every
 * PRUNE_EVERY new records, so it may exceed its size by about that many meanwhile.
 */
function pruneDue(historySize: number, insertedIds: number[]): boolean {
	if (insertedIds.length === 0) return false;
	return historySize <= EXACT_HISTORY_SIZE || insertedIds.some((id) => id % PRUNE_EVERY === 0);
}

/**
 * Matches input records with those remembered under a history name, then (unless `remember` is
 * false) remembers the new ones. Look-up and insert run inside the store's claim, so of two
 * executions racing on the same new lead exactly one sees it as new. A group that met a stored
 * record marks it seen again (and, when merging, replaces it with the merged record).
 */
export async function dedupeAgainstStore(
	store: RecordStore,
	matcher: Matcher,
	input: DedupeRecord[],
	options: RememberOptions,
): Promise<RememberResult> {
	const inputKeys = matcher.blockKeys(input);
	return await store.withClaim(options.history, async (transaction) => {
		// Expired records are forgotten before the look-up: an expired person is new again.
		if (options.maxAgeMs !== undefined && options.maxAgeMs > 0) {
			await transaction.expire(new Date((options.now ?? new Date()).getTime() - options.maxAgeMs));
		}
		const stored = await transaction.candidates(inputKeys.flat());
		const existing = stored.map((entry) => entry.record);
		const classified = classifyRecords(matcher, input, existing, {
			idField: options.idField,
			existingIds: stored.map((entry) => entry.record[options.idField] ?? `stored ${entry.id}`),
			copyFromMatch: options.copyFromMatch,
		});
		const merged = options.merge === undefined ? undefined : mergeClusters(classified, input, existing, options.merge);
		if (options.remember === false) return { classified, merged, storedCandidates: stored.length };

		const fresh: Array<{ record: DedupeRecord; blockKeys: string[] }> = [];
		const seenAgain: Array<{ id: number; record?: DedupeRecord }> = [];
		classified.clusters.forEach((cluster, position) => {
			const first = cluster.inputIndices[0];
			const record = merged?.[position].record;
			if (cluster.existingIndices.length === 0) fresh.push({ record: record ?? input[first], blockKeys: inputKeys[first] });
			else seenAgain.push({ id: stored[cluster.existingIndices[0]].id, record });
		});
		const insertedIds = await transaction.insert(fresh);
		await transaction.touch(seenAgain);
		if (options.historySize > 0 && pruneDue(options.historySize, insertedIds)) await transaction.prune(options.historySize);
		return { classified, merged, storedCandidates: stored.length };
	});
}
