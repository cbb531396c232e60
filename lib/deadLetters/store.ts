/**
 * The dead-letter store: one entry per item a flow could not finish at one step. The SQL is
 * written once for SQLite and PostgreSQL (see Dialect); every operation is a single statement, so
 * two writers never see half an entry and nothing holds a lock between statements.
 */
import { storableText } from './failure';

export type DeadLetterStatus = 'pending' | 'resolved' | 'gave_up';
export const STATUSES: DeadLetterStatus[] = ['pending', 'resolved', 'gave_up'];

export interface DeadLetterEntry {
	id: number;
	workflowId: string;
	workflowName: string;
	/** The node whose failure branch stored the item. */
	step: string;
	key: string;
	/** `field:<path>` or `hash:sha256`. */
	keySource: string;
	/** The last failure's reason. */
	reason: string;
	/** The item as received. */
	item: unknown;
	attempts: number;
	firstFailedAt: string;
	lastFailedAt: string;
	status: DeadLetterStatus;
	/** What resolved it, or why it was given up. */
	resolution: string | null;
	/** When it was resolved or given up. */
	resolvedAt: string | null;
	/** A replay holds the entry until then (see claimDue). */
	claimedUntil: string | null;
}

/** Text fields are stored through storableText; `itemJson` is JSON.stringify output, which is always storable. */
export interface Failure {
	workflowId: string;
	workflowName: string;
	step: string;
	key: string;
	keySource: string;
	reason: string;
	itemJson: string;
}

export interface ReplayPolicy {
	/** Wait after the first failure; doubles with each failed attempt. */
	firstDelayMs: number;
	/** The wait never grows beyond this. */
	maxDelayMs: number;
	/** Attempts in all (the original failure included); an entry with this many is given up. */
	maxAttempts: number;
	/** How long a replay holds the entries it took before another replay may take them again. */
	claimMs: number;
	/** Entries per call, due and given up each. */
	limit: number;
}

export interface ListFilter {
	status?: DeadLetterStatus;
	workflowId?: string;
	step?: string;
	limit: number;
}

export interface DeadLetterStore {
	/** Adds the failure, or counts one more attempt on the pending entry with the same workflow, step and key. */
	record(failure: Failure, now: Date): Promise<DeadLetterEntry>;
	/** record() for each failure, in chunks that commit together; the entries in the failures' order. */
	recordAll(failures: Failure[], now: Date): Promise<DeadLetterEntry[]>;
	/**
	 * Gives up pending entries that reached the maximum attempts, then takes the pending entries
	 * whose backoff has passed and that no other replay holds, holding them for `claimMs`; only
	 * the scope's entries (a workflow's, a step's) when one is given.
	 */
	claimDue(policy: ReplayPolicy, now: Date, scope?: ReplayScope): Promise<{ due: DeadLetterEntry[]; gaveUp: DeadLetterEntry[] }>;
	/** Marks the entry resolved (a given-up one too: a person fixed it); undefined when there is no such entry. */
	resolve(id: number, resolution: string, now: Date): Promise<DeadLetterEntry | undefined>;
	/** One more failed attempt on a pending entry, with its reason; an entry in another status is returned as it is. */
	recordAttempt(id: number, reason: string, now: Date): Promise<DeadLetterEntry | undefined>;
	list(filter: ListFilter): Promise<DeadLetterEntry[]>;
	/** Deletes every entry `matches` picks (erasure of a person), whatever its status; returns how many. */
	forget(matches: (entry: DeadLetterEntry) => boolean): Promise<number>;
	/** Deletes the entries whose last failure is older than `cutoff` (retention), whatever their status; returns how many. */
	expire(cutoff: Date): Promise<number>;
	close(): Promise<void>;
}

