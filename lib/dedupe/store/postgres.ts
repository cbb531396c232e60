import { Client, type ClientConfig } from 'pg';

import type { DedupeRecord } from '../types';
import type { HistoryTransaction, RecordStore } from './recordStore';
import { RECORDS_PER_PAGE, RecordStoreError, chunks } from './recordStore';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS revops_dedupe_records (
	id BIGSERIAL PRIMARY KEY,
	history TEXT NOT NULL,
	record JSONB NOT NULL,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	seen_count INTEGER NOT NULL DEFAULT 1,
	held_until TIMESTAMPTZ
);
-- histories made before holds existed get the column; checked first, since ALTER TABLE locks the table even when it has it
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'revops_dedupe_records'::regclass AND attname = 'held_until' AND NOT attisdropped) THEN
		ALTER TABLE revops_dedupe_records ADD COLUMN held_until TIMESTAMPTZ;
	END IF;
END $$;
CREATE INDEX IF NOT EXISTS revops_dedupe_records_history ON revops_dedupe_records (history, id);
-- retention (Max Age) deletes by last sighting at every run: without it, each run reads the whole history
CREATE INDEX IF NOT EXISTS revops_dedupe_records_seen ON revops_dedupe_records (history, last_seen_at);
CREATE TABLE IF NOT EXISTS revops_dedupe_keys (
	history TEXT NOT NULL,
	block_key TEXT NOT NULL,
	record_id BIGINT NOT NULL REFERENCES revops_dedupe_records (id) ON DELETE CASCADE,
	PRIMARY KEY (history, block_key, record_id)
);
CREATE INDEX IF NOT EXISTS revops_dedupe_keys_record ON revops_dedupe_keys (record_id);
`;
const ROWS_PER_INSERT = 1000;
/** Arbitrary constant namespacing this pack's advisory locks (the history name hash is the other half). */
const LOCK_NAMESPACE = 740_331;
/** Namespace of the locks on one block key of a history. */
const KEY_LOCK_NAMESPACE = LOCK_NAMESPACE + 1;
/**
 * Most keys a claim locks one by one; above, it locks the whole history. PostgreSQL's lock table holds
 * max_locks_per_transaction (64) times max_connections locks in all: a batch's keys would overflow it.
 */
const MOST_KEY_LOCKS = 256;

/** A 32-bit hash (FNV-1a) of a history's block key, the key lock's second half. */
function keyLockId(history: string, key: string): number {
	let hash = 0x811c9dc5;
	const text = `${history}\u001f${key}`;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash | 0;
}

/**
 * Whether the tables and indexes exist as SCHEMA makes them (its last index, its newest column). Checked first, since
 * running SCHEMA takes locks: CREATE INDEX IF NOT EXISTS waits for every run writing to the history, and
 * under load each execution's connect then queued behind the others.
 */
async function schemaReady(client: Client): Promise<boolean> {
	const { rows } = await client.query<{ ready: boolean }>(
		`SELECT to_regclass('revops_dedupe_keys_record') IS NOT NULL AND EXISTS
		 (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('revops_dedupe_records') AND attname = 'held_until' AND NOT attisdropped) AS ready`,
	);
	return rows[0].ready;
}

/**
 * The shared record store for queue mode: several n8n workers use one PostgreSQL database. The
 * atomic claim is a transaction-scoped advisory lock on the history name, taken before the
 * look-up and released at commit, so racing executions serialize per history and the second
 * sees the first's records.
 */
export class PostgresRecordStore implements RecordStore {
	private constructor(private readonly client: Client) {}

	/** `connection`: a URL (Dedupe 1.0's parameter), or the client settings of a Warehouse PostgreSQL credential. */
	static async connect(connection: string | ClientConfig): Promise<PostgresRecordStore> {
		const client = new Client(typeof connection === 'string' ? { connectionString: connection } : connection);
		let failure: Error | undefined;
		try {
			await client.connect();
			if (!(await schemaReady(client))) {
				// Two workers creating the tables at once would collide: the schema is created under a lock too.
				await client.query('BEGIN');
				await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NAMESPACE]);
				await client.query(SCHEMA);
				await client.query('COMMIT');
			}
		} catch (error) {
			failure = error as Error;
			await client.end().catch(() => undefined);
		}
		if (failure !== undefined) throw new RecordStoreError('PostgreSQL record store is unreachable or unusable', failure.message);
		return new PostgresRecordStore(client);
	}

	async withClaim<T>(history: string, work: (transaction: HistoryTransaction) => Promise<T>, blockKeys?: string[]): Promise<T> {
		const client = this.client;
		await client.query('BEGIN');
		const addKeys = async (entries: Array<{ id: number; blockKeys: string[] }>): Promise<void> => {
			const keyRows = entries.flatMap(({ id, blockKeys }) => blockKeys.map((key) => [key, id] as const));
			await client.query(
				`INSERT INTO revops_dedupe_keys (history, block_key, record_id)
				 SELECT $1, k, r FROM unnest($2::text[], $3::bigint[]) AS t(k, r) ON CONFLICT DO NOTHING`,
				[history, keyRows.map(([key]) => key), keyRows.map(([, id]) => id)],
			);
		};
		const transaction: HistoryTransaction = {
			async candidates(blockKeys) {
				const { rows } = await client.query<{ id: string; record: DedupeRecord; held_until: Date | null; last_seen_at: Date }>(
					`SELECT r.id, r.record, r.held_until, r.last_seen_at FROM revops_dedupe_records r
					 WHERE r.id IN (SELECT record_id FROM revops_dedupe_keys WHERE history = $1 AND block_key = ANY($2::text[]))
					 ORDER BY r.id`,
					[history, [...new Set(blockKeys)]],
				);
				return rows.map((row) => ({
					id: Number(row.id),
					record: row.record,
					lastSeenAt: row.last_seen_at,
					...(row.held_until === null ? {} : { heldUntil: row.held_until }),
				}));
			},
			async insert(entries) {
				const ids: number[] = [];
				for (const part of chunks(entries, ROWS_PER_INSERT)) {
					const { rows } = await client.query<{ id: string }>(
						`INSERT INTO revops_dedupe_records (history, record, held_until)
						 SELECT $1, value, held FROM unnest($2::jsonb[], $3::timestamptz[]) WITH ORDINALITY AS t(value, held, position) ORDER BY position
						 RETURNING id`,
						[history, part.map((entry) => JSON.stringify(entry.record)), part.map((entry) => entry.heldUntil?.toISOString() ?? null)],
					);
					const partIds = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
					await addKeys(part.map((entry, index) => ({ id: partIds[index], blockKeys: entry.blockKeys })));
					ids.push(...partIds);
				}
				return ids;
			},
			async touch(updates) {
				if (updates.length === 0) return;
				await client.query(
					`UPDATE revops_dedupe_records r SET seen_count = seen_count + 1, last_seen_at = now(), record = COALESCE(u.record, r.record)
					 FROM unnest($1::bigint[], $2::jsonb[]) AS u(id, record) WHERE r.id = u.id`,
					[updates.map((update) => update.id), updates.map((update) => (update.record === undefined ? null : JSON.stringify(update.record)))],
				);
			},
			async confirm(updates) {
				if (updates.length === 0) return;
				await client.query(
					`UPDATE revops_dedupe_records r SET held_until = NULL, seen_count = seen_count + 1, last_seen_at = now(), record = u.record
					 FROM unnest($1::bigint[], $2::jsonb[]) AS u(id, record) WHERE r.id = u.id`,
					[updates.map((update) => update.id), updates.map((update) => JSON.stringify(update.record))],
				);
				await addKeys(updates);
			},
			async release(ids) {
				if (ids.length === 0) return;
				await client.query('DELETE FROM revops_dedupe_records WHERE id = ANY($1::bigint[]) AND held_until IS NOT NULL', [ids]);
			},
			async prune(maxRecords) {
				await client.query(
					`DELETE FROM revops_dedupe_records WHERE history = $1 AND id <=
					 (SELECT id FROM revops_dedupe_records WHERE history = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
					[history, maxRecords],
				);
			},
			async expire(cutoff) {
				await client.query('DELETE FROM revops_dedupe_records WHERE history = $1 AND last_seen_at < $2::timestamptz', [history, cutoff.toISOString()]);
			},
		};
		let committed = false;
		try {
			const keyLocks = [...new Set((blockKeys ?? []).map((key) => keyLockId(history, key)))].sort((a, b) => a - b);
			if (blockKeys === undefined || keyLocks.length > MOST_KEY_LOCKS) {
				await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, history]);
			} else {
				// The history shared (a whole-history claim waits for it), then each key, in one order so that
				// two claims never wait on each other's keys.
				await client.query(
					'SELECT pg_advisory_xact_lock_shared($1, hashtext($2)), (SELECT count(pg_advisory_xact_lock($3, id)) FROM unnest($4::int[]) AS id)',
					[LOCK_NAMESPACE, history, KEY_LOCK_NAMESPACE, keyLocks],
				);
			}
			const result = await work(transaction);
			await client.query('COMMIT');
			committed = true;
			return result;
		} finally {
			if (!committed) await client.query('ROLLBACK').catch(() => undefined);
		}
	}

	async clear(history: string): Promise<number> {
		const { rowCount } = await this.client.query('DELETE FROM revops_dedupe_records WHERE history = $1', [history]);
		return rowCount ?? 0;
	}

	async forget(matches: (record: DedupeRecord) => boolean): Promise<number> {
		let forgotten = 0;
		for (let after = 0; ; ) {
			const { rows } = await this.client.query<{ id: string; record: DedupeRecord }>(
				'SELECT id, record FROM revops_dedupe_records WHERE id > $1 ORDER BY id LIMIT $2',
				[after, RECORDS_PER_PAGE],
			);
			if (rows.length === 0) return forgotten;
			after = Number(rows[rows.length - 1].id);
			const ids = rows.filter((row) => matches(row.record)).map((row) => row.id);
			if (ids.length === 0) continue;
			const { rowCount } = await this.client.query('DELETE FROM revops_dedupe_records WHERE id = ANY($1::bigint[])', [ids]);
			forgotten += rowCount ?? 0;
		}
	}

	async close(): Promise<void> {
		await this.client.end();
	}
}
