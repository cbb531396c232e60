/**
 * Turns items into rows of a TableSpec: one cell per column, in the portable representation every
 * writer binds (strings, numbers, booleans, null; JSON columns as JSON text). Values are judged
 * here only where no database could store them as read (a time outside every target's range,
 * text with a lone UTF-16 surrogate, a value that is no JSON); the database decides the rest, and
 * its reasons reach the Failed output.
 */
import type { DialectName } from './dialects';
import { settleSync } from './settle';
import type { LogicalType, TableSpec } from './tables';

export type Cell = string | number | boolean | null;

export interface PreparedRow {
	/** Index of the item the row came from. */
	index: number;
	/** One cell per column, in column order; may be built on each read, so read it once per use. */
	readonly cells: Cell[];
	/** The same cells written into `target`, for encoders that reuse one array for every row. */
	cellsInto(target: Cell[]): Cell[];
}

export interface RowFailure {
	index: number;
	reason: string;
	/** The row as it was (or would have been) sent, by column name. */
	row?: Record<string, Cell>;
}

export type UnknownFieldPolicy = 'keep' | 'fail' | 'ignore';

export type ConflictPolicy = 'skip' | 'update';

export interface PreparedRows {
	rows: PreparedRow[];
	failures: RowFailure[];
	/** Items whose key repeats an earlier item's: the row written for it is `rows[writtenAs]`. */
	duplicates: Array<{ index: number; writtenAs: number }>;
}

/**
 * Times every target stores (SQLite's date functions and BigQuery stop at year 9999, PostgreSQL
 * and Redshift at 4713 BC), as milliseconds since 1970: 0001-01-01 to 9999-12-31T23:59:59.999Z.
 */
const TIMESTAMP_RANGE_MS = { min: -62135596800000, max: 253402300799999 };

/** JSON values nested deeper than this are refused: PostgreSQL's jsonb and V8's JSON.stringify both stop not far beyond. */
const MAX_JSON_DEPTH = 256;

/** A UTF-16 surrogate without its pair: with the `u` flag a pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

function isTimeInRange(time: number): boolean {
	return time >= TIMESTAMP_RANGE_MS.min && time <= TIMESTAMP_RANGE_MS.max;
}

function toCell(value: unknown, type: LogicalType): Cell {
	if (value === undefined || value === null) return null;
	if (type === 'json') return JSON.stringify(value);
	// Strings first: almost every value is one.
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return String(value);
		// Out of range, the row fails in prepareRows (rowProblem) and shows the number as sent.
		return type === 'timestamp' && isTimeInRange(value) ? new Date(value).toISOString() : value;
	}
	if (value instanceof Date) return isTimeInRange(value.getTime()) ? value.toISOString() : String(value);
	if (typeof value === 'bigint') return value.toString();
	return JSON.stringify(value);
}

/**
 * Why a value cannot be written exactly as read, or undefined: a lone surrogate in any text or key
 * (PostgreSQL and SQLite would store U+FFFD in its place), a number or Date in a timestamp column
 * outside TIMESTAMP_RANGE_MS, or an object JSON cannot hold (a bigint, a cycle, nesting beyond
 * MAX_JSON_DEPTH). Walks objects with its own stack, so deep nesting cannot overflow the call stack.
 */
