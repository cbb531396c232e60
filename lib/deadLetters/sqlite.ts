/**
 * The embedded dead-letter store: a SQLite file (node:sqlite) in n8n's user folder. node:sqlite
 * is synchronous and its busy timeout waits inside SQLite, holding n8n's main thread: the timeout
 * is zero here, and a statement that meets another writer's lock is retried after an async wait.
 */
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { withRetry, type RetryPolicy } from '../warehouse/retry';
import { settle } from '../warehouse/settle';
import { openSqlite } from '../warehouse/sqlite';
import { EventLoopTurns } from './turns';
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

/** Waits for another writer's lock: short at first, never more than 30 s in all. */
const BUSY_RETRY: RetryPolicy = { attempts: 80, baseDelayMs: 5, maxDelayMs: 500 };

/** SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes included. */
export function isSqliteBusy(error: unknown): boolean {
	const code = (error as { errcode?: unknown } | null)?.errcode;
	return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
}

/** Where n8n keeps its own data (`N8N_USER_FOLDER`, else the home folder), in its `.n8n` folder. */
export function defaultDeadLetterFile(env: NodeJS.ProcessEnv = process.env): string {
	return path.join(env.N8N_USER_FOLDER || os.homedir(), '.n8n', 'revops-dead-letters.sqlite');
}

export class SqliteDeadLetterStore extends SqlDeadLetterStore {
	private readonly turns = new EventLoopTurns();
	private readonly prepared = new Map<string, StatementSync>();

	private constructor(private readonly db: DatabaseSync) {
		super({ table: TABLE, param: (position) => `?${position}`, time: (position) => `?${position}`, claimLock: '' });
	}

	static async open(file: string, retry: RetryPolicy = BUSY_RETRY): Promise<SqliteDeadLetterStore> {
		const db = await withRetry(async () => openSqlite(file, 0), isSqliteBusy, retry);
		const store = new SqliteDeadLetterStore(db);
		const schema = await settle(withRetry(async () => db.exec(SCHEMA), isSqliteBusy, retry));
		if (!schema.ok) {
			db.close();
			throw schema.error;
		}
		return store;
	}

	protected async run({ sql, values }: Statement): Promise<EntryRow[]> {
		// Each statement is synchronous: a node storing thousands of items would hold timers and requests until it finished.
		await this.turns.pass();
		let statement = this.prepared.get(sql);
		if (!statement) {
			statement = this.db.prepare(sql);
			this.prepared.set(sql, statement);
		}
		return await withRetry(async () => statement.all(...(values as SQLInputValue[])) as unknown as EntryRow[], isSqliteBusy, BUSY_RETRY);
	}

	/** Each statement commits by itself: WAL with synchronous=NORMAL makes that cheap, and no lock is held across an await. */
	protected async together(work: () => Promise<void>): Promise<void> {
		await work();
	}

	async close(): Promise<void> {
		this.db.close();
	}
}
