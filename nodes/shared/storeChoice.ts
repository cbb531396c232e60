/**
 * "Store: SQLite (Embedded) or PostgreSQL" of the nodes that keep their own table (Dead Letter
 * Queue, Flow Health): the same parameters, wording and errors on each panel, and one way to open
 * what they choose. What the stores do lives in lib/.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { expiryCutoff } from '../../lib/retention';
import { errorMessage } from '../../lib/warehouse/load';
import { postgresConnection, type PostgresConnection } from '../../lib/warehouse/postgres';
import { redactSecrets } from '../../lib/warehouse/redact';
import { maxAgeDaysProperty } from './retention';

export const POSTGRES_CREDENTIAL = 'warehousePostgresApi';

export interface StoreChoice<Store> {
	/** What the store keeps, as in "the dead-letter file" / "the PostgreSQL dead-letter store". */
	noun: string;
	/** The SQLite file used when Database File is empty (in n8n's data folder). */
	defaultFile: () => string;
	defaultTable: string;
	openSqlite: (file: string) => Promise<Store>;
	connectPostgres: (connection: PostgresConnection, table: string) => Promise<Store>;
}

/** Store, Database File, Table and Max Age (Days); `retention` says what Max Age deletes. */
export function storeChoiceProperties(choice: StoreChoice<unknown>, tableDescription: string, retention: string): INodeProperties[] {
	return [
		{
			displayName: 'Store',
			name: 'store',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'SQLite (Embedded)', value: 'sqlite', description: 'A file on the n8n server: nothing to set up' },
				{ name: 'PostgreSQL', value: 'postgres', description: 'Shared by every n8n worker (queue mode)' },
			],
			default: 'sqlite',
		},
		{
			displayName: 'Database File',
			name: 'databaseFile',
			type: 'string',
			default: '',
			// The placeholder is the file used when this stays empty, as the n8n server running the node sees it.
			placeholder: choice.defaultFile(),
			description: "Path of the SQLite file on the n8n server, created when missing. Empty: the placeholder's file in n8n's own data folder.",
			displayOptions: { show: { store: ['sqlite'] } },
		},
		{
			displayName: 'Table',
			name: 'tableName',
			type: 'string',
			default: '',
			placeholder: choice.defaultTable,
			description: `${tableDescription}. Empty means ${choice.defaultTable}.`,
			displayOptions: { show: { store: ['postgres'] } },
		},
		maxAgeDaysProperty(retention),
	];
}

/** Opens the store the node's parameters choose, with the Warehouse PostgreSQL credential for PostgreSQL. */
export async function openChosenStore<Store>(context: IExecuteFunctions, choice: StoreChoice<Store>): Promise<Store> {
	if ((context.getNodeParameter('store', 0) as string) === 'sqlite') {
		const file = (context.getNodeParameter('databaseFile', 0, '') as string).trim() || choice.defaultFile();
		try {
			return await choice.openSqlite(file);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `The ${choice.noun} file '${file}' cannot be opened`, {
				description: `${errorMessage(error)}. Check the Database File path and its folder’s permissions.`,
			});
		}
	}
	const connection = postgresConnection(await context.getCredentials(POSTGRES_CREDENTIAL));
	const table = (context.getNodeParameter('tableName', 0, '') as string).trim() || choice.defaultTable;
	try {
		return await choice.connectPostgres(connection, table);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `The PostgreSQL ${choice.noun} store is unreachable or unusable`, {
			description: `${redactSecrets(errorMessage(error), [connection.password])}. Check the Warehouse PostgreSQL credential and the Table.`,
		});
	}
}

/** A store that keeps rows for a while and is closed after use. */
interface ExpiringStore {
	expire(cutoff: Date): Promise<number>;
	close(): Promise<void>;
}

/** An operation of a node with a store: its outputs from the open store and the input items. */
export interface StoreOperation<Store> {
	execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]>;
}

/**
 * The router of a node with a store: opens it once per execution of the node, applies Max Age (Days),
 * runs the chosen operation, closes the store.
 */
export async function routeWithStore<Store extends ExpiringStore>(
	context: IExecuteFunctions,
	choice: StoreChoice<Store>,
	operations: Record<string, StoreOperation<Store>>,
): Promise<INodeExecutionData[][]> {
	const operation = operations[context.getNodeParameter('operation', 0) as string];
	const items = context.getInputData();
	const store = await openChosenStore(context, choice);
	try {
		const cutoff = expiryCutoff(context.getNodeParameter('maxAgeDays', 0, 0));
		if (cutoff !== undefined) await store.expire(cutoff);
		return await operation.execute.call(context, store, items);
	} finally {
		await store.close();
	}
}
