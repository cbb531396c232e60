/**
 * BigQuery's load-job path, for large executions and for updating stored rows (streaming inserts
 * cannot update). Each batch is uploaded as newline-delimited JSON into a staging table (jobs.insert
 * with a multipart upload, WRITE_TRUNCATE, expiring after a day), merged into the target on the key
 * by one MERGE query job, and the staging table is dropped.
 *
 * Job ids come from the node run and the batch's content. A retry of the batch after a lost answer
 * (a timeout) asks for the same job id, gets 409 Already Exists, and follows the job it had in fact
 * started instead of starting a second one. A replayed execution is a new run, so it loads and
 * merges again, which MERGE turns into a no-op for keys already stored.
 */
import { createHash, randomUUID } from 'node:crypto';

import { BigQueryWriter, type BigQueryClient, type BigQueryField } from './bigquery';
import { columnType } from './dialects';
import { HttpStatusError, type HttpResponse } from './http';
import { quoteIdentifier } from './identifiers';
import type { Rejection } from './load';
import { TransientError } from './retry';
import { rowObject, type ConflictPolicy, type PreparedRow } from './rows';
import type { TableSpec } from './tables';

export type BigQueryWriteMethod = 'auto' | 'streaming' | 'loadJob';

/** Above this many rows, Auto loads through a job: streaming 500 rows per request gets slow and costly. */
export const DEFAULT_LOAD_JOB_THRESHOLD = 10_000;
/** Rows per load job when the user sets no batch size: few jobs (BigQuery limits them per table and day), requests of tens of MB. */
export const DEFAULT_LOAD_JOB_BATCH_SIZE = 50_000;
/** The staging table outlives a run that died before dropping it by this long at most. */
const STAGING_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Loads of one batch before it fails as a whole: each names only BigQuery's first errors, and endless bad rows mean a wrong table. */
const MAX_LOAD_ROUNDS = 10;
/** Job failures BigQuery documents as worth retrying (with a new job). */
const TRANSIENT_JOB_REASONS = new Set(['backendError', 'internalError', 'rateLimitExceeded', 'jobBackendError', 'jobInternalError']);

/** Which path writes this execution. Throws when the user's choice cannot do what the node is set to. */
export function bigQueryWritePath(method: BigQueryWriteMethod, onConflict: ConflictPolicy, rows: number, threshold: number): 'streaming' | 'loadJob' {
	if (method === 'streaming') {
		if (onConflict === 'update') {
			throw new Error('BigQuery streaming inserts cannot update stored rows: set On Existing Key to Skip, or BigQuery Write Method to Load Job or Auto');
		}
		return 'streaming';
	}
	return method === 'loadJob' || onConflict === 'update' || rows > threshold ? 'loadJob' : 'streaming';
}

export interface NdjsonBatch {
	text: string;
	/** Byte offset where each row's line starts, in row order: BigQuery names a bad row by it. */
	offsets: number[];
	/** Short hash of the content, for job and staging table names. */
	digest: string;
}

export function ndjsonBatch(spec: TableSpec, rows: PreparedRow[]): NdjsonBatch {
	let offset = 0;
	const offsets: number[] = [];
	const lines = rows.map(({ cells }) => {
		const line = JSON.stringify(rowObject(spec, cells));
		offsets.push(offset);
		offset += Buffer.byteLength(line) + 1;
		return line;
	});
	const text = `${lines.join('\n')}\n`;
	return { text, offsets, digest: createHash('sha256').update(text).digest('hex').slice(0, 16) };
}

/** The target's type of each column; JSON columns are staged as STRING (the cells are JSON text) and parsed by the MERGE. */
function fieldOf(spec: TableSpec, targetFields: BigQueryField[], name: string): BigQueryField {
	const column = spec.columns.find((candidate) => candidate.name === name);
	const found = targetFields.find((field) => field.name === name);
	return found ?? { name, type: columnType('bigquery', column?.type ?? 'text'), mode: column?.notNull ? 'REQUIRED' : 'NULLABLE' };
}

