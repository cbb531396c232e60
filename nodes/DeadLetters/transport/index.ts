/**
 * Opens the dead-letter store the node's parameters choose, with the Warehouse PostgreSQL
 * credential for PostgreSQL. Everything that knows the databases lives in lib/deadLetters.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_POSTGRES_TABLE, PostgresDeadLetterStore } from '../../../lib/deadLetters/postgres';
import { SqliteDeadLetterStore, defaultDeadLetterFile } from '../../../lib/deadLetters/sqlite';
import type { DeadLetterStore } from '../../../lib/deadLetters/store';
import { errorMessage } from '../../../lib/warehouse/load';
import { postgresConnection } from '../../../lib/warehouse/postgres';
import { redactSecrets } from '../../../lib/warehouse/redact';

export type StoreKind = 'sqlite' | 'postgres';
export const POSTGRES_CREDENTIAL = 'warehousePostgresApi';

export async function openDeadLetterStore(context: IExecuteFunctions): Promise<DeadLetterStore> {
	const kind = context.getNodeParameter('store', 0) as StoreKind;
	if (kind === 'sqlite') {
		const file = (context.getNodeParameter('databaseFile', 0, '') as string).trim() || defaultDeadLetterFile();
		try {
			return await SqliteDeadLetterStore.open(file);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `The dead-letter file '${file}' cannot be opened`, {
				description: `${errorMessage(error)}. Check the Database File path and its folder’s permissions.`,
			});
		}
	}
	const connection = postgresConnection(await context.getCredentials(POSTGRES_CREDENTIAL));
	const table = (context.getNodeParameter('tableName', 0, '') as string).trim() || DEFAULT_POSTGRES_TABLE;
	try {
		return await PostgresDeadLetterStore.connect(connection, table);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), 'The PostgreSQL dead-letter store is unreachable or unusable', {
			description: `${redactSecrets(errorMessage(error), [connection.password])}. Check the Warehouse PostgreSQL credential and the Table.`,
		});
	}
}
