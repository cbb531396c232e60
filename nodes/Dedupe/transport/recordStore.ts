import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ClientConfig } from 'pg';

import type { DedupeRecord, Matcher } from '../../../lib/dedupe/matcher';
import { dedupeAgainstStore, releaseHeld, type RememberResult } from '../../../lib/dedupe/remember';
import { PostgresRecordStore } from '../../../lib/dedupe/store/postgres';
import type { RecordStore } from '../../../lib/dedupe/store/recordStore';
import { RecordStoreError } from '../../../lib/dedupe/store/recordStore';
import { SqliteRecordStore } from '../../../lib/dedupe/store/sqlite';
import { n8nDataFile } from '../../../lib/n8nDataFolder';
import { clientConfig, postgresConnection } from '../../../lib/warehouse/postgres';
import type { DedupeHistory, MatchOptions } from './index';

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

/** The SQLite or PostgreSQL record store, holding whole records under the History Name: what lib/dedupe/remember works on. */
class RecordStoreHistory implements DedupeHistory {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly store: RecordStore,
		private readonly history: string,
	) {}

	/** Runs `work`; a store failure names the store. */
	private async named<T>(work: () => Promise<T>): Promise<T> {
		try {
			return await work();
		} catch (error) {
			throw new NodeOperationError(this.context.getNode(), 'Record store failed', { description: (error as Error).message });
		}
	}

	async match(matcher: Matcher, input: DedupeRecord[], options: MatchOptions): Promise<RememberResult> {
		return await this.named(async () => await dedupeAgainstStore(this.store, matcher, input, { ...options, history: this.history }));
	}

	async remember(matcher: Matcher, input: DedupeRecord[], options: Pick<MatchOptions, 'idField' | 'historySize' | 'maxAgeMs'>): Promise<void> {
		await this.named(async () => await dedupeAgainstStore(this.store, matcher, input, { ...options, history: this.history }));
	}

	async release(matcher: Matcher, input: DedupeRecord[], idField: string): Promise<void> {
		await this.named(async () => await releaseHeld(this.store, matcher, input, { history: this.history, idField }));
	}

	async clear(): Promise<IDataObject> {
		return { history: this.history, cleared: await this.store.clear(this.history) };
	}

	async close(): Promise<void> {
		await this.store.close();
	}
}

/** The record store under the History Name: the name is checked before the store is opened. */
export async function openRecordStoreHistory(context: IExecuteFunctions): Promise<DedupeHistory> {
	const history = historyName(context);
	return new RecordStoreHistory(context, await openStore(context), history);
}
