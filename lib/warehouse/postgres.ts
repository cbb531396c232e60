/**
 * PostgreSQL (and the connection layer Redshift shares) through `pg`, bundled into dist. One
 * session per execution keeps a single connection; a transient failure drops it and the retry
 * reconnects. Every batch is one statement, so it commits whole or not at all, and
 * `ON CONFLICT` makes a retried batch that had in fact committed a no-op.
 */
import { Client, type ClientConfig } from 'pg';

import { addColumnSql, createTableSql, missingColumns, type DialectName } from './dialects';
import { quoteIdentifier, quoteTableName } from './identifiers';
import { type Rejection, type WarehouseWriter } from './load';
import type { Cell, ConflictPolicy, PreparedRow } from './rows';
import type { TableSpec } from './tables';

export type SslMode = 'disable' | 'require' | 'verify-full';

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	ssl: SslMode;
	/** PEM certificate authority for verify-full, when the server's CA is not a public one. */
	caCertificate?: string;
	connectTimeoutMs?: number;
}

export function clientConfig(connection: PostgresConnection): ClientConfig {
	const ssl =
		connection.ssl === 'disable'
			? false
			: connection.ssl === 'require'
				? { rejectUnauthorized: false }
				: { rejectUnauthorized: true, ...(connection.caCertificate ? { ca: connection.caCertificate } : {}) };
	return {
		host: connection.host,
		port: connection.port,
		database: connection.database,
		user: connection.user,
		password: connection.password,
		ssl,
		connectionTimeoutMillis: connection.connectTimeoutMs ?? 15_000,
		application_name: 'n8n-nodes-revops warehouse',
	};
}

/** SQLSTATE classes and codes worth retrying: the connection, the server's state or contention. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '53300', '55P03', '57P01', '57P02', '57P03', '57014']);
const TRANSIENT_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What `pg` throws, without a code, when the socket goes away under it. */
const TRANSIENT_MESSAGES = /Connection terminated|connection error and is not queryable|timeout expired|timeout exceeded when trying to connect|Client was closed/i;

export function isTransientPgError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	if (typeof code === 'string') {
		if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_SYSTEM_CODES.has(code)) return true;
	}
	return error instanceof Error && TRANSIENT_MESSAGES.test(error.message);
}

/** Data exceptions (22xxx) and integrity violations (23xxx): some row's values were refused. */
export function isPgRowRejection(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** One connection, opened on first use and replaced after a failure. */
export class PgSession {
	private client?: Promise<Client>;
	private current?: Client;

	constructor(private readonly config: ClientConfig) {}

	private connect(): Promise<Client> {
		const client = new Client(this.config);
		// An idle connection the server drops emits 'error'; unhandled, it would crash n8n.
		client.on('error', () => {
			if (this.client && this.current === client) this.client = undefined;
		});
		this.current = client;
		return client.connect().then(
			() => client,
			(error: unknown) => {
				this.client = undefined;
				throw error;
			},
		);
	}

	async query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]> {
		this.client ??= this.connect();
		const client = await this.client;
		const result = await client.query(text, values);
		return result.rows as Row[];
	}

	/** Drops the connection (after a transient failure) so the next query opens a fresh one. */
	async reset(): Promise<void> {
		const client = this.current;
		this.client = undefined;
		this.current = undefined;
		await client?.end().catch(() => undefined);
	}

	async close(): Promise<void> {
		await this.reset();
	}
}

/** Text form of a cell, as PostgreSQL parses it for the column's type. */
function textCell(cell: Cell): string | null {
	return cell === null ? null : String(cell);
}

