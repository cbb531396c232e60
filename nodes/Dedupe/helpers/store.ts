import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DedupeRecord, Matcher } from '../../../lib/dedupe/matcher';
import { PostgresRecordStore } from '../../../lib/dedupe/store/postgres';
import { dedupeAgainstStore, releaseHeld, type HoldOptions } from '../../../lib/dedupe/remember';
import type { RecordStore } from '../../../lib/dedupe/store/recordStore';
import { RecordStoreError } from '../../../lib/dedupe/store/recordStore';
import { SqliteRecordStore } from '../../../lib/dedupe/store/sqlite';
import type { MergeOptions } from '../../../lib/dedupe/survivorship';
import { splitList, type DedupeNodeOptions } from './config';
import { annotatedItems, mergedItems, splitOutputs, warnUnmatchable } from './output';
import { recordsOf } from '../../shared/recordLocation';
import { n8nDataFile } from '../../../lib/n8nDataFolder';
import { maxAgeMs } from '../../../lib/retention';
import { clientConfig, postgresConnection } from '../../../lib/warehouse/postgres';
import type { ClientConfig } from 'pg';

/** The record store's file when none is set: beside n8n's own data. */
export const defaultSqliteFile = (): string => n8nDataFile('revops-dedupe.sqlite');

function sqliteFile(context: IExecuteFunctions): string {
	const configured = (context.getNodeParameter('sqlitePath', 0, '') as string).trim();
	return configured !== '' ? configured : defaultSqliteFile();
}

/** The credential the PostgreSQL record store connects with (Dedupe 1.1), shared with Warehouse Insert and the Dead Letter Queue. */
export const POSTGRES_CREDENTIAL = 'warehousePostgresApi';

/** Where the PostgreSQL store is: the credential (1.1), or the URL parameter of version 1. */
async function postgresTarget(context: IExecuteFunctions): Promise<string | ClientConfig> {
	if (context.getNode().typeVersion >= 1.1) {
		return { ...clientConfig(postgresConnection(await context.getCredentials(POSTGRES_CREDENTIAL))), application_name: 'n8n-nodes-revops dedupe' };
	}
	const url = (context.getNodeParameter('postgresUrl', 0, '') as string).trim();
	if (url === '') throw new Error('PostgreSQL URL is empty');
	return url;
}

async function openStore(context: IExecuteFunctions): Promise<RecordStore> {
	const store = context.getNodeParameter('store', 0) as 'sqlite' | 'postgres';
	try {
		if (store === 'sqlite') return SqliteRecordStore.open(sqliteFile(context));
		return await PostgresRecordStore.connect(await postgresTarget(context));
	} catch (error) {
		// The store's name leads the message; the driver's reason ("connect ECONNREFUSED ...") goes to
		// the description, where n8n does not replace it with a generic text.
		const { summary, reason } = error instanceof RecordStoreError ? error : { summary: (error as Error).message, reason: '' };
		const hint =
			store === 'sqlite'
				? 'Check the SQLite File path and its folder’s permissions'
				: context.getNode().typeVersion >= 1.1
					? 'Check the Warehouse PostgreSQL credential and that the server is reachable'
					: 'Check the PostgreSQL URL and that the server is reachable';
		throw new NodeOperationError(context.getNode(), summary, { description: reason === '' ? hint : `${reason}. ${hint}` });
	}
}

function historyName(context: IExecuteFunctions): string {
	const name = String(context.getNodeParameter('historyName', 0, '') ?? '').trim();
	if (name === '') throw new NodeOperationError(context.getNode(), 'History Name is empty', { description: 'Name the history to keep records under' });
	return name;
}

export async function clearHistory(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const history = historyName(context);
	const store = await openStore(context);
	try {
		const cleared = await store.clear(history);
		return [{ json: { history, cleared }, pairedItem: { item: 0 } }];
	} finally {
		await store.close();
	}
}

/** Runs `work` on the opened store under the history name; a store failure names the store. */
async function withHistoryStore<T>(context: IExecuteFunctions, work: (store: RecordStore, history: string) => Promise<T>): Promise<T> {
	const history = historyName(context);
	const store = await openStore(context);
	try {
		return await work(store, history);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), 'Record store failed', { description: (error as Error).message });
	} finally {
		await store.close();
	}
}

