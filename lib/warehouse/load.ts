/**
 * The load loop shared by every target: batches, transient-error retries, and isolating the rows
 * a database rejects by splitting a failed batch until the bad rows stand alone, so every good
 * row still commits and every bad one comes back with the database's own reason.
 */
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import type { PreparedRow } from './rows';
import { settle } from './settle';

export interface Rejection {
	row: PreparedRow;
	reason: string;
}

export interface WarehouseWriter {
	/**
	 * Writes the rows atomically and idempotently (rows whose key exists are skipped or updated).
	 * Rows the database refuses one by one without aborting the rest are returned; a refusal that
	 * fails the whole batch is thrown, and `isRowRejection` tells it apart.
	 */
	writeBatch(rows: PreparedRow[]): Promise<Rejection[]>;
	/** Worth retrying the same batch: the connection, the server or a lock, not the data. */
	isTransient(error: unknown): boolean;
	/** The data of some row in the batch was refused. */
	isRowRejection(error: unknown): boolean;
	/** Called before a retry, e.g. to drop a broken connection. */
	reset?(error: unknown): Promise<void>;
}

export interface LoadOptions {
	batchSize: number;
	retry?: RetryPolicy;
	/** After each batch commits (progress reporting). */
	onBatch?: (written: number) => void;
}

export interface LoadResult {
	written: PreparedRow[];
	rejected: Rejection[];
	/** Set when an error that is neither transient nor a row's fault stopped the load. */
	stopped?: { error: unknown; unwritten: PreparedRow[] };
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Loads `rows` in batches. With several writers (one connection each), batches are written
 * concurrently: the database works on one batch while the next is being sent. Rows are keyed
 * uniquely beforehand, so concurrent batches never touch the same row.
 */
export async function loadRows(
	writers: WarehouseWriter | WarehouseWriter[],
	rows: PreparedRow[],
	options: LoadOptions,
): Promise<LoadResult> {
	const pool = Array.isArray(writers) ? writers : [writers];
	const batchSize = Math.max(1, Math.floor(options.batchSize));
	const policy = options.retry ?? DEFAULT_RETRY_POLICY;
	const written: PreparedRow[] = [];
	const rejected: Rejection[] = [];

	const attempt = (writer: WarehouseWriter, batch: PreparedRow[]) =>
		withRetry(
			() => writer.writeBatch(batch),
			(error) => writer.isTransient(error),
			policy,
			{ onRetry: (error) => writer.reset?.(error) },
		);

	/** Writes the batch, splitting it around refused rows; returns the error that stops the load, if any. */
	const writeIsolating = async (writer: WarehouseWriter, batch: PreparedRow[]): Promise<{ error: unknown } | undefined> => {
		const outcome = await settle(attempt(writer, batch));
		if (outcome.ok) {
			const refusedRows = new Set(outcome.value.map(({ row }) => row));
			rejected.push(...outcome.value);
			for (const row of batch) if (!refusedRows.has(row)) written.push(row);
			return undefined;
		}
		if (!writer.isRowRejection(outcome.error)) return { error: outcome.error };
		if (batch.length === 1) {
			rejected.push({ row: batch[0], reason: errorMessage(outcome.error) });
			return undefined;
		}
		const middle = Math.ceil(batch.length / 2);
		return (await writeIsolating(writer, batch.slice(0, middle))) ?? (await writeIsolating(writer, batch.slice(middle)));
	};

	let next = 0;
	let stop: { error: unknown } | undefined;
	const work = async (writer: WarehouseWriter) => {
		while (!stop && next < rows.length) {
			const batch = rows.slice(next, next + batchSize);
			next += batchSize;
			stop ??= await writeIsolating(writer, batch);
			if (!stop) options.onBatch?.(written.length);
		}
	};
	await Promise.all(pool.map(work));
	if (!stop) return { written, rejected };
	// Rows written before the error stay written (and a replay skips them): report the rest.
	const settled = new Set([...written, ...rejected.map(({ row }) => row)]);
	return { written, rejected, stopped: { error: stop.error, unwritten: rows.filter((row) => !settled.has(row)) } };
}
