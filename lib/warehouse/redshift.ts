/**
 * Amazon Redshift over the PostgreSQL protocol (same `pg` session), in its own dialect: no
 * ON CONFLICT, no unnest, no COPY FROM STDIN, and primary keys are not enforced. A batch is
 * staged with multi-row VALUES into a temporary table copied from the target's definition, then
 * merged by key, all in one transaction; each statement stays well under Redshift's 16 MB limit.
 */
import { quoteIdentifier, quoteTableName } from './identifiers';
import { type Rejection, type WarehouseWriter } from './load';
import { PgSession, ensurePgTable, isPgRowRejection, isTransientPgError, type ColumnLookup } from './postgres';
import type { Cell, ConflictPolicy, PreparedRow } from './rows';
import type { TableSpec } from './tables';

const STAGE_TABLE = 'warehouse_stage';

/** Redshift's limit is 16 MB per statement; values count towards it once inlined by the driver. */
export const MAX_STATEMENT_BYTES = 15 * 1024 * 1024;
/** Bind parameters per statement (a PostgreSQL-protocol limit is 32767 on older servers). */
export const MAX_PARAMETERS = 32_000;

export interface Statement {
	text: string;
	values: Array<string | null>;
}

/** information_schema rather than PostgreSQL-only catalog functions: Redshift has it too. */
export const redshiftColumns: ColumnLookup = async (session, spec) => {
	const rows = await session.query<{ name: string; type: string }>(
		`SELECT column_name AS name, data_type AS type FROM information_schema.columns
		 WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2`,
		[spec.table.schema ?? null, spec.table.table],
	);
	return rows.length === 0 ? undefined : new Map(rows.map((row) => [row.name, row.type]));
};

function cellText(cell: Cell): string | null {
	return cell === null ? null : String(cell);
}

/** Upper bound of a placeholder's text with its separator: `JSON_PARSE($32000), `. */
const PLACEHOLDER_BYTES = 24;

/** Bytes a row adds to a statement: its values plus the placeholders and separators. */
function rowBytes(cells: Cell[]): number {
	let bytes = 4 + cells.length * PLACEHOLDER_BYTES;
	for (const cell of cells) if (cell !== null) bytes += Buffer.byteLength(String(cell));
	return bytes;
}

/** Multi-row INSERT ... VALUES into the stage, split so no statement passes the limits. */
export function stageInsertStatements(
	spec: TableSpec,
	rows: PreparedRow[],
	limits: { maxBytes: number; maxParameters: number } = { maxBytes: MAX_STATEMENT_BYTES, maxParameters: MAX_PARAMETERS },
): Statement[] {
	const columnCount = spec.columns.length;
	const head = `INSERT INTO ${STAGE_TABLE} (${spec.columns.map(({ name }) => quoteIdentifier(name)).join(', ')}) VALUES `;
	// SUPER columns take JSON through JSON_PARSE; a plain string would be stored as a JSON string.
	const wrap = spec.columns.map(({ type }) => (type === 'json' ? (placeholder: string) => `JSON_PARSE(${placeholder})` : (placeholder: string) => placeholder));
	const rowsPerStatement = Math.max(1, Math.floor(limits.maxParameters / columnCount));
	const statements: Statement[] = [];
	let tuples: string[] = [];
	let values: Array<string | null> = [];
	let bytes = head.length;
	const flush = () => {
		if (tuples.length === 0) return;
		statements.push({ text: head + tuples.join(', '), values });
		tuples = [];
		values = [];
		bytes = head.length;
	};
	for (const { cells } of rows) {
		const size = rowBytes(cells);
		if (tuples.length > 0 && (tuples.length >= rowsPerStatement || bytes + size > limits.maxBytes)) flush();
		const placeholders = cells.map((cell, position) => {
			values.push(cellText(cell));
			return wrap[position](`$${values.length}`);
		});
		tuples.push(`(${placeholders.join(', ')})`);
		bytes += size;
	}
	flush();
	return statements;
}

/**
 * From the stage into the table. Skipping inserts only the keys the table lacks; updating is a
 * MERGE (Redshift requires both its WHEN clauses). The stage never holds a key twice.
 */
export function redshiftMergeSql(spec: TableSpec, onConflict: ConflictPolicy): string {
	const table = quoteTableName(spec.table);
	const columns = spec.columns.map(({ name }) => quoteIdentifier(name));
	const matches = spec.key.map((name) => `target.${quoteIdentifier(name)} = s.${quoteIdentifier(name)}`).join(' AND ');
	const updatable = spec.columns.filter(({ name }) => !spec.key.includes(name)).map(({ name }) => quoteIdentifier(name));
	if (onConflict === 'skip' || updatable.length === 0) {
		return (
			`INSERT INTO ${table} (${columns.join(', ')}) ` +
			`SELECT ${columns.map((name) => `s.${name}`).join(', ')} FROM ${STAGE_TABLE} AS s ` +
			`WHERE NOT EXISTS (SELECT 1 FROM ${table} AS target WHERE ${matches})`
		);
	}
	return (
		`MERGE INTO ${table} AS target USING ${STAGE_TABLE} AS s ON ${matches} ` +
		`WHEN MATCHED THEN UPDATE SET ${updatable.map((name) => `${name} = s.${name}`).join(', ')} ` +
		`WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${columns.map((name) => `s.${name}`).join(', ')})`
	);
}

/** Created inside the batch's transaction and dropped before its commit, so a failed batch leaves none behind. */
export function redshiftStageSql(spec: TableSpec): string {
	return `CREATE TEMP TABLE ${STAGE_TABLE} (LIKE ${quoteTableName(spec.table)})`;
}

/** Redshift reports many conversion failures as XX000 with a message naming the value. */
const REDSHIFT_DATA_ERROR = /Invalid digit|Invalid timestamp|Invalid date|value too long|Overflow|invalid input syntax|Invalid JSON|JSON parsing error/i;

export class RedshiftWriter implements WarehouseWriter {
	private readonly mergeSql: string;

	constructor(
		private readonly session: PgSession,
		private readonly spec: TableSpec,
		onConflict: ConflictPolicy,
	) {
		this.mergeSql = redshiftMergeSql(spec, onConflict);
	}

	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		await this.session.transaction(async () => {
			await this.session.query(redshiftStageSql(this.spec));
			for (const { text, values } of stageInsertStatements(this.spec, rows)) await this.session.query(text, values);
			await this.session.query(this.mergeSql);
			await this.session.query(`DROP TABLE ${STAGE_TABLE}`);
		});
		return [];
	}

	isTransient(error: unknown): boolean {
		return isTransientPgError(error);
	}

	isRowRejection(error: unknown): boolean {
		return isPgRowRejection(error) || (error instanceof Error && REDSHIFT_DATA_ERROR.test(error.message));
	}

	async reset(): Promise<void> {
		await this.session.reset();
	}
}

/** Checks the table once (through the first session), then gives one writer per session. */
export async function openRedshiftWriters(
	sessions: PgSession[],
	spec: TableSpec,
	onConflict: ConflictPolicy,
	createIfMissing: boolean,
): Promise<RedshiftWriter[]> {
	await ensurePgTable(sessions[0], spec, 'redshift', createIfMissing, redshiftColumns);
	return sessions.map((session) => new RedshiftWriter(session, spec, onConflict));
}
