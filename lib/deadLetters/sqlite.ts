/**
 * The embedded dead-letter store: a SQLite file (node:sqlite) in n8n's user folder, one statement
 * at a time through SqliteStatements (never blocking n8n's main thread on another writer's lock).
 */
import { n8nDataFile } from '../n8nDataFolder';
import { SqliteStatements } from '../sqliteStatements';
import { SqlDeadLetterStore, type EntryRow, type Statement } from './store';

const TABLE = 'revops_dead_letters';
const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	workflow_id TEXT NOT NULL,
	workflow_name TEXT NOT NULL,
	step TEXT NOT NULL,
	item_key TEXT NOT NULL,
	key_source TEXT NOT NULL,
	reason TEXT NOT NULL,
	item TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	first_failed_at TEXT NOT NULL,
	last_failed_at TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('pending', 'resolved', 'gave_up')),
	resolution TEXT,
	resolved_at TEXT,
	claimed_until TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS ${TABLE}_open ON ${TABLE} (workflow_id, step, item_key) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS ${TABLE}_status ON ${TABLE} (status, last_failed_at);
`;

/** `revops-dead-letters.sqlite` in n8n's data folder. */
export function defaultDeadLetterFile(env: NodeJS.ProcessEnv = process.env): string {
	return n8nDataFile('revops-dead-letters.sqlite', env);
}

export class SqliteDeadLetterStore extends SqlDeadLetterStore {
	private constructor(private readonly db: SqliteStatements) {
		super({ table: TABLE, param: (position) => `?${position}`, time: (position) => `?${position}`, claimLock: '' });
	}

	static async open(file: string): Promise<SqliteDeadLetterStore> {
		return new SqliteDeadLetterStore(await SqliteStatements.open(file, SCHEMA));
	}

	protected async run({ sql, values }: Statement): Promise<EntryRow[]> {
		return await this.db.all<EntryRow>(sql, values);
	}

	/** Each statement commits by itself: WAL with synchronous=NORMAL makes that cheap, and no lock is held across an await. */
	protected async together(work: () => Promise<void>): Promise<void> {
		await work();
	}

	async close(): Promise<void> {
		this.db.close();
	}
}
