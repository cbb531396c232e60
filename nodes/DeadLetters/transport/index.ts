/** The dead-letter store the node's parameters choose (nodes/shared/storeChoice.ts); what it does lives in lib/deadLetters. */
import { DEFAULT_POSTGRES_TABLE, PostgresDeadLetterStore } from '../../../lib/deadLetters/postgres';
import { SqliteDeadLetterStore, defaultDeadLetterFile } from '../../../lib/deadLetters/sqlite';
import type { DeadLetterStore } from '../../../lib/deadLetters/store';
import type { StoreChoice } from '../../shared/storeChoice';

export { POSTGRES_CREDENTIAL } from '../../shared/storeChoice';

export const DEAD_LETTER_STORE: StoreChoice<DeadLetterStore> = {
	noun: 'dead-letter',
	defaultFile: () => defaultDeadLetterFile(),
	defaultTable: DEFAULT_POSTGRES_TABLE,
	openSqlite: async (file) => await SqliteDeadLetterStore.open(file),
	connectPostgres: async (connection, table) => await PostgresDeadLetterStore.connect(connection, table),
};