/** Wait after `attempts` failures before the next try: first delay, doubled per attempt, capped. */
export function retryDelayMs(attempts: number, policy: Pick<ReplayPolicy, 'firstDelayMs' | 'maxDelayMs'>): number {
	return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Latest last-failure time that makes an entry with k attempts due now, for k = 1.. until the
 * wait stops growing; the last value serves every larger k. The backoff is computed here only,
 * and the SQL merely compares times.
 */
export function dueCutoffs(policy: ReplayPolicy, now: Date): string[] {
	const cutoffs: string[] = [];
	for (let attempts = 1; attempts < policy.maxAttempts; attempts++) {
		const delay = retryDelayMs(attempts, policy);
		cutoffs.push(new Date(now.getTime() - delay).toISOString());
		if (delay >= policy.maxDelayMs) break;
	}
	if (cutoffs.length === 0) cutoffs.push(now.toISOString());
	return cutoffs;
}

/** The differences between the two databases' SQL. */
export interface Dialect {
	/** Quoted, possibly schema-qualified. */
	table: string;
	/** Placeholder of the n-th parameter (1-based). */
	param(position: number): string;
	/** Placeholder of a parameter holding an ISO time. */
	time(position: number): string;
	/** Locks taken by a claim's sub-select (PostgreSQL: rows another replay is taking are skipped). */
	claimLock: string;
}

export const ENTRY_COLUMNS =
	'id, workflow_id, workflow_name, step, item_key, key_source, reason, item, attempts, first_failed_at, last_failed_at, status, resolution, resolved_at, claimed_until';

export interface EntryRow {
	id: number | string;
	workflow_id: string;
	workflow_name: string;
	step: string;
	item_key: string;
	key_source: string;
	reason: string;
	item: string;
	attempts: number;
	first_failed_at: string | Date;
	last_failed_at: string | Date;
	status: DeadLetterStatus;
	resolution: string | null;
	resolved_at: string | Date | null;
	claimed_until: string | Date | null;
}

function isoTime(value: string | Date): string {
	return value instanceof Date ? value.toISOString() : value;
}

export function entryOfRow(row: EntryRow): DeadLetterEntry {
	return {
		id: Number(row.id),
		workflowId: row.workflow_id,
		workflowName: row.workflow_name,
		step: row.step,
		key: row.item_key,
		keySource: row.key_source,
		reason: row.reason,
		item: JSON.parse(row.item) as unknown,
		attempts: Number(row.attempts),
		firstFailedAt: isoTime(row.first_failed_at),
		lastFailedAt: isoTime(row.last_failed_at),
		status: row.status,
		resolution: row.resolution,
		resolvedAt: row.resolved_at === null ? null : isoTime(row.resolved_at),
		claimedUntil: row.claimed_until === null ? null : isoTime(row.claimed_until),
	};
}

export interface Statement {
	sql: string;
	values: Array<string | number | null>;
}

/** Which entries a replay takes: one workflow's, one step's, or all. */
export interface ReplayScope {
	workflowId?: string;
	step?: string;
}

/** Collects a statement's values and hands out their placeholders in order. */
class Binder {
	readonly values: Array<string | number | null> = [];

	constructor(private readonly dialect: Dialect) {}

	value(value: string | number | null): string {
		this.values.push(value);
		return this.dialect.param(this.values.length);
	}

	time(value: Date): string {
		this.values.push(value.toISOString());
		return this.dialect.time(this.values.length);
	}

	/** `AND column = value` for each given filter value. */
	filters(filters: Array<[column: string, value: string | undefined]>): string {
		return filters
			.filter(([, value]) => value !== undefined && value !== '')
			.map(([column, value]) => ` AND ${column} = ${this.value(value as string)}`)
			.join('');
	}
}

/** The statements of every store operation, for one dialect. */
export function statements(dialect: Dialect) {
	const { table } = dialect;
	const returning = `RETURNING ${ENTRY_COLUMNS}`;
	const statement = (build: (bind: Binder) => string): Statement => {
		const bind = new Binder(dialect);
		return { sql: build(bind), values: bind.values };
	};
	/** Pending entries of the scope that no replay holds at `now`. */
	const open = (bind: Binder, scope: ReplayScope, now: Date) =>
		`status = 'pending'${bind.filters([
			['workflow_id', scope.workflowId],
			['step', scope.step],
		])} AND (claimed_until IS NULL OR claimed_until <= ${bind.time(now)})`;
	return {
		record: (failure: Failure, now: Date) =>
			statement(
				(bind) => `INSERT INTO ${table} AS entry (workflow_id, workflow_name, step, item_key, key_source, reason, item, attempts, first_failed_at, last_failed_at, status)
				VALUES (${[failure.workflowId, failure.workflowName, failure.step, failure.key, failure.keySource, failure.reason].map((text) => bind.value(storableText(text))).join(', ')},
					${bind.value(failure.itemJson)}, 1, ${bind.time(now)}, ${bind.time(now)}, 'pending')
				ON CONFLICT (workflow_id, step, item_key) WHERE status = 'pending'
				DO UPDATE SET attempts = entry.attempts + 1, reason = excluded.reason, item = excluded.item,
					workflow_name = excluded.workflow_name, key_source = excluded.key_source, last_failed_at = excluded.last_failed_at
				${returning}`,
			),
		giveUp: (policy: ReplayPolicy, scope: ReplayScope, now: Date) =>
			statement(
				(bind) => `UPDATE ${table} SET status = 'gave_up', resolved_at = ${bind.time(now)}, claimed_until = NULL,
					resolution = 'Gave up after ' || attempts || ' attempts: ' || reason
				WHERE id IN (SELECT id FROM ${table} WHERE ${open(bind, scope, now)} AND attempts >= ${bind.value(policy.maxAttempts)}
					ORDER BY id LIMIT ${bind.value(policy.limit)} ${dialect.claimLock})
				${returning}`,
			),
		claimDue: (policy: ReplayPolicy, scope: ReplayScope, now: Date) =>
			statement((bind) => {
				const claimedUntil = bind.time(new Date(now.getTime() + policy.claimMs));
				const cutoffs = dueCutoffs(policy, now).map((cutoff) => bind.time(new Date(cutoff)));
				const last = cutoffs.pop() as string;
				const cutoff = cutoffs.length > 0 ? `CASE attempts ${cutoffs.map((time, index) => `WHEN ${index + 1} THEN ${time}`).join(' ')} ELSE ${last} END` : last;
				return `UPDATE ${table} SET claimed_until = ${claimedUntil}
				WHERE id IN (SELECT id FROM ${table} WHERE ${open(bind, scope, now)} AND attempts < ${bind.value(policy.maxAttempts)}
					AND last_failed_at <= ${cutoff}
					ORDER BY last_failed_at, id LIMIT ${bind.value(policy.limit)} ${dialect.claimLock})
				${returning}`;
			}),
		resolve: (id: number, resolution: string, now: Date) =>
			statement(
				(bind) => `UPDATE ${table} SET status = 'resolved', resolution = ${bind.value(storableText(resolution))}, resolved_at = ${bind.time(now)}, claimed_until = NULL
				WHERE id = ${bind.value(id)} AND status <> 'resolved' ${returning}`,
			),
		recordAttempt: (id: number, reason: string, now: Date) =>
			statement(
				(bind) => `UPDATE ${table} SET attempts = attempts + 1, reason = ${bind.value(storableText(reason))}, last_failed_at = ${bind.time(now)}, claimed_until = NULL
				WHERE id = ${bind.value(id)} AND status = 'pending' ${returning}`,
			),
		page: (afterId: number, limit: number) =>
			statement((bind) => `SELECT ${ENTRY_COLUMNS} FROM ${table} WHERE id > ${bind.value(afterId)} ORDER BY id LIMIT ${bind.value(limit)}`),
		remove: (id: number) => statement((bind) => `DELETE FROM ${table} WHERE id = ${bind.value(id)} ${returning}`),
		expire: (cutoff: Date) => statement((bind) => `DELETE FROM ${table} WHERE last_failed_at < ${bind.time(cutoff)} ${returning}`),
		byId: (id: number) => statement((bind) => `SELECT ${ENTRY_COLUMNS} FROM ${table} WHERE id = ${bind.value(id)}`),
		list: (filter: ListFilter) =>
			statement(
				(bind) =>
					`SELECT ${ENTRY_COLUMNS} FROM ${table} WHERE 1 = 1${bind.filters([
						['status', filter.status],
						['workflow_id', filter.workflowId],
						['step', filter.step],
					])} ORDER BY id DESC LIMIT ${bind.value(filter.limit)}`,
			),
	};
}

/** Entries read per page while the whole store is searched (forget). */
const ENTRIES_PER_PAGE = 500;

/** Failures stored in one commit: a fsync per item would cap PostgreSQL at a few hundred items a second. */
const RECORDS_PER_COMMIT = 200;

function compareFailures(a: Failure, b: Failure): number {
	const left = `${a.workflowId}\u0000${a.step}\u0000${a.key}`;
	const right = `${b.workflowId}\u0000${b.step}\u0000${b.key}`;
	return left < right ? -1 : left > right ? 1 : 0;
}

/** Runs the dialect's statements; the store classes only say how one statement is executed. */
export abstract class SqlDeadLetterStore implements DeadLetterStore {
	private readonly sql: ReturnType<typeof statements>;

	protected constructor(dialect: Dialect) {
		this.sql = statements(dialect);
	}

	protected abstract run(statement: Statement): Promise<EntryRow[]>;
	/** Runs `work` so that its statements commit together (PostgreSQL: one commit, not one per item). */
	protected abstract together(work: () => Promise<void>): Promise<void>;
	abstract close(): Promise<void>;

	private async entries(statement: Statement): Promise<DeadLetterEntry[]> {
		return (await this.run(statement)).map(entryOfRow).sort((a, b) => a.id - b.id);
	}

	async record(failure: Failure, now: Date): Promise<DeadLetterEntry> {
		const [entry] = await this.entries(this.sql.record(failure, now));
		return entry;
	}

	async recordAll(failures: Failure[], now: Date): Promise<DeadLetterEntry[]> {
		const entries = new Array<DeadLetterEntry>(failures.length);
		// In one order (by step and key) in every chunk: two executions storing the same items wait for each other, never deadlock.
		const order = failures.map((_, index) => index).sort((a, b) => compareFailures(failures[a], failures[b]));
		for (let start = 0; start < order.length; start += RECORDS_PER_COMMIT) {
			await this.together(async () => {
				for (const index of order.slice(start, start + RECORDS_PER_COMMIT)) entries[index] = await this.record(failures[index], now);
			});
		}
		return entries;
	}

	async claimDue(policy: ReplayPolicy, now: Date, scope: ReplayScope = {}): Promise<{ due: DeadLetterEntry[]; gaveUp: DeadLetterEntry[] }> {
		const gaveUp = await this.entries(this.sql.giveUp(policy, scope, now));
		const due = await this.entries(this.sql.claimDue(policy, scope, now));
		// Oldest failure first, as they are taken.
		due.sort((a, b) => (a.lastFailedAt < b.lastFailedAt ? -1 : a.lastFailedAt > b.lastFailedAt ? 1 : a.id - b.id));
		return { due, gaveUp };
	}

	private async changedOrCurrent(changed: Statement, id: number): Promise<DeadLetterEntry | undefined> {
		const [entry] = await this.entries(changed);
		if (entry) return entry;
		const [current] = await this.entries(this.sql.byId(id));
		return current;
	}

	async resolve(id: number, resolution: string, now: Date): Promise<DeadLetterEntry | undefined> {
		return await this.changedOrCurrent(this.sql.resolve(id, resolution, now), id);
	}

	async recordAttempt(id: number, reason: string, now: Date): Promise<DeadLetterEntry | undefined> {
		return await this.changedOrCurrent(this.sql.recordAttempt(id, reason, now), id);
	}

	async list(filter: ListFilter): Promise<DeadLetterEntry[]> {
		return (await this.run(this.sql.list(filter))).map(entryOfRow);
	}

	async forget(matches: (entry: DeadLetterEntry) => boolean): Promise<number> {
		let forgotten = 0;
		for (let after = 0; ; ) {
			const page = await this.entries(this.sql.page(after, ENTRIES_PER_PAGE));
			if (page.length === 0) return forgotten;
			after = page[page.length - 1].id;
			for (const entry of page.filter(matches)) forgotten += (await this.run(this.sql.remove(entry.id))).length;
		}
	}

	async expire(cutoff: Date): Promise<number> {
		return (await this.run(this.sql.expire(cutoff))).length;
	}
}
