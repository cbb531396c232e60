import type { DedupeRecord } from '../types';

export interface StoredRecord {
	id: number;
	record: DedupeRecord;
	/**
	 * Set on a held record: one a matching run took as new and is writing elsewhere (the CRM), not yet
	 * remembered. Others meeting it wait; it is dropped when this time passes (its run failed or crashed).
	 */
	heldUntil?: Date;
	/** When it was last seen (retention counts from it). */
	lastSeenAt: Date;
}

/** A record to remember with its block keys; `heldUntil` stores it held (see StoredRecord). */
export interface NewRecord {
	record: DedupeRecord;
	blockKeys: string[];
	heldUntil?: Date;
}

/** Work done while holding a history's claim: nobody else reads or writes that history meanwhile. */
export interface HistoryTransaction {
	/** Stored records sharing at least one block key with the given ones. */
	candidates(blockKeys: string[]): Promise<StoredRecord[]>;
	/** Remembers new records with their block keys; returns their store ids in order. */
	insert(entries: NewRecord[]): Promise<number[]>;
	/** Notes that stored records were seen again, replacing their content when given (merged records). */
	touch(updates: Array<{ id: number; record?: DedupeRecord }>): Promise<void>;
	/** Turns held records into remembered ones, with the content that was written and its block keys. */
	confirm(updates: Array<{ id: number; record: DedupeRecord; blockKeys: string[] }>): Promise<void>;
	/** Forgets the given records if they are still held (a run that took them could not write them, or its hold ended). */
	release(ids: number[]): Promise<void>;
	/** Forgets the oldest records beyond `maxRecords`. */
	prune(maxRecords: number): Promise<void>;
	/** Forgets the records last seen before `cutoff` (retention). */
	expire(cutoff: Date): Promise<void>;
}

/**
 * Records remembered across executions, per history name. `withClaim` is the atomic claim: the
 * look-up of candidates and the insert of new records run under one lock, so two executions racing on
 * the same new lead see it as new exactly once. With `blockKeys` (the keys of every record the work
 * reads or writes), a store may lock only those keys, letting runs on unrelated records go on at once:
 * records that can match share a key. Without them the whole history is locked (pruning, retention).
 */
export interface RecordStore {
	withClaim<T>(history: string, work: (transaction: HistoryTransaction) => Promise<T>, blockKeys?: string[]): Promise<T>;
	/** Forgets every record of a history; returns how many there were. */
	clear(history: string): Promise<number>;
	/** Forgets, in every history, each record `matches` picks (erasure of a person); returns how many. */
	forget(matches: (record: DedupeRecord) => boolean): Promise<number>;
	close(): Promise<void>;
}

/** A store that cannot be used: which store (`summary`) and the driver's reason, kept apart for messages. */
export class RecordStoreError extends Error {
	constructor(
		readonly summary: string,
		readonly reason: string,
	) {
		super(`${summary}: ${reason}`);
	}
}

/** Records read per page while a whole store is searched (forget). */
export const RECORDS_PER_PAGE = 1000;

/** Splits a list into chunks, to keep SQL parameter lists bounded. */
export function chunks<T>(list: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < list.length; start += size) result.push(list.slice(start, start + size));
	return result;
}
