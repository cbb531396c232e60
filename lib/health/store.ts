/**
 * The flow-metrics store: one row per item and outcome (lib/health/outcome.ts), written by every
 * flow and read by the health check. The SQL is written once for SQLite and PostgreSQL; the
 * store classes only say how one statement runs.
 */
import type { OutcomeRow, Outcome } from './outcome';
import type { WindowRow } from './report';

export interface MetricsStore {
	/** Adds the rows; a row already there (same workflow, execution, item and outcome) is kept as it was. Returns how many were added. */
	record(rows: readonly OutcomeRow[]): Promise<number>;
	/** The rows recorded in [from, to], of one workflow when given. */
	window(from: Date, to: Date, workflowId?: string): Promise<WindowRow[]>;
	/** The last time each source was recorded since `since`, of one workflow when given. */
	lastSeen(since: Date, workflowId?: string): Promise<Map<string, Date>>;
	/** Deletes the rows recorded before `cutoff` (retention); returns how many. */
	expire(cutoff: Date): Promise<number>;
	close(): Promise<void>;
}

export const METRICS_COLUMNS = ['workflow_id', 'workflow_name', 'execution_id', 'item_key', 'source', 'outcome', 'error_type', 'received_at', 'recorded_at', 'latency_ms'];

/** Columns holding an ISO time: PostgreSQL is told so (timestamptz). */
const TIME_COLUMNS: ReadonlySet<string> = new Set(['received_at', 'recorded_at']);

/** Columns the unique key is made of: an execution recording the same item twice adds one row. */
export const METRICS_KEY = 'workflow_id, execution_id, item_key, outcome';

/** The table and its indexes in either database: `types` names its id, time and integer columns. */
export function metricsSchemaSql(table: string, indexName: (suffix: string) => string, types: { id: string; time: string; integer: string }): string {
	return `
CREATE TABLE IF NOT EXISTS ${table} (
	id ${types.id},
	workflow_id TEXT NOT NULL,
	workflow_name TEXT NOT NULL,
	execution_id TEXT NOT NULL,
	item_key TEXT NOT NULL,
	source TEXT NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'duplicate', 'invalid', 'failed')),
	error_type TEXT,
	received_at ${types.time},
	recorded_at ${types.time} NOT NULL,
	latency_ms ${types.integer}
);
CREATE UNIQUE INDEX IF NOT EXISTS ${indexName('item')} ON ${table} (${METRICS_KEY});
CREATE INDEX IF NOT EXISTS ${indexName('recorded')} ON ${table} (recorded_at);
`;
}

/** Rows per INSERT: few round trips, well under either database's parameter limit. */
const ROWS_PER_STATEMENT = 100;

export interface MetricsDialect {
	/** Quoted, possibly schema-qualified. */
	table: string;
	/** Placeholder of the n-th parameter (1-based). */
	param(position: number): string;
	/** Placeholder of a parameter holding an ISO time. */
	time(position: number): string;
}

export interface MetricsStatement {
	sql: string;
	values: Array<string | number | null>;
}

interface WindowRowOfDb {
	source: string;
	outcome: Outcome;
	error_type: string | null;
	latency_ms: number | string | null;
}

function rowValues(row: OutcomeRow): Array<string | number | null> {
	return [row.workflowId, row.workflowName, row.executionId, row.itemKey, row.source, row.outcome, row.errorType, row.receivedAt, row.recordedAt, row.latencyMs];
}

export abstract class SqlMetricsStore implements MetricsStore {
	protected constructor(private readonly dialect: MetricsDialect) {}

	protected abstract run<Row>(statement: MetricsStatement): Promise<Row[]>;
	abstract close(): Promise<void>;

	/** `AND workflow_id = ...` when one is given, its value appended to `values`. */
	private workflowFilter(values: Array<string | number | null>, workflowId: string | undefined): string {
		if (!workflowId) return '';
		values.push(workflowId);
		return ` AND workflow_id = ${this.dialect.param(values.length)}`;
	}

	async record(rows: readonly OutcomeRow[]): Promise<number> {
		const { table, param, time } = this.dialect;
		let added = 0;
		for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
			const values = rows.slice(start, start + ROWS_PER_STATEMENT).flatMap(rowValues);
			const tuples: string[] = [];
			for (let offset = 0; offset < values.length; offset += METRICS_COLUMNS.length) {
				const placeholders = METRICS_COLUMNS.map((name, column) => (TIME_COLUMNS.has(name) ? time : param)(offset + column + 1));
				tuples.push(`(${placeholders.join(', ')})`);
			}
			const sql = `INSERT INTO ${table} (${METRICS_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${METRICS_KEY}) DO NOTHING RETURNING id`;
			added += (await this.run({ sql, values })).length;
		}
		return added;
	}

	async window(from: Date, to: Date, workflowId?: string): Promise<WindowRow[]> {
		const { table, time } = this.dialect;
		const values: Array<string | number | null> = [from.toISOString(), to.toISOString()];
		const sql = `SELECT source, outcome, error_type, latency_ms FROM ${table} WHERE recorded_at >= ${time(1)} AND recorded_at <= ${time(2)}${this.workflowFilter(values, workflowId)}`;
		const rows = await this.run<WindowRowOfDb>({ sql, values });
		return rows.map((row) => ({
			source: row.source,
			outcome: row.outcome,
			errorType: row.error_type,
			latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
		}));
	}

	async lastSeen(since: Date, workflowId?: string): Promise<Map<string, Date>> {
		const { table, time } = this.dialect;
		const values: Array<string | number | null> = [since.toISOString()];
		const sql = `SELECT source, MAX(recorded_at) AS last_seen FROM ${table} WHERE recorded_at >= ${time(1)}${this.workflowFilter(values, workflowId)} GROUP BY source`;
		const rows = await this.run<{ source: string; last_seen: string | Date }>({ sql, values });
		return new Map(rows.map((row) => [row.source, new Date(row.last_seen)]));
	}

	async expire(cutoff: Date): Promise<number> {
		const { table, time } = this.dialect;
		return (await this.run({ sql: `DELETE FROM ${table} WHERE recorded_at < ${time(1)} RETURNING id`, values: [cutoff.toISOString()] })).length;
	}
}
