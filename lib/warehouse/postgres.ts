/**
 * PostgreSQL (and the connection layer Redshift shares) through `pg`, bundled into dist. One
 * session per execution keeps a single connection; a transient failure drops it and the retry
 * reconnects. Every batch is one transaction (a COPY straight into the table while keys are new,
 * otherwise COPY into a temporary table, then one INSERT ... ON CONFLICT), so it commits whole or
 * not at all, and a retried batch that had in fact committed is a no-op.
 */
import { Client, type ClientConfig } from 'pg';

import { addColumnSql, createTableSql, missingColumns, type DialectName } from './dialects';
import { quoteIdentifier, quoteTableName } from './identifiers';
import { type Rejection, type WarehouseWriter } from './load';
import { CopyFromStdin } from './pgCopy';
import type { Cell, ConflictPolicy, PreparedRow } from './rows';
import { settle } from './settle';
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

/** The connection a Warehouse PostgreSQL credential describes (its fields as n8n decrypts them). */
export function postgresConnection(credentials: Record<string, unknown>): PostgresConnection {
	return {
		host: String(credentials.host ?? ''),
		port: Number(credentials.port ?? 5432),
		database: String(credentials.database ?? ''),
		user: String(credentials.user ?? ''),
		password: String(credentials.password ?? ''),
		ssl: (credentials.ssl as SslMode | undefined) ?? 'disable',
		caCertificate: credentials.caCertificate ? String(credentials.caCertificate) : undefined,
	};
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

	/** Runs `work` in a transaction; rolls back (keeping a healthy connection usable) when it fails. */
	async transaction(work: () => Promise<void>): Promise<void> {
		await this.query('BEGIN');
		const outcome = await settle(work().then(() => this.query('COMMIT')));
		if (outcome.ok) return;
		await this.query('ROLLBACK').catch(() => this.reset());
		throw outcome.error;
	}

	/** Streams `chunks` (COPY text format) to a `COPY ... FROM STDIN` statement. */
	async copyFrom(sql: string, chunks: Iterable<string>): Promise<void> {
		this.client ??= this.connect();
		const client = await this.client;
		const copy = new CopyFromStdin(sql, chunks);
		client.query(copy);
		await copy.done;
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

/**
 * A session whose table exists: `schemaSql` (CREATE ... IF NOT EXISTS) runs under a transaction
 * advisory lock, since two workers creating one table at once collide on the catalog.
 */
export async function pgSessionWithSchema(connection: PostgresConnection, applicationName: string, schemaLock: number, schemaSql: string): Promise<PgSession> {
	const session = new PgSession({ ...clientConfig(connection), application_name: applicationName });
	const schema = await settle(
		session.transaction(async () => {
			await session.query('SELECT pg_advisory_xact_lock($1)', [schemaLock]);
			await session.query(schemaSql);
		}),
	);
	if (!schema.ok) {
		await session.close();
		throw schema.error;
	}
	return session;
}

/** Column name -> type as PostgreSQL prints it (format_type), or undefined without the table. */
export type ColumnLookup = (session: PgSession, spec: TableSpec) => Promise<Map<string, string> | undefined>;

export const postgresColumns: ColumnLookup = async (session, spec) => {
	const rows = await session.query<{ exists: boolean; name: string | null; type: string | null }>(
		`SELECT to_regclass($1) IS NOT NULL AS exists, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
		 FROM (SELECT 1) AS one
		 LEFT JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
		[quoteTableName(spec.table)],
	);
	if (!rows[0]?.exists) return undefined;
	return new Map(rows.filter((row) => row.name !== null).map((row) => [row.name as string, row.type as string]));
};

export function describeTable(spec: TableSpec): string {
	return spec.table.schema ? `${spec.table.schema}.${spec.table.table}` : spec.table.table;
}

/**
 * Runs a CREATE TABLE or ADD COLUMN that another worker may run at the same moment (n8n queue mode:
 * the first executions on two workers both find the table missing). PostgreSQL then fails one of them
 * on its catalog (a unique violation on pg_type, or "already exists") even with IF NOT EXISTS; when the
 * change turns out to be made, the other worker made it and this one goes on.
 */
async function changeRacing(change: Promise<unknown>, isMade: () => Promise<boolean>): Promise<void> {
	const outcome = await settle(change);
	if (!outcome.ok && !(await isMade())) throw outcome.error;
}

/**
 * Checks the table once per execution: creates it, or adds the columns it lacks, when allowed;
 * otherwise names what is missing. Returns the column types.
 */
export async function ensurePgTable(
	session: PgSession,
	spec: TableSpec,
	dialect: Extract<DialectName, 'postgres' | 'redshift'>,
	createIfMissing: boolean,
	lookup: ColumnLookup = postgresColumns,
): Promise<Map<string, string>> {
	let types = await lookup(session, spec);
	if (!types) {
		if (!createIfMissing) throw new Error(`Table '${describeTable(spec)}' does not exist (turn on "Create Table If Missing")`);
		await changeRacing(session.query(createTableSql(dialect, spec)), async () => (await lookup(session, spec)) !== undefined);
	} else {
		const missing = missingColumns(spec, types.keys());
		if (missing.length === 0) return types;
		if (!createIfMissing) {
			throw new Error(`Table '${describeTable(spec)}' has no column ${missing.map(({ name }) => `'${name}'`).join(', ')}`);
		}
		for (const column of missing) {
			await changeRacing(session.query(addColumnSql(dialect, spec, column)), async () => (await lookup(session, spec))?.has(column.name) === true);
		}
	}
	types = await lookup(session, spec);
	if (!types) throw new Error(`Table '${describeTable(spec)}' could not be created`);
	return types;
}

/**
 * The temporary table batches are copied into: one per connection and column count, created by
 * the first batch (again after a reconnect or a rolled-back first batch), emptied by every commit.
 */
function stageTable(columnCount: number): string {
	// pg_temp: never a user's table of the same name.
	return `pg_temp.warehouse_stage_${columnCount}`;
}

export function stageTableSql(columnCount: number): string {
	const columns = Array.from({ length: columnCount }, (_, position) => `c${position + 1} text`);
	return `CREATE TEMP TABLE IF NOT EXISTS ${stageTable(columnCount)} (${columns.join(', ')}) ON COMMIT DELETE ROWS`;
}

export function stageCopySql(columnCount: number): string {
	return `COPY ${stageTable(columnCount)} FROM STDIN`;
}

/**
 * Moves the staged text rows into the table, each cast by PostgreSQL to the column's own type
 * (so a bad value is refused by the database, with its message), skipping or updating keys that
 * already exist.
 */
export function stagedInsertSql(spec: TableSpec, types: Map<string, string>, onConflict: ConflictPolicy): string {
	const names = spec.columns.map(({ name }) => name);
	const casts = names.map((name, position) => `CAST(s.c${position + 1} AS ${types.get(name) ?? 'text'})`);
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
		`SELECT ${casts.join(', ')} FROM ${stageTable(names.length)} AS s ` +
		`ON CONFLICT (${keys.join(', ')}) ${action}`
	);
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_COPY_ESCAPE = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;

/** One line per row in COPY's text format: tab-separated, \N for null, backslash escapes. */
export function copyText(rows: PreparedRow[]): string {
	// Joined arrays give one flat string: a rope built by += costs as much again to flatten when
	// the stream turns it into bytes. The cells and fields arrays serve every row of the chunk.
	const lines = new Array<string>(rows.length + 1);
	const cells: Cell[] = [];
	const fields: string[] = [];
	for (let index = 0; index < rows.length; index++) {
		rows[index].cellsInto(cells);
		for (let position = 0; position < cells.length; position++) {
			const cell = cells[position];
			if (cell === null) {
				fields[position] = '\\N';
				continue;
			}
			// Numbers and booleans never need escaping.
			if (typeof cell !== 'string') fields[position] = String(cell);
			else fields[position] = NEEDS_COPY_ESCAPE.test(cell) ? cell.replace(COPY_SPECIALS, (char) => COPY_ESCAPES[char]) : cell;
		}
		lines[index] = fields.join('\t');
	}
	lines[rows.length] = '';
	return lines.join('\n');
}

/** Rows per COPY chunk: about 64 KB of text for the presets, a few socket writes. */
const COPY_CHUNK_ROWS = 250;

/** COPY text of `rows` in chunks, each encoded when the stream asks for it. */
export function* copyChunks(rows: PreparedRow[], rowsPerChunk = COPY_CHUNK_ROWS): Generator<string> {
	for (let start = 0; start < rows.length; start += rowsPerChunk) yield copyText(rows.slice(start, start + rowsPerChunk));
}

/** A COPY into the table itself that met a key already stored (SQLSTATE unique_violation). */
function isUniqueViolation(error: unknown): boolean {
	return (error as { code?: unknown } | null)?.code === '23505';
}

/** COPY straight into the table: the fast path while no batch has met a stored key. */
export function directCopySql(spec: TableSpec): string {
	return `COPY ${quoteTableName(spec.table)} (${spec.columns.map(({ name }) => quoteIdentifier(name)).join(', ')}) FROM STDIN`;
}

export class PostgresWriter implements WarehouseWriter {
	private readonly stageSql: string;
	private readonly stageCopySql: string;
	/**
	 * New rows, the usual case, are copied straight into the table: half the database's work of
	 * staging them first. The first batch that meets a stored key (a replay, a redelivery, another
	 * execution's rows) is rolled back whole and this writer stages from then on.
	 */
	private copyDirectly = true;

	/** The SQL comes from directCopySql and stagedInsertSql once the table is known (see openPostgresWriters). */
	constructor(
		private readonly session: PgSession,
		columnCount: number,
		private readonly directSql: string,
		private readonly insertSql: string,
	) {
		this.stageSql = stageTableSql(columnCount);
		this.stageCopySql = stageCopySql(columnCount);
	}

	/** One transaction: COPY into the table, or COPY into a temporary table then INSERT ... ON CONFLICT. */
	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		if (this.copyDirectly) {
			// One statement is its own transaction: no BEGIN and COMMIT round trips.
			const direct = await settle(this.session.copyFrom(this.directSql, copyChunks(rows)));
			if (direct.ok) return [];
			if (!isUniqueViolation(direct.error)) throw direct.error;
			this.copyDirectly = false;
		}
		await this.session.transaction(async () => {
			await this.session.query(this.stageSql);
			await this.session.copyFrom(this.stageCopySql, copyChunks(rows));
			await this.session.query(this.insertSql);
		});
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

/** Checks the table once (through the first session), then gives one writer per session. */
export async function openPostgresWriters(
	sessions: PgSession[],
	spec: TableSpec,
	onConflict: ConflictPolicy,
	createIfMissing: boolean,
): Promise<PostgresWriter[]> {
	const types = await ensurePgTable(sessions[0], spec, 'postgres', createIfMissing);
	const directSql = directCopySql(spec);
	const insertSql = stagedInsertSql(spec, types, onConflict);
	return sessions.map((session) => new PostgresWriter(session, spec.columns.length, directSql, insertSql));
}

/** `SELECT 1` with the credential, for n8n's "Test" button. */
export async function testPostgresConnection(credentials: Record<string, unknown>): Promise<void> {
	const session = new PgSession({ ...clientConfig(postgresConnection(credentials)), connectionTimeoutMillis: 10_000 });
	try {
		await session.query('SELECT 1');
	} finally {
		await session.close();
	}
}
