/**
 * Opens the stores the node's parameters name; everything that knows the stores lives in lib/.
 * Each store opened is closed by `close`, opened or not the others.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PostgresDeadLetterStore } from '../../lib/deadLetters/postgres';
import { SqliteDeadLetterStore, defaultDeadLetterFile } from '../../lib/deadLetters/sqlite';
import { PostgresRecordStore } from '../../lib/dedupe/store/postgres';
import { SqliteRecordStore } from '../../lib/dedupe/store/sqlite';
import { PostgresDeliveryClaims } from '../../lib/nps/deliveryClaims';
import type { ErasureStores } from '../../lib/privacy/forget';
import { bigQueryRunner, leadsErasable, npsErasable, pgRunner, snowflakeRunner, sqliteRunner, type SqlRunner } from '../../lib/privacy/warehouse';
import { BigQueryClient } from '../../lib/warehouse/bigquery';
import { errorMessage } from '../../lib/warehouse/load';
import { PgSession, clientConfig, postgresConnection, type PostgresConnection } from '../../lib/warehouse/postgres';
import { redactSecrets } from '../../lib/warehouse/redact';
import { SnowflakeClient } from '../../lib/warehouse/snowflake';
import { defaultSqlitePath, openSqlite } from '../../lib/warehouse/sqlite';
import { defaultSqliteFile } from '../Dedupe/transport';
import { CREDENTIAL_TYPES, bigQueryConnection, n8nHttp, snowflakeConnection, type Target } from '../WarehouseInsert/transport';

export type EraseIn = 'dedupeSqlite' | 'dedupePostgres' | 'warehouse' | 'deadLetters' | 'npsRedelivery';

export interface OpenedStores {
	stores: ErasureStores;
	close(): Promise<void>;
}

function text(context: IExecuteFunctions, name: string): string {
	return String(context.getNodeParameter(name, 0, '') ?? '').trim();
}

export async function openStores(context: IExecuteFunctions, eraseIn: EraseIn[]): Promise<OpenedStores> {
	const stores: ErasureStores = {};
	const closers: Array<() => Promise<void>> = [];
	const close = async () => {
		for (const closer of closers.reverse()) await closer().catch(() => undefined);
	};
	let postgres: PostgresConnection | undefined;
	const warehousePostgres = async () => (postgres ??= postgresConnection(await context.getCredentials(CREDENTIAL_TYPES.postgres)));
	/** Opens one store; a failure closes what was opened and names the store. */
	const open = async <T>(what: string, work: () => Promise<T>, secrets: () => Array<string | undefined> = () => []): Promise<T> => {
		try {
			return await work();
		} catch (error) {
			await close();
			throw new NodeOperationError(context.getNode(), `${what} cannot be opened`, { description: redactSecrets(errorMessage(error), secrets()) });
		}
	};

	if (eraseIn.includes('dedupeSqlite')) {
		const store = await open('The Dedupe SQLite file', async () => SqliteRecordStore.open(text(context, 'dedupeSqliteFile') || defaultSqliteFile()));
		closers.push(() => store.close());
		(stores.dedupe ??= []).push({ name: 'dedupe_sqlite', store });
	}
	if (eraseIn.includes('dedupePostgres')) {
		// 1.1: the Warehouse PostgreSQL credential, as Dedupe 1.1 takes it; version 1 took a URL parameter
		const url = context.getNode().typeVersion >= 1.1 ? '' : text(context, 'dedupePostgresUrl');
		const store = await open('The Dedupe PostgreSQL store', async () => {
			if (context.getNode().typeVersion >= 1.1) return await PostgresRecordStore.connect(clientConfig(await warehousePostgres()));
			if (url === '') throw new Error('Dedupe PostgreSQL URL is empty');
			return await PostgresRecordStore.connect(url);
		}, () => [url, postgres?.password]);
		closers.push(() => store.close());
		(stores.dedupe ??= []).push({ name: 'dedupe_postgres', store });
	}
	if (eraseIn.includes('warehouse')) {
		const target = context.getNodeParameter('target', 0, 'sqlite') as Target;
		const runner = await open(`The ${target} warehouse`, async () => await warehouseRunner(context, target, closers, warehousePostgres));
		const tables = [
			...(text(context, 'leadsTable') ? [leadsErasable(text(context, 'leadsTable'))] : []),
			...(text(context, 'npsTable') ? [npsErasable(text(context, 'npsTable'))] : []),
		];
		stores.warehouse = { runner, tables };
	}
	if (eraseIn.includes('deadLetters')) {
		const kind = context.getNodeParameter('deadLetterStore', 0, 'sqlite') as 'sqlite' | 'postgres';
		const store = await open(
			'The dead-letter store',
			async () =>
				kind === 'sqlite'
					? await SqliteDeadLetterStore.open(text(context, 'deadLetterFile') || defaultDeadLetterFile())
					: await PostgresDeadLetterStore.connect(await warehousePostgres(), text(context, 'deadLetterTable') || undefined),
			() => [postgres?.password],
		);
		closers.push(() => store.close());
		stores.deadLetters = store;
	}
	if (eraseIn.includes('npsRedelivery')) {
		const claims = new PostgresDeliveryClaims({ ...clientConfig(await warehousePostgres()), application_name: 'n8n-nodes-revops forget person' });
		closers.push(() => claims.close());
		stores.npsDeliveries = claims;
	}
	return { stores, close };
}

async function warehouseRunner(
	context: IExecuteFunctions,
	target: Target,
	closers: Array<() => Promise<void>>,
	warehousePostgres: () => Promise<PostgresConnection>,
): Promise<SqlRunner> {
	if (target === 'sqlite') {
		const db = openSqlite(text(context, 'databaseFile') || defaultSqlitePath());
		closers.push(async () => db.close());
		return sqliteRunner(db);
	}
	if (target === 'snowflake') {
		return snowflakeRunner(new SnowflakeClient(snowflakeConnection(await context.getCredentials(CREDENTIAL_TYPES.snowflake)), n8nHttp(context)));
	}
	if (target === 'bigquery') {
		return bigQueryRunner(new BigQueryClient(bigQueryConnection(await context.getCredentials(CREDENTIAL_TYPES.bigquery)), n8nHttp(context)));
	}
	const connection = target === 'postgres' ? await warehousePostgres() : postgresConnection(await context.getCredentials(CREDENTIAL_TYPES.redshift));
	const session = new PgSession(clientConfig(connection));
	closers.push(() => session.close());
	return pgRunner(session, target);
}
