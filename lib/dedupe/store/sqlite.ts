import { realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseSync } from 'node:sqlite';

import type { DedupeRecord } from '../matcher';
import type { HistoryTransaction, RecordStore, StoredRecord } from './recordStore';
import { RECORDS_PER_PAGE, RecordStoreError, chunks } from './recordStore';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dedupe_records (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	history TEXT NOT NULL,
	record TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	last_seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	seen_count INTEGER NOT NULL DEFAULT 1,
	held_until TEXT
);
CREATE INDEX IF NOT EXISTS dedupe_records_history ON dedupe_records (history, id);
-- retention (Max Age) deletes by last sighting at every run: without it, each run reads the whole history
CREATE INDEX IF NOT EXISTS dedupe_records_seen ON dedupe_records (history, last_seen_at);
CREATE TABLE IF NOT EXISTS dedupe_keys (
	history TEXT NOT NULL,
	block_key TEXT NOT NULL,
	record_id INTEGER NOT NULL REFERENCES dedupe_records (id) ON DELETE CASCADE,
	PRIMARY KEY (history, block_key, record_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dedupe_keys_record ON dedupe_keys (record_id);
`;

/** Adds the held_until column to a file made before holds existed; another process adding it at the same moment is fine. */
function addHeldColumn(db: DatabaseSync): void {
	const hasColumn = () => (db.prepare('PRAGMA table_info(dedupe_records)').all() as Array<{ name: string }>).some((column) => column.name === 'held_until');
	if (hasColumn()) return;
	let reason = '';
	try {
		db.exec('ALTER TABLE dedupe_records ADD COLUMN held_until TEXT');
	} catch (error) {
		reason = (error as Error).message;
	}
	if (!hasColumn()) throw new Error(`cannot add the held_until column: ${reason}`);
}
/** SQLite's default limit on bound parameters is 32,766; stay well below. */
const KEYS_PER_QUERY = 500;
/**
 * How long one statement may wait on SQLite's lock. node:sqlite waits synchronously, blocking
 * n8n's event loop: longer waits for the write lock happen between tries (CLAIM_WAIT_MS).
 */
const BUSY_TIMEOUT_MS = 50;
/** How long a claim waits, asynchronously, for another process to release the write lock. */
const CLAIM_WAIT_MS = 30_000;
const CLAIM_RETRY_MAX_DELAY_MS = 250;
/** SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock. */
const LOCKED_CODES = new Set([5, 6]);

function isLocked(error: unknown): boolean {
	const code = (error as { errcode?: unknown } | null)?.errcode;
	return typeof code === 'number' && LOCKED_CODES.has(code & 0xff);
}

/**
 * Claims in progress per database file in this process, keyed by the file's real path (two
 * spellings or a symlink are one file). node:sqlite is synchronous: a second connection of the
 * same process waiting on the file lock would block the thread the first one needs to finish, so
 * claims within one process queue here; other processes' claims are waited for between tries.
 */
const claimQueues = new Map<string, Promise<unknown>>();

/**
 * The embedded record store: one SQLite file (node:sqlite, built into Node 22.5+). BEGIN
 * IMMEDIATE takes the database's write lock before the look-up, which is the atomic claim
 * between executions and between processes sharing the file.
 */
export class SqliteRecordStore implements RecordStore {
	private constructor(
		private readonly db: DatabaseSync,
		private readonly file: string,
	) {}

	static open(file: string): SqliteRecordStore {
		// Loaded on use: node:sqlite exists only on the Node versions n8n 2 runs on.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { DatabaseSync: Database } = require('node:sqlite') as typeof import('node:sqlite');
		let db: DatabaseSync | undefined;
		let failure: Error | undefined;
		try {
			db = new Database(file);
			db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;`);
			db.exec(SCHEMA);
			addHeldColumn(db);
		} catch (error) {
			failure = error as Error;
			db?.close();
		}
		if (db === undefined || failure !== undefined) {
			throw new RecordStoreError(`SQLite record store '${file}' cannot be opened`, failure?.message ?? 'unknown error');
		}
		return new SqliteRecordStore(db, realpathSync(file));
	}

	async withClaim<T>(history: string, work: (transaction: HistoryTransaction) => Promise<T>): Promise<T> {
		return await this.queued(async () => await this.claim(history, work));
	}

	/** Runs `work` after the claims of this process on the same file (see claimQueues). */
	private async queued<T>(work: () => Promise<T>): Promise<T> {
		const previous = claimQueues.get(this.file) ?? Promise.resolve();
		const claim = previous.catch(() => undefined).then(work);
		claimQueues.set(this.file, claim);
		try {
			return await claim;
		} finally {
			if (claimQueues.get(this.file) === claim) claimQueues.delete(this.file);
		}
	}

	private async claim<T>(history: string, work: (transaction: HistoryTransaction) => Promise<T>): Promise<T> {
		const db = this.db;
		await this.beginImmediate();
		const insertKey = db.prepare('INSERT OR IGNORE INTO dedupe_keys (history, block_key, record_id) VALUES (?, ?, ?)');
		const addKeys = (id: number, blockKeys: string[]): void => {
			for (const key of blockKeys) insertKey.run(history, key, id);
		};
		const transaction: HistoryTransaction = {
			async candidates(blockKeys) {
				const found = new Map<number, StoredRecord>();
				for (const part of chunks([...new Set(blockKeys)], KEYS_PER_QUERY)) {
					const rows = db
						.prepare(
							`SELECT DISTINCT r.id AS id, r.record AS record, r.held_until AS held_until, r.last_seen_at AS last_seen_at
							 FROM dedupe_keys k JOIN dedupe_records r ON r.id = k.record_id
							 WHERE k.history = ? AND k.block_key IN (${part.map(() => '?').join(',')})`,
						)
						.all(history, ...part) as Array<{ id: number; record: string; held_until: string | null; last_seen_at: string }>;
					for (const row of rows) {
						const held = row.held_until === null ? {} : { heldUntil: new Date(row.held_until) };
						found.set(row.id, { id: row.id, record: JSON.parse(row.record) as DedupeRecord, lastSeenAt: new Date(row.last_seen_at), ...held });
					}
				}
				return [...found.values()].sort((a, b) => a.id - b.id);
			},
			async insert(entries) {
				const insertRecord = db.prepare('INSERT INTO dedupe_records (history, record, held_until) VALUES (?, ?, ?) RETURNING id');
				return entries.map(({ record, blockKeys, heldUntil }) => {
					const { id } = insertRecord.get(history, JSON.stringify(record), heldUntil?.toISOString() ?? null) as { id: number };
					addKeys(id, blockKeys);
					return id;
				});
			},
			async touch(updates) {
				const seen = db.prepare(
					`UPDATE dedupe_records SET seen_count = seen_count + 1, last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
					 record = COALESCE(?, record) WHERE id = ?`,
				);
				for (const { id, record } of updates) seen.run(record === undefined ? null : JSON.stringify(record), id);
			},
			async confirm(updates) {
				const confirmed = db.prepare(
					`UPDATE dedupe_records SET held_until = NULL, seen_count = seen_count + 1,
					 last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), record = ? WHERE id = ?`,
				);
				for (const { id, record, blockKeys } of updates) {
					confirmed.run(JSON.stringify(record), id);
					addKeys(id, blockKeys);
				}
			},
			async release(ids) {
				const release = db.prepare('DELETE FROM dedupe_records WHERE id = ? AND held_until IS NOT NULL');
				for (const id of ids) release.run(id);
			},
			async prune(maxRecords) {
				db.prepare(
					'DELETE FROM dedupe_records WHERE history = ? AND id <= (SELECT id FROM dedupe_records WHERE history = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
				).run(history, history, maxRecords);
			},
			async expire(cutoff) {
				db.prepare('DELETE FROM dedupe_records WHERE history = ? AND last_seen_at < ?').run(history, cutoff.toISOString());
			},
		};
		let committed = false;
		try {
			const result = await work(transaction);
			db.exec('COMMIT');
			committed = true;
			return result;
		} finally {
			if (!committed) db.exec('ROLLBACK');
		}
	}

	/** BEGIN IMMEDIATE, retried with growing pauses while another process holds the write lock. */
	private async beginImmediate(): Promise<void> {
		const deadline = Date.now() + CLAIM_WAIT_MS;
		for (let delay = 5; ; delay = Math.min(delay * 2, CLAIM_RETRY_MAX_DELAY_MS)) {
			let failure: unknown;
			try {
				this.db.exec('BEGIN IMMEDIATE');
				return;
			} catch (error) {
				failure = error;
			}
			if (!isLocked(failure) || Date.now() >= deadline) throw failure;
			await sleep(delay);
		}
	}

	async clear(history: string): Promise<number> {
		const { changes } = this.db.prepare('DELETE FROM dedupe_records WHERE history = ?').run(history);
		return Number(changes);
	}

	/** Under the write lock, as a claim: a Dedupe run on the same file waits instead of meeting a half-done erasure. */
	async forget(matches: (record: DedupeRecord) => boolean): Promise<number> {
		return await this.queued(async () => {
			await this.beginImmediate();
			let committed = false;
			try {
				const forgotten = this.forgetMatching(matches);
				this.db.exec('COMMIT');
				committed = true;
				return forgotten;
			} finally {
				if (!committed) this.db.exec('ROLLBACK');
			}
		});
	}

	private forgetMatching(matches: (record: DedupeRecord) => boolean): number {
		const page = this.db.prepare('SELECT id, record FROM dedupe_records WHERE id > ? ORDER BY id LIMIT ?');
		const remove = this.db.prepare('DELETE FROM dedupe_records WHERE id = ?');
		let forgotten = 0;
		for (let after = 0; ; ) {
			const rows = page.all(after, RECORDS_PER_PAGE) as Array<{ id: number; record: string }>;
			if (rows.length === 0) return forgotten;
			after = rows[rows.length - 1].id;
			for (const row of rows) {
				if (matches(JSON.parse(row.record) as DedupeRecord)) forgotten += Number(remove.run(row.id).changes);
			}
		}
	}

	async close(): Promise<void> {
		this.db.close();
	}
}
