import { setTimeout as sleep } from 'node:timers/promises';

import type { Classified, DedupeAnnotation } from './dedupe';
import { classifyRecords, mergeClusters } from './dedupe';
import type { DedupeRecord, Matcher } from './types';
import type { HistoryTransaction, NewRecord, RecordStore, StoredRecord } from './store/recordStore';
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
	/**
	 * With `remember` false: new records are stored held for `holdMs` (the time their write may take), until
	 * the run that took them remembers them; a run meeting a held record waits for it up to `waitMs`.
	 */
	hold?: HoldOptions;
}

export interface HoldOptions {
	/** How long a new record stays held; past it, its run is taken to have failed and the record is new again. */
	holdMs: number;
	/** How long a record matching a held one waits for that hold to end before it comes out as in progress. */
	waitMs: number;
}

export interface RememberResult {
	classified: Classified;
	/** Merged records, one per group of `classified.clusters`, when merging. */
	merged?: Array<{ record: DedupeRecord; inputIndices: number[] }>;
	/**
	 * Input records that matched only a record another run holds, and still did after the wait: that run is
	 * writing them now. They are in neither `classified.unique` nor `classified.duplicates`.
	 */
	inProgress: Array<{ index: number; annotation: DedupeAnnotation }>;
	storedCandidates: number;
}

/** Pauses between looks at a held record: short first (a CRM call is often quick), then every half second. */
const FIRST_HOLD_POLL_MS = 50;
const LONGEST_HOLD_POLL_MS = 500;

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

/** Whether every stored record a group met is held by another run: the group waits for it. */
function heldOnly(stored: StoredRecord[], existingIndices: number[]): boolean {
	return existingIndices.length > 0 && existingIndices.every((index) => stored[index].heldUntil !== undefined);
}

/**
 * Matches input records with those remembered under a history name, then (unless `remember` is
 * false) remembers the new ones. Look-up and insert run inside the store's claim, so of two
 * executions racing on the same new lead exactly one sees it as new. A group that met a stored
 * record marks it seen again (and, when merging, replaces it with the merged record); one that
 * met a held record confirms it with what was written.
 *
 * Matching only with `hold`: the new records are stored held, so a run racing on the same lead
 * waits until the first remembers it (then it is a duplicate, with what was remembered) or its hold
 * ends (then it is new). The look-up is repeated while waiting, each time under the claim.
 */
export async function dedupeAgainstStore(
	store: RecordStore,
	matcher: Matcher,
	input: DedupeRecord[],
	options: RememberOptions,
): Promise<RememberResult> {
	const inputKeys = matcher.blockKeys(input);
	const hold = options.remember === false ? options.hold : undefined;
	const waitUntil = Date.now() + (hold?.waitMs ?? 0);
	const lockKeys = inputKeys.flat();
	for (let pause = FIRST_HOLD_POLL_MS; ; pause = Math.min(pause * 2, LONGEST_HOLD_POLL_MS)) {
		const result = await store.withClaim(
			options.history,
			async (transaction) => await lookUp(transaction, matcher, input, inputKeys, options, hold === undefined ? undefined : Date.now() < waitUntil),
			lockKeys,
		);
		if (result === 'wait') {
			await sleep(Math.min(pause, Math.max(0, waitUntil - Date.now())));
			continue;
		}
		const { insertedIds, ...found } = result;
		await keepHistoryInBounds(store, options, insertedIds);
		return found;
	}
}

/**
 * Retention and History Size, after a run remembered someone new (a returning lead does not grow the
 * history). Deleting the oldest records takes the whole history's lock, so it is its own short claim,
 * after the look-up's: the look-up locks only its records' keys, and never meets a record past Max Age.
 */
async function keepHistoryInBounds(store: RecordStore, options: RememberOptions, insertedIds: number[]): Promise<void> {
	const cutoff = retentionCutoff(options);
	const prune = options.historySize > 0 && pruneDue(options.historySize, insertedIds);
	if (insertedIds.length === 0 || (cutoff === undefined && !prune)) return;
	await store.withClaim(options.history, async (transaction) => {
		if (cutoff !== undefined) await transaction.expire(cutoff);
		if (prune) await transaction.prune(options.historySize);
	});
}

/** Records last seen before this are past Max Age: never matched, and deleted by keepHistoryInBounds. */
function retentionCutoff(options: RememberOptions): Date | undefined {
	if (options.maxAgeMs === undefined || options.maxAgeMs <= 0) return undefined;
	return new Date((options.now ?? new Date()).getTime() - options.maxAgeMs);
}

/**
 * One look-up under the claim. `mayWait` (holding runs only): true while the wait lasts, when a group
 * meeting only held records makes the whole look-up wait; false after, when such groups come out in progress.
 */