function valueProblem(value: unknown, type: LogicalType): string | undefined {
	if (typeof value === 'string') return LONE_SURROGATE.test(value) ? 'contains a lone UTF-16 surrogate, which no database stores as sent' : undefined;
	if (type === 'timestamp') {
		const time = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : undefined;
		if (time !== undefined && !isTimeInRange(time)) return `${String(value)} is not a time between 0001-01-01 and 9999-12-31`;
	}
	if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
	const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
	const seen = new Set<object>();
	while (stack.length > 0) {
		const { value: current, depth } = stack.pop()!;
		if (depth > MAX_JSON_DEPTH) return `is nested deeper than ${MAX_JSON_DEPTH} levels`;
		if (seen.has(current)) return 'refers to itself, which JSON cannot hold';
		seen.add(current);
		for (const key of Object.keys(current)) {
			if (LONE_SURROGATE.test(key)) return 'has a key with a lone UTF-16 surrogate, which no database stores as sent';
			const inner = (current as Record<string, unknown>)[key];
			if (typeof inner === 'string' && LONE_SURROGATE.test(inner)) return 'contains a lone UTF-16 surrogate, which no database stores as sent';
			if (typeof inner === 'bigint') return 'holds a bigint, which JSON cannot hold';
			if (typeof inner === 'object' && inner !== null && !(inner instanceof Date)) stack.push({ value: inner, depth: depth + 1 });
		}
	}
	return undefined;
}

/**
 * The text a key cell is compared by, as the target compares it: PostgreSQL and SQLite (STRICT)
 * turn the number 1 and the text '1' into the same value of a text or integer column, and
 * PostgreSQL's timestamptz holds one instant however it was spelled (SQLite keeps timestamps as
 * text, so there two spellings are two keys). Two items with one key in one statement would fail
 * it ("ON CONFLICT DO UPDATE command cannot affect row a second time").
 */
function keyText(cell: Cell, type: LogicalType, dialect: DialectName): string {
	if (cell === null) return '';
	if (typeof cell === 'boolean') return type === 'integer' || type === 'number' ? String(Number(cell)) : String(cell);
	if (type === 'integer' || type === 'number') {
		const text = String(cell).trim();
		if (/^[+-]?\d+$/.test(text)) return BigInt(text).toString();
		const number = Number(text);
		return text !== '' && Number.isFinite(number) ? String(number) : text;
	}
	if (type === 'boolean') {
		const text = String(cell).trim().toLowerCase();
		if (['t', 'true', 'y', 'yes', 'on', '1'].includes(text)) return 'true';
		if (['f', 'false', 'n', 'no', 'off', '0'].includes(text)) return 'false';
		return text;
	}
	if (type === 'timestamp' && dialect !== 'sqlite' && typeof cell === 'string') {
		// Date.parse keeps milliseconds: finer fractions are compared as written.
		const time = /\.\d{4}/.test(cell) ? NaN : Date.parse(cell);
		return Number.isFinite(time) ? `@${time}` : cell;
	}
	return String(cell);
}

export function rowObject(spec: TableSpec, cells: Cell[]): Record<string, Cell> {
	return Object.fromEntries(spec.columns.map((column, position) => [column.name, cells[position]]));
}

/**
 * A row whose cells are built from its record when read, and not kept: preparing only keys up
 * front lets the load start at once (each batch's cells are built when the batch is sent, while
 * the database is still busy with the one before), and 50,000 rows of cells held to the end
 * would cost the garbage collector more than building them again on the rare second read.
 */
class RecordRow implements PreparedRow {
	constructor(
		readonly index: number,
		private readonly record: Record<string, unknown>,
		private readonly build: (record: Record<string, unknown>, target?: Cell[]) => Cell[],
	) {}

	get cells(): Cell[] {
		return this.build(this.record);
	}

	cellsInto(target: Cell[]): Cell[] {
		return this.build(this.record, target);
	}
}

/**
 * Builds the rows of `records`, in order. Items that repeat a key (as the target compares keys)
 * are folded into one row (the last one wins when updating, the first when skipping, as the
 * database would end up anyway), so a batch never touches the same key twice. Items whose values
 * no target could store as read fail here, each with its reason.
 */