/** Matches the input with the records remembered under the history name (see dedupeAgainstStore). */
export async function matchAgainstStore(
	context: IExecuteFunctions,
	matcher: Matcher,
	items: INodeExecutionData[],
	options: DedupeNodeOptions,
	outputMode: 'split' | 'merge',
	mergeOptions: MergeOptions,
): Promise<INodeExecutionData[][]> {
	const input = recordsOf(context, items) as DedupeRecord[];
	const hold = holdOptions(options, outputMode);
	const { classified, merged, inProgress } = await withHistoryStore(context, async (store, history) =>
		await dedupeAgainstStore(store, matcher, input, {
			history,
			idField: mergeOptions.idField,
			merge: outputMode === 'merge' ? mergeOptions : undefined,
			historySize: options.historySize ?? 100_000,
			maxAgeMs: maxAgeMs(options.maxAgeDays),
			remember: options.rememberUnique ?? true,
			copyFromMatch: splitList(options.copyFromMatch ?? ''),
			hold,
		}),
	);
	warnUnmatchable(context, classified);
	if (merged !== undefined) return [mergedItems(merged)];
	const outputs = splitOutputs(items, classified, mergeOptions.metaKey);
	return hold === undefined ? outputs : [...outputs, annotatedItems(items, inProgress, mergeOptions.metaKey)];
}

/**
 * Holds (the In Progress output): only when matching without remembering, in Unique and Duplicates mode,
 * as the node's outputs expression (HOLDS_EXPRESSION in Dedupe.node.ts) shows them.
 */
function holdOptions(options: DedupeNodeOptions, outputMode: 'split' | 'merge'): HoldOptions | undefined {
	if (options.rememberUnique !== false || options.holdNewRecords !== true || outputMode !== 'split') return undefined;
	return { holdMs: (options.holdSeconds ?? 300) * 1000, waitMs: (options.holdWaitSeconds ?? 20) * 1000 };
}

/** The input records without the annotation an earlier Dedupe node added, which is never stored. */
function unannotated(records: DedupeRecord[], metaKey: string): DedupeRecord[] {
	return records.map((found) => {
		const record = { ...found } as DedupeRecord;
		delete record[metaKey];
		return record;
	});
}

/**
 * Adds the input records to the history a "Match Against Previous Executions" node with the same
 * store, history name and rules matches against (one already there is marked seen again), and
 * passes the items through unchanged. The annotation an earlier Dedupe node added is not stored.
 */
export async function rememberRecords(
	context: IExecuteFunctions,
	matcher: Matcher,
	items: INodeExecutionData[],
	options: DedupeNodeOptions,
	mergeOptions: MergeOptions,
): Promise<INodeExecutionData[]> {
	const input = unannotated(recordsOf(context, items) as DedupeRecord[], mergeOptions.metaKey);
	await withHistoryStore(context, async (store, history) =>
		await dedupeAgainstStore(store, matcher, input, {
			history,
			idField: mergeOptions.idField,
			historySize: options.historySize ?? 100_000,
			maxAgeMs: maxAgeMs(options.maxAgeDays),
		}),
	);
	return items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
}

/**
 * Forgets the held records the input records match (their execution could not write them: see Hold New Records
 * Until Remembered), so the same lead is new again at once instead of after Hold Time; passes the items through.
 * Only records the matching node annotated unique are released.
 */
export async function releaseHeldRecords(
	context: IExecuteFunctions,
	matcher: Matcher,
	items: INodeExecutionData[],
	mergeOptions: MergeOptions,
): Promise<INodeExecutionData[]> {
	// Only what this execution's matching node took as new was held by it: a lead it found in progress (held
	// by another execution) or never matched must not end someone else's hold.
	const heldHere = (record: DedupeRecord): boolean => (record[mergeOptions.metaKey] as { status?: unknown } | undefined)?.status === 'unique';
	const input = unannotated((recordsOf(context, items) as DedupeRecord[]).filter(heldHere), mergeOptions.metaKey);
	if (input.length > 0) {
		await withHistoryStore(context, async (store, history) => await releaseHeld(store, matcher, input, { history, idField: mergeOptions.idField }));
	}
	return items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
}
