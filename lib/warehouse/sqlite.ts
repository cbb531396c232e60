/**
 * SQLite through Node's built-in `node:sqlite` (Node >= 22.5; n8n 2.x runs on Node 24): no
 * dependency to ship. A batch is one transaction of one prepared statement; SQLite refuses a bad
 * row without aborting the transaction, so refused rows are reported and the rest commit.
 */
import path from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { ensureFolder } from '../ensureFolder';
import { n8nDataFile } from '../n8nDataFolder';
import { addColumnSql, createTableSql, missingColumns } from './dialects';
import { quoteIdentifier, quoteTableName } from './identifiers';
import { errorMessage, type Rejection, type WarehouseWriter } from './load';
import type { Cell, ConflictPolicy, PreparedRow } from './rows';
import { settleSync } from './settle';
import type { LogicalType, TableSpec } from './tables';

/** The database file when none is set: beside n8n's own data. */
export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
	return n8nDataFile('revops-warehouse.sqlite', env);
}

/** Loaded at run time so bundlers and test runners that do not know `node:sqlite` leave it alone. */
export function openSqlite(file: string, busyTimeoutMs = 10_000): DatabaseSync {
	const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite') | undefined;
	if (!sqlite) throw new Error('SQLite needs Node.js 22.5 or newer (node:sqlite)');
	ensureFolder(path.dirname(file));
	const db = new sqlite.DatabaseSync(file, { timeout: busyTimeoutMs });
	db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
	return db;
}

/** SQLite error codes that clear up by themselves: SQLITE_BUSY (5) and SQLITE_LOCKED (6). */
const TRANSIENT_SQLITE_CODES = new Set([5, 6]);

function sqliteCode(error: unknown): number | undefined {
	const code = (error as { errcode?: unknown } | null)?.errcode;
	return typeof code === 'number' ? code & 0xff : undefined;
}

function bindable(cell: Cell, type: LogicalType): SQLInputValue {
	if (typeof cell === 'boolean') return cell ? 1 : 0;
	if (type === 'boolean' && (cell === 'true' || cell === 'false')) return cell === 'true' ? 1 : 0;
	return cell;
}

export function sqliteInsertSql(spec: TableSpec, onConflict: ConflictPolicy): string {
	const columns = spec.columns.map(({ name }) => quoteIdentifier(name));
	const keys = spec.key.map((name) => quoteIdentifier(name));
	const updates = spec.columns
		.filter(({ name }) => !spec.key.includes(name))
		.map(({ name }) => `${quoteIdentifier(name)} = excluded.${quoteIdentifier(name)}`);
	const action = onConflict === 'update' && updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
	return `INSERT INTO ${quoteTableName(spec.table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${keys.join(', ')}) ${action}`;
}

export class SqliteWriter implements WarehouseWriter {
	private insert?: StatementSync;

	constructor(
		private readonly db: DatabaseSync,
		private readonly spec: TableSpec,
		private readonly onConflict: ConflictPolicy,
	) {}

	/** Checks the table's columns once; creates the table or adds columns when allowed. */
	ensureTable(createIfMissing: boolean): void {
		const tableName = this.spec.table.schema ? `${this.spec.table.schema}.${this.spec.table.table}` : this.spec.table.table;
		const existing = (
			this.db
				.prepare('SELECT name FROM pragma_table_info(?, ?)')
				.all(this.spec.table.table, this.spec.table.schema ?? 'main') as Array<{ name: string }>
		).map(({ name }) => name);
		if (existing.length === 0) {
			if (!createIfMissing) throw new Error(`Table '${tableName}' does not exist (turn on "Create Table If Missing")`);
			this.db.exec(createTableSql('sqlite', this.spec));
		} else {
			const missing = missingColumns(this.spec, existing);
			if (missing.length > 0 && !createIfMissing) {
				throw new Error(`Table '${tableName}' has no column ${missing.map(({ name }) => `'${name}'`).join(', ')}`);
			}
			for (const column of missing) this.db.exec(addColumnSql('sqlite', this.spec, column));
		}
		this.insert = this.db.prepare(sqliteInsertSql(this.spec, this.onConflict));
	}

	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		const insert = this.insert;
		if (!insert) throw new Error('ensureTable() must run before writeBatch()');
		const types = this.spec.columns.map(({ type }) => type);
		const refused: Rejection[] = [];
		this.db.exec('BEGIN IMMEDIATE');
		for (const row of rows) {
			const outcome = settleSync(() => insert.run(...row.cells.map((cell, position) => bindable(cell, types[position]))));
			if (outcome.ok) continue;
			if (this.isTransient(outcome.error)) {
				// Busy or locked beyond the busy timeout: give the batch back to the retry loop whole.
				this.db.exec('ROLLBACK');
				throw outcome.error;
			}
			refused.push({ row, reason: errorMessage(outcome.error) });
		}
		const commit = settleSync(() => this.db.exec('COMMIT'));
		if (!commit.ok) {
			if (this.db.isTransaction) this.db.exec('ROLLBACK');
			throw commit.error;
		}
		return refused;
	}

	isTransient(error: unknown): boolean {
		const code = sqliteCode(error);
		return code !== undefined && TRANSIENT_SQLITE_CODES.has(code);
	}

	isRowRejection(): boolean {
		return false;
	}
}
