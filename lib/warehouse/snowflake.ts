/**
 * Snowflake through its SQL API v2 (POST /api/v2/statements) with key-pair JWT authentication.
 * SQL API requests share no session, so a temporary table would not outlive the request that
 * made it: each batch is instead bound as one JSON array and merged by key in a single MERGE
 * statement (atomic, and a no-op when replayed).
 */
import type { KeyObject } from 'node:crypto';

import { addColumnSql, createTableSql, missingColumns } from './dialects';
import { HttpStatusError, isTransientHttpError, throwIfTransient, type HttpSend } from './http';
import { quoteIdentifier, quoteTableName } from './identifiers';
import type { Rejection, WarehouseWriter } from './load';
import { privateKeyFrom, publicKeyFingerprint, signJwt } from './jwt';
import type { ConflictPolicy, PreparedRow } from './rows';
import type { LogicalType, TableSpec } from './tables';

export interface SnowflakeConnection {
	/** Account identifier, e.g. `myorg-myaccount` (or a legacy locator such as `xy12345.us-east-1`). */
	account: string;
	user: string;
	privateKey: string;
	privateKeyPassphrase?: string;
	warehouse?: string;
	database: string;
	schema: string;
	role?: string;
	/** Defaults to https://<account>.snowflakecomputing.com (set for PrivateLink or tests). */
	baseUrl?: string;
}

/** Snowflake folds unquoted names to upper case: tables made here use upper case so plain SQL finds them. */
export function snowflakeSpec(spec: TableSpec): TableSpec {
	const upper = (name: string) => name.toUpperCase();
	return {
		...spec,
		table: { schema: spec.table.schema && upper(spec.table.schema), table: upper(spec.table.table) },
		columns: spec.columns.map((column) => ({ ...column, name: upper(column.name) })),
		key: spec.key.map(upper),
		extraColumn: spec.extraColumn && upper(spec.extraColumn),
	};
}

/** Account part of the JWT claims: upper case, without a legacy locator's region suffix. */
function jwtAccount(account: string): string {
	return account.split('.')[0].toUpperCase();
}

export function snowflakeJwt(connection: SnowflakeConnection, key: KeyObject, now = Date.now()): string {
	const qualifiedUser = `${jwtAccount(connection.account)}.${connection.user.toUpperCase()}`;
	const issuedAt = Math.floor(now / 1000);
	return signJwt({ iss: `${qualifiedUser}.${publicKeyFingerprint(key)}`, sub: qualifiedUser, iat: issuedAt, exp: issuedAt + 3600 }, key);
}

const CASTS: Record<LogicalType, (value: string) => string> = {
	text: (value) => `${value}::VARCHAR`,
	integer: (value) => `${value}::NUMBER(38,0)`,
	number: (value) => `${value}::FLOAT`,
	boolean: (value) => `${value}::BOOLEAN`,
	timestamp: (value) => `${value}::TIMESTAMP_TZ`,
	json: (value) => `PARSE_JSON(${value}::VARCHAR)`,
};

/**
 * MERGE from the batch bound as a JSON array of rows (each an array of cells in column order).
 * `spec` is already in Snowflake's case (snowflakeSpec).
 */
export function snowflakeMergeSql(spec: TableSpec, onConflict: ConflictPolicy): string {
	const columns = spec.columns.map(({ name }) => quoteIdentifier(name));
	const source = spec.columns.map(({ type }, position) => `${CASTS[type](`r.value[${position}]`)} AS ${columns[position]}`);
	const matches = spec.key.map((name) => `target.${quoteIdentifier(name)} = s.${quoteIdentifier(name)}`).join(' AND ');
	const updatable = spec.columns.filter(({ name }) => !spec.key.includes(name)).map(({ name }) => quoteIdentifier(name));
	const update =
		onConflict === 'update' && updatable.length > 0
			? ` WHEN MATCHED THEN UPDATE SET ${updatable.map((name) => `target.${name} = s.${name}`).join(', ')}`
			: '';
	return (
		`MERGE INTO ${quoteTableName(spec.table)} AS target ` +
		`USING (SELECT ${source.join(', ')} FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS r) AS s ON ${matches}` +
		update +
		` WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${columns.map((name) => `s.${name}`).join(', ')})`
	);
}

export interface StatementResult {
	statementHandle: string;
	data?: unknown[][];
}