export function prepareRows(
	records: Array<Record<string, unknown>>,
	spec: TableSpec,
	policies: { unknownFields: UnknownFieldPolicy; onConflict: ConflictPolicy; dialect?: DialectName },
): PreparedRows {
	// Keys compare as the target compares them (keyText); a target with a timestamp type when unnamed.
	const dialect = policies.dialect ?? 'postgres';
	const { columns, knownFields } = spec;
	const keyColumns = spec.key.map((name) => columns[columns.findIndex((column) => column.name === name)]);
	const extraPosition = spec.extraColumn ? columns.findIndex((column) => column.name === spec.extraColumn) : -1;
	const unknownFieldsOf = (record: Record<string, unknown>): string[] | undefined => {
		let unknown: string[] | undefined;
		for (const name of Object.keys(record)) if (!knownFields.has(name)) (unknown ??= []).push(name);
		return unknown;
	};
	const cellsOf = (record: Record<string, unknown>, cells = new Array<Cell>(columns.length)): Cell[] => {
		for (let position = 0; position < columns.length; position++) cells[position] = toCell(columns[position].read(record), columns[position].type);
		if (extraPosition >= 0) {
			const unknown = unknownFieldsOf(record);
			if (unknown) cells[extraPosition] = JSON.stringify(Object.fromEntries(unknown.map((name) => [name, record[name]])));
		}
		return cells;
	};
	const keyOf = (cells: Cell[]): string =>
		cells.length === 1
			? keyText(cells[0], keyColumns[0].type, dialect)
			: JSON.stringify(cells.map((cell, position) => keyText(cell, keyColumns[position].type, dialect)));
	// The row as it would have been sent, for the Failed output; none when even that cannot be built.
	const shownRow = (record: Record<string, unknown>): Record<string, Cell> | undefined => {
		const built = settleSync(() => rowObject(spec, cellsOf(record)));
		return built.ok ? built.value : undefined;
	};
	const rowProblem = (record: Record<string, unknown>): string | undefined => {
		for (const column of columns) {
			if (column.name === spec.extraColumn) continue;
			const problem = valueProblem(column.read(record), column.type);
			if (problem !== undefined) return `Column '${column.name}' ${problem}`;
		}
		if (extraPosition < 0) return undefined;
		for (const name of unknownFieldsOf(record) ?? []) {
			const problem = LONE_SURROGATE.test(name) ? 'has a lone UTF-16 surrogate, which no database stores as sent' : valueProblem(record[name], 'json');
			if (problem !== undefined) return `Field '${name}' ${problem}`;
		}
		return undefined;
	};
	const rows: PreparedRow[] = [];
	const failures: RowFailure[] = [];
	const duplicates: PreparedRows['duplicates'] = [];
	const rowByKey = new Map<string, number>();

	for (let index = 0; index < records.length; index++) {
		const record = records[index];
		if (policies.unknownFields === 'fail') {
			const unknown = unknownFieldsOf(record);
			if (unknown) {
				failures.push({
					index,
					reason: `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')}: the table has no column for ${unknown.length > 1 ? 'them' : 'it'}`,
					row: shownRow(record),
				});
				continue;
			}
		}
		const problem = rowProblem(record);
		if (problem !== undefined) {
			failures.push({ index, reason: problem, row: shownRow(record) });
			continue;
		}
		const keyCells = keyColumns.map((column) => toCell(column.read(record), column.type));
		const emptyKey = keyCells.findIndex((cell) => cell === null || cell === '');
		if (emptyKey >= 0) {
			failures.push({ index, reason: `Key column '${keyColumns[emptyKey].name}' is empty`, row: shownRow(record) });
			continue;
		}
		const key = keyOf(keyCells);
		const existing = rowByKey.get(key);
		if (existing === undefined) {
			rowByKey.set(key, rows.length);
			rows.push(new RecordRow(index, record, cellsOf));
		} else if (policies.onConflict === 'update') {
			duplicates.push({ index: rows[existing].index, writtenAs: existing });
			rows[existing] = new RecordRow(index, record, cellsOf);
		} else {
			duplicates.push({ index, writtenAs: existing });
		}
	}
	return { rows, failures, duplicates };
}