export function stagingFields(spec: TableSpec, targetFields: BigQueryField[]): BigQueryField[] {
	return spec.columns.map(({ name }) => {
		const { type, mode } = fieldOf(spec, targetFields, name);
		return { name, type: type === 'JSON' ? 'STRING' : type, mode: mode === 'REQUIRED' ? 'REQUIRED' : 'NULLABLE' };
	});
}

/**
 * The MERGE of the staging table into the target on the key (names relative to the query's
 * default dataset). Every name is validated and backtick-quoted; the SQL carries no value.
 */
export function bigQueryMergeSql(spec: TableSpec, staging: string, onConflict: ConflictPolicy, targetFields: BigQueryField[]): string {
	const quote = (name: string) => quoteIdentifier(name, 'backtick');
	const value = (name: string) => (fieldOf(spec, targetFields, name).type === 'JSON' ? `PARSE_JSON(s.${quote(name)})` : `s.${quote(name)}`);
	const names = spec.columns.map(({ name }) => name);
	const updatable = names.filter((name) => !spec.key.includes(name));
	const lines = [
		`MERGE ${quote(spec.table.table)} AS t`,
		`USING ${quote(staging)} AS s`,
		`ON ${spec.key.map((name) => `t.${quote(name)} = s.${quote(name)}`).join(' AND ')}`,
	];
	if (onConflict === 'update' && updatable.length > 0) {
		lines.push(`WHEN MATCHED THEN UPDATE SET ${updatable.map((name) => `${quote(name)} = ${value(name)}`).join(', ')}`);
	}
	lines.push(`WHEN NOT MATCHED THEN INSERT (${names.map(quote).join(', ')}) VALUES (${names.map(value).join(', ')})`);
	return lines.join('\n');
}

/** A multipart/related body: the job configuration as JSON, then the data (Google's multipart upload). */
export function multipartBody(boundary: string, configuration: unknown, data: string): string {
	return [
		`--${boundary}`,
		'Content-Type: application/json; charset=UTF-8',
		'',
		JSON.stringify(configuration),
		`--${boundary}`,
		'Content-Type: application/octet-stream',
		'',
		data,
		`--${boundary}--`,
		'',
	].join('\r\n');
}

interface JobError {
	reason?: string;
	location?: string;
	message?: string;
}

interface Job {
	jobReference?: { jobId?: string; location?: string };
	status?: { state?: string; errorResult?: JobError; errors?: JobError[] };
	/** badRecords: rows the load skipped (a string, as BigQuery sends int64). */
	statistics?: { load?: { badRecords?: string; outputRows?: string } };
}

const ROW_POSITION = /JSON parsing error in row starting at position (\d+)[^:]*: /;

/** The rows a failed load's errors name (by the byte offset of their line), each with BigQuery's reason. */
export function rowsNamedByLoadErrors(errors: JobError[], batch: NdjsonBatch, rows: PreparedRow[]): Rejection[] {
	const rowAt = new Map(batch.offsets.map((offset, position) => [offset, position]));
	const reasons = new Map<number, string[]>();
	for (const { message = '' } of errors) {
		const match = ROW_POSITION.exec(message);
		const position = match ? rowAt.get(Number(match[1])) : undefined;
		if (match === null || position === undefined) continue;
		reasons.set(position, [...(reasons.get(position) ?? []), message.slice(match.index + match[0].length)]);
	}
	return [...reasons].map(([position, messages]) => ({ row: rows[position], reason: `BigQuery: ${messages.join('; ')}` }));
}

export interface JobPolling {
	sleep?: (ms: number) => Promise<void>;
	/** First wait between polls; doubles up to `maxIntervalMs`. */
	intervalMs?: number;
	maxIntervalMs?: number;
	/** Gives up on a job still running after this long. */
	timeoutMs?: number;
}

