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
	cells: Cell[];
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
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return String(value);
		return type === 'timestamp' ? new Date(value).toISOString() : value;
	}
	if (typeof value === 'bigint') return value.toString();
	return JSON.stringify(value);
}

export function rowObject(spec: TableSpec, cells: Cell[]): Record<string, Cell> {
	return Object.fromEntries(spec.columns.map((column, position) => [column.name, cells[position]]));
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
	const columnCount = spec.columns.length;
	const keyPositions = spec.key.map((name) => spec.columns.findIndex((column) => column.name === name));
	const extraPosition = spec.extraColumn ? spec.columns.findIndex((column) => column.name === spec.extraColumn) : -1;
	const rows: PreparedRow[] = [];
	const failures: RowFailure[] = [];
	const duplicates: PreparedRows['duplicates'] = [];
	const rowByKey = new Map<string, number>();

	records.forEach((record, index) => {
		const cells = new Array<Cell>(columnCount);
		for (let position = 0; position < columnCount; position++) {
			const column = spec.columns[position];
			cells[position] = toCell(column.read(record), column.type);
		}
		const unknown: string[] = [];
		for (const name of Object.keys(record)) if (!spec.knownFields.has(name)) unknown.push(name);
		if (unknown.length > 0 && policies.unknownFields === 'fail') {
			failures.push({
				index,
				reason: `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')}: the table has no column for ${unknown.length > 1 ? 'them' : 'it'}`,
				row: rowObject(spec, cells),
			});
			return;
		}
		if (extraPosition >= 0 && unknown.length > 0) {
			cells[extraPosition] = JSON.stringify(Object.fromEntries(unknown.map((name) => [name, record[name]])));
		}
		const emptyKey = keyPositions.find((position) => cells[position] === null || cells[position] === '');
		if (emptyKey !== undefined) {
			failures.push({ index, reason: `Key column '${spec.columns[emptyKey].name}' is empty`, row: rowObject(spec, cells) });
			return;
		}
		// One key column (the presets): its cell, typed, so 1 and '1' stay apart.
		const key = keyPositions.length === 1 ? `${typeof cells[keyPositions[0]]}:${cells[keyPositions[0]]}` : JSON.stringify(keyPositions.map((position) => cells[position]));
		const existing = rowByKey.get(key);
		if (existing === undefined) {
			rowByKey.set(key, rows.length);
			rows.push({ index, cells });
			return;
		}
		if (policies.onConflict === 'update') {
			duplicates.push({ index: rows[existing].index, writtenAs: existing });
			rows[existing] = { index, cells };
		} else {
			duplicates.push({ index, writtenAs: existing });
		}
	});
	return { rows, failures, duplicates };
}
