/**
 * The history Dedupe keeps between executions, as the node's parameters choose it: one interface, opened
 * here only. Its adapters are a SQLite or PostgreSQL record store under a History Name (recordStore.ts;
 * what the stores do lives in lib/dedupe) and n8n's own processed-data store, which keeps exact keys
 * (processedData.ts).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { DedupeRecord, Matcher } from '../../../lib/dedupe/matcher';
import type { RememberOptions, RememberResult } from '../../../lib/dedupe/remember';
import { ProcessedDataHistory, otherNodesKeysRefused } from './processedData';
import { openRecordStoreHistory } from './recordStore';

export { defaultSqliteFile, POSTGRES_CREDENTIAL } from './recordStore';

/** What Match Against Previous Executions asks of a history: lib/dedupe/remember's options but the history name. */
export type MatchOptions = Omit<RememberOptions, 'history'>;

export interface DedupeHistory {
	/** Matches the input records with the history, remembering the new ones unless told not to. */
	match(matcher: Matcher, input: DedupeRecord[], options: MatchOptions): Promise<Pick<RememberResult, 'classified' | 'merged' | 'inProgress'>>;
	/** Adds the records to the history (one already there is marked seen again). */
	remember(matcher: Matcher, input: DedupeRecord[], options: Pick<MatchOptions, 'idField' | 'historySize' | 'maxAgeMs'>): Promise<void>;
	/** Forgets the held records the input records match. */
	release(matcher: Matcher, input: DedupeRecord[], idField: string): Promise<void>;
	/** Forgets the whole history; what it says is the Done output's item. */
	clear(): Promise<IDataObject>;
	close(): Promise<void>;
}

/** The Record Store parameter's value that names n8n's processed-data store. */
const PROCESSED_DATA_STORE = 'n8n';

/**
 * Remember Records and Release Held Records reach the history another node matches against: n8n keeps
 * processed keys per node, so with its store they stop here, before anything else is read.
 */
export function refuseProcessedDataStore(context: IExecuteFunctions): void {
	if ((context.getNodeParameter('store', 0) as string) !== PROCESSED_DATA_STORE) return;
	throw otherNodesKeysRefused(context);
}

/** Opens the history the node's parameters choose, runs `work` on it, closes it. */
export async function withHistory<T>(context: IExecuteFunctions, work: (history: DedupeHistory) => Promise<T>): Promise<T> {
	const history: DedupeHistory =
		(context.getNodeParameter('store', 0) as string) === PROCESSED_DATA_STORE ? new ProcessedDataHistory(context) : await openRecordStoreHistory(context);
	try {
		return await work(history);
	} finally {
		await history.close();
	}
}