interface SnowflakeErrorBody {
	message?: string;
	sqlState?: string;
	code?: string;
	statementHandle?: string;
}

const POLL_INTERVAL_MS = 500;

export class SnowflakeClient {
	private readonly key: KeyObject;
	private readonly baseUrl: string;

	constructor(
		private readonly connection: SnowflakeConnection,
		private readonly send: HttpSend,
		private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
	) {
		this.key = privateKeyFrom(connection.privateKey, connection.privateKeyPassphrase);
		this.baseUrl = (connection.baseUrl || `https://${connection.account}.snowflakecomputing.com`).replace(/\/+$/, '');
	}

	private headers(): Record<string, string> {
		return {
			Authorization: `Bearer ${snowflakeJwt(this.connection, this.key)}`,
			'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT',
			'Content-Type': 'application/json',
			Accept: 'application/json',
			'User-Agent': 'n8n-nodes-revops-warehouse/1.0',
		};
	}

	/** Runs one statement; waits for it when Snowflake answers 202 (still running). */
	async execute(statement: string, bindings: Record<string, { type: 'TEXT'; value: string | null }> = {}): Promise<StatementResult> {
		const { warehouse, database, schema, role } = this.connection;
		let response = await this.send({
			method: 'POST',
			url: `${this.baseUrl}/api/v2/statements?nullable=true`,
			headers: this.headers(),
			body: { statement, timeout: 120, database, schema, warehouse, role, bindings },
		});
		while (response.status === 202) {
			const { statementHandle } = response.body as { statementHandle: string };
			await this.sleep(POLL_INTERVAL_MS);
			response = await this.send({
				method: 'GET',
				url: `${this.baseUrl}/api/v2/statements/${encodeURIComponent(statementHandle)}`,
				headers: this.headers(),
			});
		}
		throwIfTransient(response, 'Snowflake');
		if (response.status !== 200) {
			const body = (response.body ?? {}) as SnowflakeErrorBody;
			throw new HttpStatusError(`Snowflake: ${body.message ?? `HTTP ${response.status}`}`, response.status, body.sqlState);
		}
		return response.body as StatementResult;
	}
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): some row of the batch was refused. */
function isRefusedData(error: unknown): boolean {
	return error instanceof HttpStatusError && error.status === 422 && /^2[23]/.test(error.code ?? '');
}

export class SnowflakeWriter implements WarehouseWriter {
	private readonly spec: TableSpec;
	private readonly mergeSql: string;

	constructor(
		private readonly client: SnowflakeClient,
		spec: TableSpec,
		onConflict: ConflictPolicy,
	) {
		this.spec = snowflakeSpec(spec);
		this.mergeSql = snowflakeMergeSql(this.spec, onConflict);
	}

	/** Checks the table's columns once; creates the table or adds columns when allowed. */
	async ensureTable(createIfMissing: boolean): Promise<void> {
		const { table } = this.spec;
		const result = await this.client.execute(
			'SELECT column_name FROM information_schema.columns WHERE table_schema = COALESCE(?, CURRENT_SCHEMA()) AND table_name = ?',
			{ '1': { type: 'TEXT', value: table.schema ?? null }, '2': { type: 'TEXT', value: table.table } },
		);
		const existing = (result.data ?? []).map((row) => String(row[0]));
		const name = table.schema ? `${table.schema}.${table.table}` : table.table;
		if (existing.length === 0) {
			if (!createIfMissing) throw new Error(`Table '${name}' does not exist (turn on "Create Table If Missing")`);
			await this.client.execute(createTableSql('snowflake', this.spec));
			return;
		}
		const missing = missingColumns(this.spec, existing);
		if (missing.length > 0 && !createIfMissing) {
			throw new Error(`Table '${name}' has no column ${missing.map((column) => `'${column.name}'`).join(', ')}`);
		}
		for (const column of missing) await this.client.execute(addColumnSql('snowflake', this.spec, column));
	}

	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		await this.client.execute(this.mergeSql, { '1': { type: 'TEXT', value: JSON.stringify(rows.map(({ cells }) => cells)) } });
		return [];
	}

	isTransient(error: unknown): boolean {
		return isTransientHttpError(error);
	}

	isRowRejection(error: unknown): boolean {
		return isRefusedData(error);
	}
}
