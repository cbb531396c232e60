/**
 * The dead-letter store in PostgreSQL, for queue mode (several n8n workers), through the
 * warehouse's connection code. A replay's claim skips rows another replay is locking, so two
 * replays running at once never take the same entry.
 */
import { parseTableName, quoteIdentifier, quoteTableName, type TableName } from '../warehouse/identifiers';
import { type PgSession, type PostgresConnection, pgSessionWithSchema } from '../warehouse/postgres';
import { SqlDeadLetterStore, type EntryRow, type Statement } from './store';

export const DEFAULT_POSTGRES_TABLE = 'revops_dead_letters';

function schemaSql(name: TableName): string {
	const table = quoteTableName(name);
	return `
CREATE TABLE IF NOT EXISTS ${table} (
	id BIGSERIAL PRIMARY KEY,
	workflow_id TEXT NOT NULL,
	workflow_name TEXT NOT NULL,
	step TEXT NOT NULL,
	item_key TEXT NOT NULL,
	key_source TEXT NOT NULL,
	reason TEXT NOT NULL,
	-- TEXT, not JSONB: the item is kept exactly as read (JSONB refuses \\u0000 and lone surrogates, and reorders keys).
	item TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	first_failed_at TIMESTAMPTZ NOT NULL,
	last_failed_at TIMESTAMPTZ NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('pending', 'resolved', 'gave_up')),
	resolution TEXT,
	resolved_at TIMESTAMPTZ,
	claimed_until TIMESTAMPTZ
);
CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdentifier(`${name.table}_open`)} ON ${table} (workflow_id, step, item_key) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${name.table}_status`)} ON ${table} (status, last_failed_at);
`;
}
/** Namespaces this store's advisory lock (the dedupe store uses another). */
const SCHEMA_LOCK = 740_332;

export class PostgresDeadLetterStore extends SqlDeadLetterStore {
	private constructor(
		private readonly session: PgSession,
		table: TableName,
	) {
		super({
			table: quoteTableName(table),
			param: (position) => `$${position}`,
			time: (position) => `$${position}::timestamptz`,
			claimLock: 'FOR UPDATE SKIP LOCKED',
		});
	}

	/** `table` may name its schema (`ops.dead_letters`); it is created when missing. */
	static async connect(connection: PostgresConnection, table = DEFAULT_POSTGRES_TABLE): Promise<PostgresDeadLetterStore> {
		const name = parseTableName(table);
		const session = await pgSessionWithSchema(connection, 'n8n-nodes-revops dead letters', SCHEMA_LOCK, schemaSql(name));
		return new PostgresDeadLetterStore(session, name);
	}

	protected async run({ sql, values }: Statement): Promise<EntryRow[]> {
		return await this.session.query<EntryRow>(sql, values);
	}

	protected async together(work: () => Promise<void>): Promise<void> {
		await this.session.transaction(work);
	}

	async close(): Promise<void> {
		await this.session.close();
	}
}