type JobReference = { projectId: string; jobId: string; location?: string };

interface JobNames {
	load: string;
	merge: string;
	staging: string;
	digest: string;
}

/** Loads each batch through a staging table and a MERGE (see the top of this file). */
export class BigQueryLoadJobWriter extends BigQueryWriter {
	/** Names this writer's jobs apart from every other run's. */
	private readonly run = randomUUID().replace(/-/g, '').slice(0, 12);
	/** Jobs started (or found started) by this writer, with the location BigQuery runs them in. */
	private readonly started = new Map<string, string | undefined>();
	/** Per batch digest: how many of its jobs failed in a way worth a fresh job. */
	private readonly generations = new Map<string, number>();
	private readonly polling: Required<JobPolling>;

	constructor(
		client: BigQueryClient,
		spec: TableSpec,
		private readonly onConflict: ConflictPolicy,
		polling: JobPolling = {},
	) {
		super(client, spec);
		this.polling = {
			sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
			intervalMs: 500,
			maxIntervalMs: 5000,
			timeoutMs: 30 * 60 * 1000,
			...polling,
		};
	}

	/**
	 * The load skips bad rows (up to all of them) and names them in its errors, so one load usually
	 * settles the batch. BigQuery lists only its first errors, though: when it skipped more rows than
	 * it named, the unnamed ones cannot be told apart, so the batch is loaded again without the named
	 * ones, until every skipped row is named.
	 */
	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		const refused: Rejection[] = [];
		let pending = rows;
		for (let round = 1; pending.length > 0; round++) {
			const batch = ndjsonBatch(this.spec, pending);
			const names = this.jobNames(batch.digest);
			const load = await this.runJob(names.load, (jobReference) => this.startLoad(jobReference, names.staging, batch, pending.length));
			const failure = load.status?.errorResult;
			if (failure) this.throwIfWorthNewJob(failure, names);
			const named = rowsNamedByLoadErrors(load.status?.errors ?? [], batch, pending);
			const skipped = Number(load.statistics?.load?.badRecords ?? 0);
			if (!failure && named.length >= skipped) {
				refused.push(...named);
				await this.merge(names);
				return refused;
			}
			if (!failure) await this.dropStaging(names.staging);
			if (named.length === 0 || round === MAX_LOAD_ROUNDS) {
				const reasons = (load.status?.errors ?? []).map(({ message }) => message).filter((message) => message && message !== failure?.message);
				const summary = failure?.message ?? `${skipped} rows refused, ${named.length} of them named`;
				throw new HttpStatusError(`BigQuery load job ${names.load} failed: ${[summary, ...reasons].join('; ')}`, 400, failure?.reason);
			}
			refused.push(...named);
			const refusedRows = new Set(named.map(({ row }) => row));
			pending = pending.filter((row) => !refusedRows.has(row));
		}
		return refused;
	}

	private jobNames(digest: string): JobNames {
		const generation = this.generations.get(digest) ?? 0;
		const suffix = `${this.run}_${digest}${generation > 0 ? `_${generation}` : ''}`;
		return { load: `revops_load_${suffix}`, merge: `revops_merge_${suffix}`, staging: `_revops_stage_${suffix}`, digest };
	}

	/** A job that failed for BigQuery's own reasons: the retry gets new job ids, as the failed job cannot run again. */
	private throwIfWorthNewJob(failure: JobError, names: JobNames): void {
		if (!TRANSIENT_JOB_REASONS.has(failure.reason ?? '')) return;
		this.generations.set(names.digest, (this.generations.get(names.digest) ?? 0) + 1);
		throw new TransientError(`BigQuery job failed (${failure.reason}): ${failure.message ?? ''}; retrying with a new job`);
	}

	private jobReference(jobId: string): JobReference {
		return { projectId: this.client.connection.projectId, jobId, location: this.table?.location };
	}

	private async startLoad(jobReference: JobReference, staging: string, batch: NdjsonBatch, rows: number): Promise<HttpResponse> {
		const { projectId, dataset } = this.client.connection;
		const configuration = {
			jobReference,
			configuration: {
				load: {
					destinationTable: { projectId, datasetId: dataset, tableId: staging },
					destinationTableProperties: { expirationTime: new Date(Date.now() + STAGING_LIFETIME_MS).toISOString() },
					schema: { fields: stagingFields(this.spec, this.table?.fields ?? []) },
					sourceFormat: 'NEWLINE_DELIMITED_JSON',
					createDisposition: 'CREATE_IF_NEEDED',
					writeDisposition: 'WRITE_TRUNCATE',
					// Bad rows are skipped and named in the job's errors (writeBatch checks that all are).
					maxBadRecords: rows,
				},
			},
		};
		const boundary = `revops_${randomUUID()}`;
		return await this.client.request('POST', `${this.client.projectPath}/jobs?uploadType=multipart`, multipartBody(boundary, configuration, batch.text), {
			upload: true,
			contentType: `multipart/related; boundary=${boundary}`,
			expected: [409],
		});
	}

	private async merge(names: JobNames): Promise<void> {
		const { projectId, dataset } = this.client.connection;
		const query = bigQueryMergeSql(this.spec, names.staging, this.onConflict, this.table?.fields ?? []);
		const job = await this.runJob(names.merge, async (jobReference) =>
			this.client.request(
				'POST',
				`${this.client.projectPath}/jobs`,
				{ jobReference, configuration: { query: { query, useLegacySql: false, defaultDataset: { projectId, datasetId: dataset } } } },
				{ expected: [409] },
			),
		);
		// Dropped whatever the MERGE did: a retry loads the batch again.
		await this.dropStaging(names.staging);
		const failure = job.status?.errorResult;
		if (!failure) return;
		this.throwIfWorthNewJob(failure, names);
		throw new HttpStatusError(`BigQuery MERGE job ${names.merge} failed: ${failure.message ?? failure.reason}`, 400, failure.reason);
	}

	private async dropStaging(staging: string): Promise<void> {
		await this.client.call('DELETE', `/tables/${encodeURIComponent(staging)}`, undefined, true);
	}

	/** Starts the job unless this writer already did (or a lost answer did: 409), then waits until it is DONE. */
	private async runJob(jobId: string, start: (jobReference: JobReference) => Promise<HttpResponse>): Promise<Job> {
		if (!this.started.has(jobId)) {
			const jobReference = this.jobReference(jobId);
			const response = await start(jobReference);
			const job = response.body as Job;
			// 409: an earlier try of this batch started the job but its answer never came back; follow that job.
			this.started.set(jobId, response.status === 409 ? jobReference.location : (job.jobReference?.location ?? jobReference.location));
			if (response.status !== 409 && job.status?.state === 'DONE') return job;
		}
		return await this.pollJob(jobId);
	}

	private async pollJob(jobId: string): Promise<Job> {
		const location = this.started.get(jobId);
		const path = `${this.client.projectPath}/jobs/${encodeURIComponent(jobId)}${location ? `?location=${encodeURIComponent(location)}` : ''}`;
		const { sleep, intervalMs, maxIntervalMs, timeoutMs } = this.polling;
		const deadline = Date.now() + timeoutMs;
		for (let wait = intervalMs; ; wait = Math.min(wait * 2, maxIntervalMs)) {
			const job = (await this.client.request('GET', path)).body as Job;
			if (job.status?.state === 'DONE') return job;
			if (Date.now() >= deadline) {
				throw new Error(
					`BigQuery job ${jobId} is still ${job.status?.state ?? 'running'} after ${Math.round(timeoutMs / 60_000)} minutes; running the execution again is safe (keys already stored are skipped or updated)`,
				);
			}
			await sleep(wait);
		}
	}
}
