/**
 * A SQLite file the pack keeps beside n8n's data (dead letters, flow metrics), run one statement
 * at a time. node:sqlite is synchronous and its busy timeout waits inside SQLite, holding n8n's
 * main thread: the timeout is zero here, and a statement that meets another writer's lock is
 * retried after an async wait.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { EventLoopTurns } from './eventLoopTurns';
import { withRetry, type RetryPolicy } from './warehouse/retry';
import { settle } from './warehouse/settle';
import { openSqlite } from './warehouse/sqlite';

/** Waits for another writer's lock: short at first, never more than 30 s in all. */
export const SQLITE_BUSY_RETRY: RetryPolicy = { attempts: 80, baseDelayMs: 5, maxDelayMs: 500 };

/** SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes included. */
export function isSqliteBusy(error: unknown): boolean {
	const code = (error as { errcode?: unknown } | null)?.errcode;
	return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
}

export class SqliteStatements {
	private readonly turns = new EventLoopTurns();
	private readonly prepared = new Map<string, StatementSync>();

	private constructor(private readonly db: DatabaseSync) {}

	/** Opens the file (creating it and its folder) and runs `schema` (CREATE ... IF NOT EXISTS). */
	static async open(file: string, schema: string, retry: RetryPolicy = SQLITE_BUSY_RETRY): Promise<SqliteStatements> {
		const db = await withRetry(async () => openSqlite(file, 0), isSqliteBusy, retry);
		const created = await settle(withRetry(async () => db.exec(schema), isSqliteBusy, retry));
		if (!created.ok) {
			db.close();
			throw created.error;
		}
		return new SqliteStatements(db);
	}

	/** The rows the statement returns (RETURNING included); each statement commits by itself. */
	async all<Row>(sql: string, values: unknown[]): Promise<Row[]> {
		// Each statement is synchronous: a node writing thousands of items would hold timers and requests until it finished.
		await this.turns.pass();
		let statement = this.prepared.get(sql);
		if (!statement) {
			statement = this.db.prepare(sql);
			this.prepared.set(sql, statement);
		}
		const prepared = statement;
		return await withRetry(async () => prepared.all(...(values as SQLInputValue[])) as unknown as Row[], isSqliteBusy, SQLITE_BUSY_RETRY);
	}

	close(): void {
		this.db.close();
	}
}
