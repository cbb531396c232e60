/**
 * Turns items into rows of a TableSpec: one cell per column, in the portable representation every
 * writer binds (strings, numbers, booleans, null; JSON columns as JSON text). Values are never
 * judged here beyond what cannot be sent at all: the database decides what it accepts, and its
 * reasons reach the Failed output.
 */
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

function toCell(value: unknown, type: LogicalType): Cell {
	if (value === undefined || value === null) return null;
	if (type === 'json') return JSON.stringify(value);
	// Strings first: almost every value is one.
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return String(value);
		return type === 'timestamp' ? new Date(value).toISOString() : value;
	}
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'bigint') return value.toString();
	return JSON.stringify(value);
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
 * Builds the rows of `records`, in order. Items that repeat a key are folded into one row (the
 * last one wins when updating, the first when skipping, as the database would end up anyway), so
 * a batch never touches the same key twice.
 */
export function prepareRows(
	records: Array<Record<string, unknown>>,
	spec: TableSpec,
	policies: { unknownFields: UnknownFieldPolicy; onConflict: ConflictPolicy },
): PreparedRows {
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
	// One key column (the presets): the cell itself is the key, and Map keeps 1 and '1' apart.
	const keyOf =
		keyColumns.length === 1
			? (cells: Cell[]): Cell => cells[0]
			: (cells: Cell[]): string => JSON.stringify(cells);
	const rows: PreparedRow[] = [];
	const failures: RowFailure[] = [];
	const duplicates: PreparedRows['duplicates'] = [];
	const rowByKey = new Map<Cell, number>();

	for (let index = 0; index < records.length; index++) {
		const record = records[index];
		if (policies.unknownFields === 'fail') {
			const unknown = unknownFieldsOf(record);
			if (unknown) {
				failures.push({
					index,
					reason: `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')}: the table has no column for ${unknown.length > 1 ? 'them' : 'it'}`,
					row: rowObject(spec, cellsOf(record)),
				});
				continue;
			}
		}
		const keyCells = keyColumns.map((column) => toCell(column.read(record), column.type));
		const emptyKey = keyCells.findIndex((cell) => cell === null || cell === '');
		if (emptyKey >= 0) {
			failures.push({ index, reason: `Key column '${keyColumns[emptyKey].name}' is empty`, row: rowObject(spec, cellsOf(record)) });
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