/** Column name -> type as PostgreSQL prints it (format_type), or undefined without the table. */
async function tableColumns(session: PgSession, spec: TableSpec): Promise<Map<string, string> | undefined> {
	const rows = await session.query<{ exists: boolean; name: string | null; type: string | null }>(
		`SELECT to_regclass($1) IS NOT NULL AS exists, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
		 FROM (SELECT 1) AS one
		 LEFT JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
		[quoteTableName(spec.table)],
	);
	if (!rows[0]?.exists) return undefined;
	return new Map(rows.filter((row) => row.name !== null).map((row) => [row.name as string, row.type as string]));
}

function describeTable(spec: TableSpec): string {
	return spec.table.schema ? `${spec.table.schema}.${spec.table.table}` : spec.table.table;
}

/**
 * Checks the table once per execution: creates it, or adds the columns it lacks, when allowed;
 * otherwise names what is missing. Returns the column types the inserts cast to.
 */
export async function ensurePgTable(
	session: PgSession,
	spec: TableSpec,
	dialect: Extract<DialectName, 'postgres' | 'redshift'>,
	createIfMissing: boolean,
): Promise<Map<string, string>> {
	let types = await tableColumns(session, spec);
	if (!types) {
		if (!createIfMissing) throw new Error(`Table '${describeTable(spec)}' does not exist (turn on "Create Table If Missing")`);
		await session.query(createTableSql(dialect, spec));
	} else {
		const missing = missingColumns(spec, types.keys());
		if (missing.length === 0) return types;
		if (!createIfMissing) {
			throw new Error(`Table '${describeTable(spec)}' has no column ${missing.map(({ name }) => `'${name}'`).join(', ')}`);
		}
		for (const column of missing) await session.query(addColumnSql(dialect, spec, column));
	}
	types = await tableColumns(session, spec);
	if (!types) throw new Error(`Table '${describeTable(spec)}' could not be created`);
	return types;
}

/**
 * `INSERT ... SELECT FROM unnest(...)`: one text array per column, cast to the column's type by
 * PostgreSQL, so the statement is the same for every batch and a bad value is refused by the
 * database with its own message.
 */
export function unnestInsertSql(spec: TableSpec, types: Map<string, string>, onConflict: ConflictPolicy): string {
	const names = spec.columns.map(({ name }) => name);
	const aliases = names.map((_, position) => `c${position + 1}`);
	const casts = names.map((name, position) => `CAST(u.${aliases[position]} AS ${types.get(name) ?? 'text'})`);
	const arrays = names.map((_, position) => `$${position + 1}::text[]`);
	const keys = spec.key.map((name) => quoteIdentifier(name));
	const updatable = names.filter((name) => !spec.key.includes(name)).map((name) => quoteIdentifier(name));
	const action =
		onConflict === 'update' && updatable.length > 0
			? `DO UPDATE SET ${updatable.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}` +
				// Replaying the same rows then rewrites nothing.
				` WHERE (${updatable.map((name) => `target.${name}`).join(', ')}) IS DISTINCT FROM (${updatable.map((name) => `EXCLUDED.${name}`).join(', ')})`
			: 'DO NOTHING';
	return (
		`INSERT INTO ${quoteTableName(spec.table)} AS target (${names.map((name) => quoteIdentifier(name)).join(', ')}) ` +
		`SELECT ${casts.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${aliases.join(', ')}) ` +
		`ON CONFLICT (${keys.join(', ')}) ${action}`
	);
}

/** One text array per column, row order kept. */
export function columnArrays(rows: PreparedRow[], columnCount: number): Array<Array<string | null>> {
	const arrays = Array.from({ length: columnCount }, () => new Array<string | null>(rows.length));
	rows.forEach((row, rowIndex) => {
		for (let position = 0; position < columnCount; position++) arrays[position][rowIndex] = textCell(row.cells[position]);
	});
	return arrays;
}

export class PostgresWriter implements WarehouseWriter {
	private insertSql?: string;

	constructor(
		private readonly session: PgSession,
		private readonly spec: TableSpec,
		private readonly onConflict: ConflictPolicy,
	) {}

	async ensureTable(createIfMissing: boolean): Promise<void> {
		const types = await ensurePgTable(this.session, this.spec, 'postgres', createIfMissing);
		this.insertSql = unnestInsertSql(this.spec, types, this.onConflict);
	}

	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		if (!this.insertSql) throw new Error('ensureTable() must run before writeBatch()');
		await this.session.query(this.insertSql, columnArrays(rows, this.spec.columns.length));
		return [];
	}

	isTransient(error: unknown): boolean {
		return isTransientPgError(error);
	}

	isRowRejection(error: unknown): boolean {
		return isPgRowRejection(error);
	}

	async reset(): Promise<void> {
		await this.session.reset();
	}
}