async function lookUp(
	transaction: HistoryTransaction,
	matcher: Matcher,
	input: DedupeRecord[],
	inputKeys: string[][],
	options: RememberOptions,
	mayWait: boolean | undefined,
): Promise<(RememberResult & { insertedIds: number[] }) | 'wait'> {
	const found = await transaction.candidates(inputKeys.flat());
	// A hold that ended unremembered is dropped (its run failed or crashed): the lead is new again.
	const clock = Date.now();
	const endedHolds = found.filter((entry) => entry.heldUntil !== undefined && entry.heldUntil.getTime() < clock);
	await transaction.release(endedHolds.map((entry) => entry.id));
	// A record past Max Age is not matched: an expired person is new again.
	const cutoff = retentionCutoff(options)?.getTime() ?? -Infinity;
	const stored = found.filter((entry) => !endedHolds.includes(entry) && entry.lastSeenAt.getTime() >= cutoff);
	const existing = stored.map((entry) => entry.record);
	const classified = classifyRecords(matcher, input, existing, {
		idField: options.idField,
		existingIds: stored.map((entry) => entry.record[options.idField] ?? `stored ${entry.id}`),
		copyFromMatch: options.copyFromMatch,
	});
	const merged = options.merge === undefined ? undefined : mergeClusters(classified, input, existing, options.merge);

	if (options.remember === false) {
		if (mayWait === undefined) return { classified, merged, inProgress: [], storedCandidates: stored.length, insertedIds: [] };
		const waiting = classified.clusters.filter((cluster) => heldOnly(stored, cluster.existingIndices));
		if (waiting.length > 0 && mayWait) return 'wait';
		const heldUntil = new Date(Date.now() + (options.hold?.holdMs ?? 0));
		const fresh: NewRecord[] = [];
		classified.clusters.forEach((cluster, position) => {
			const first = cluster.inputIndices[0];
			if (cluster.existingIndices.length === 0) fresh.push({ record: merged?.[position].record ?? input[first], blockKeys: inputKeys[first], heldUntil });
		});
		await transaction.insert(fresh);
		const stillMerged = merged?.filter((_, position) => !waiting.includes(classified.clusters[position]));
		const inProgress = takeInProgress(classified, waiting, stored);
		return { classified, merged: stillMerged, inProgress, storedCandidates: stored.length, insertedIds: [] };
	}

	const fresh: NewRecord[] = [];
	const seenAgain: Array<{ id: number; record?: DedupeRecord }> = [];
	const confirmed: Array<{ id: number; record: DedupeRecord; blockKeys: string[] }> = [];
	classified.clusters.forEach((cluster, position) => {
		const first = cluster.inputIndices[0];
		const record = merged?.[position].record;
		const held = cluster.existingIndices.find((index) => stored[index].heldUntil !== undefined);
		if (cluster.existingIndices.length === 0) fresh.push({ record: record ?? input[first], blockKeys: inputKeys[first] });
		else if (held !== undefined) confirmed.push({ id: stored[held].id, record: record ?? input[first], blockKeys: inputKeys[first] });
		else seenAgain.push({ id: stored[cluster.existingIndices[0]].id, record });
	});
	const insertedIds = await transaction.insert(fresh);
	await transaction.touch(seenAgain);
	await transaction.confirm(confirmed);
	return { classified, merged, inProgress: [], storedCandidates: stored.length, insertedIds };
}

/**
 * Forgets the held records the input records match: their run could not write them (the CRM refused), so the
 * lead is new again at once rather than when its hold ends. Returns how many were released.
 */
export async function releaseHeld(
	store: RecordStore,
	matcher: Matcher,
	input: DedupeRecord[],
	options: { history: string; idField: string },
): Promise<number> {
	const inputKeys = matcher.blockKeys(input);
	return await store.withClaim(
		options.history,
		async (transaction) => {
			const stored = await transaction.candidates(inputKeys.flat());
			const held = stored.filter((entry) => entry.heldUntil !== undefined);
			if (held.length === 0) return 0;
			const classified = classifyRecords(matcher, input, held.map((entry) => entry.record), { idField: options.idField });
			const ids = [...new Set(classified.clusters.flatMap((cluster) => cluster.existingIndices.map((index) => held[index].id)))];
			await transaction.release(ids);
			return ids.length;
		},
		inputKeys.flat(),
	);
}

/** Moves the input records of groups still meeting only held records out of `classified`, annotated in progress. */
function takeInProgress(
	classified: Classified,
	waiting: Classified['clusters'],
	stored: StoredRecord[],
): RememberResult['inProgress'] {
	const heldUntilOf = new Map<number, Date>();
	for (const cluster of waiting) {
		const until = Math.max(...cluster.existingIndices.map((index) => stored[index].heldUntil?.getTime() ?? 0));
		for (const index of cluster.inputIndices) heldUntilOf.set(index, new Date(until));
	}
	if (heldUntilOf.size === 0) return [];
	const inProgress: RememberResult['inProgress'] = [];
	const keep = (entry: { index: number; annotation: DedupeAnnotation }): boolean => {
		const until = heldUntilOf.get(entry.index);
		if (until === undefined) return true;
		const matchedId = entry.annotation.status === 'duplicate' ? entry.annotation.matched_id : null;
		inProgress.push({ index: entry.index, annotation: { status: 'in_progress', id: entry.annotation.id, matched_id: matchedId, held_until: until.toISOString() } });
		return false;
	};
	classified.unique = classified.unique.filter(keep);
	classified.duplicates = classified.duplicates.filter(keep);
	classified.clusters = classified.clusters.filter((cluster) => !waiting.includes(cluster));
	inProgress.sort((a, b) => a.index - b.index);
	return inProgress;
}
