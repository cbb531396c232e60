/**
 * Erasure in the warehouse tables this pack writes (`leads`, `nps_responses`) and the audit table
 * `privacy_erasures`, for every target. Each target is a SqlRunner: one statement with positional
 * values, rows back as objects. Rows are found in two steps: SQL picks candidates cheaply (an
 * address at one of the person's email domains, the E.164 phone, the identity key), then each
 * candidate is normalised here the way Normalize Lead does (Gmail dots, +tags) and only the rows of
 * the person are deleted, by their key.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

import { createTableSql, type DialectName } from '../warehouse/dialects';
import { HttpStatusError } from '../warehouse/http';
import { parseTableName, quoteIdentifier, quoteTableName, type QuoteStyle } from '../warehouse/identifiers';
import type { PgSession } from '../warehouse/postgres';
import { settle } from '../warehouse/settle';
import type { SnowflakeClient } from '../warehouse/snowflake';
import type { BigQueryClient } from '../warehouse/bigquery';
import { LEADS_TABLE, NPS_TABLE, type ColumnSpec, type TableSpec } from '../warehouse/tables';
import { mentionsSubject, type Subject } from './subject';

export type SqlValue = string | number | null;

export interface SqlRunner {
	dialect: DialectName;
	/** Runs one statement; `values` fill the placeholders `placeholder(1..n)` in order. */
	query(sql: string, values: SqlValue[]): Promise<Array<Record<string, unknown>>>;
}

const QUOTES: Record<DialectName, QuoteStyle> = { sqlite: 'double', postgres: 'double', redshift: 'double', snowflake: 'double', bigquery: 'backtick' };

/** The n-th (1-based) placeholder in the dialect's SQL. */
export function placeholder(dialect: DialectName, position: number): string {
	if (dialect === 'postgres' || dialect === 'redshift') return `$${position}`;
	if (dialect === 'bigquery') return `@p${position}`;
	return '?';
}

/** Where a person can appear in one of the pack's tables. */
export interface ErasableTable {
	/** The name the report uses. */
	name: string;
	table: string;
	key: string;
	emailColumns: string[];
	phoneColumns: string[];
	identityColumns: string[];
}

/** The `leads` table of Warehouse Insert's Leads preset (lib/warehouse/tables.ts). */
export function leadsErasable(table = LEADS_TABLE): ErasableTable {
	return { name: 'leads', table, key: 'lead_key', emailColumns: ['email', 'email_match_key'], phoneColumns: ['phone'], identityColumns: ['lead_key'] };
}

/** The `nps_responses` table of the NPS Responses preset; its response ids also name NPS Trigger's redelivery keys. */
export function npsErasable(table = NPS_TABLE): ErasableTable {
	return { name: 'nps_responses', table, key: 'response_id', emailColumns: ['email', 'identity_key'], phoneColumns: [], identityColumns: ['identity_key', 'customer_id'] };
}

/** A table or dataset that does not exist holds nobody. */
export function isMissingTable(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	if ((error as { code?: unknown } | null)?.code === '42P01') return true;
	if (error instanceof HttpStatusError && error.status === 404) return true;
	return /no such table|does not exist or not authorized|not found: (table|dataset)|relation .* does not exist/i.test(message);
}

/** The candidate query: rows that could hold one of the subject's identifiers. */
export function candidateStatement(dialect: DialectName, spec: ErasableTable, subject: Subject): { sql: string; values: SqlValue[] } | undefined {
	const quote = (name: string) => quoteIdentifier(name, QUOTES[dialect]);
	const values: SqlValue[] = [];
	const bind = (value: SqlValue) => {
		values.push(value);
		return placeholder(dialect, values.length);
	};
	const conditions: string[] = [];
	for (const column of spec.emailColumns) {
		for (const domain of subject.emailDomains) conditions.push(`LOWER(${quote(column)}) LIKE ${bind(`%@${domain.replace(/[\\%_]/g, '')}`)}`);
	}
	for (const column of spec.phoneColumns) for (const phone of subject.phones) conditions.push(`${quote(column)} = ${bind(phone)}`);
	for (const column of spec.identityColumns) for (const key of subject.identityKeys) conditions.push(`${quote(column)} = ${bind(key)}`);
	if (conditions.length === 0) return undefined;
	const columns = [...new Set([spec.key, ...spec.emailColumns, ...spec.phoneColumns, ...spec.identityColumns])].map(quote);
	const table = quoteTableName(parseTableName(spec.table), QUOTES[dialect]);
	return { sql: `SELECT ${columns.join(', ')} FROM ${table} WHERE ${conditions.join(' OR ')}`, values };
}

export function deleteStatement(dialect: DialectName, spec: ErasableTable, keys: string[]): { sql: string; values: SqlValue[] } {
	const table = quoteTableName(parseTableName(spec.table), QUOTES[dialect]);
	const list = keys.map((_, index) => placeholder(dialect, index + 1)).join(', ');
	return { sql: `DELETE FROM ${table} WHERE ${quoteIdentifier(spec.key, QUOTES[dialect])} IN (${list})`, values: keys };
}

/** Keys per DELETE: well within every target's parameter limit. */
const KEYS_PER_DELETE = 500;

/** Deletes the subject's rows of one table; returns their keys (empty when the table does not exist). */
export async function eraseFromTable(runner: SqlRunner, spec: ErasableTable, subject: Subject, defaultCountry?: string): Promise<string[]> {
	const candidates = candidateStatement(runner.dialect, spec, subject);
	if (candidates === undefined) return [];
	const found = await settle(runner.query(candidates.sql, candidates.values));
	if (!found.ok && isMissingTable(found.error)) return [];
	const rows = found.ok ? found.value : await Promise.reject(found.error);
	const keys = [...new Set(rows.filter((row) => mentionsSubject(row, subject, defaultCountry)).map((row) => String(row[spec.key])))];
	for (let start = 0; start < keys.length; start += KEYS_PER_DELETE) {
		const { sql, values } = deleteStatement(runner.dialect, spec, keys.slice(start, start + KEYS_PER_DELETE));
		await runner.query(sql, values);
	}
	return keys;
}

export const AUDIT_TABLE = 'privacy_erasures';

/** One honoured request, without personal data: the subject's keyed hash, when, and what was removed where. */
export interface AuditRecord {
	erasure_id: string;
	subject_hash: string;
	requested_at: string;
	/** Store name -> rows, records or keys removed. */
	removed: Record<string, number>;
	total_removed: number;
}

function auditColumn(name: string, type: ColumnSpec['type']): ColumnSpec {
	return { name, type, notNull: true, read: (record) => record[name] };
}

export function auditTableSpec(table = AUDIT_TABLE): TableSpec {
	const columns = [
		auditColumn('erasure_id', 'text'),
		auditColumn('subject_hash', 'text'),
		// ISO 8601 text: one value that every target stores as given, whatever its timestamp type.
		auditColumn('requested_at', 'text'),
		auditColumn('removed', 'text'),
		auditColumn('total_removed', 'integer'),
	];
	return { table: parseTableName(table), columns, key: ['erasure_id'], knownFields: new Set(columns.map(({ name }) => name)) };
}

/** Creates the audit table when missing and adds the record. */
export async function writeAudit(runner: SqlRunner, record: AuditRecord, table = AUDIT_TABLE): Promise<void> {
	const spec = auditTableSpec(table);
	await runner.query(createTableSql(runner.dialect, spec), []);
	const names = spec.columns.map(({ name }) => quoteIdentifier(name, QUOTES[runner.dialect]));
	const values: SqlValue[] = [record.erasure_id, record.subject_hash, record.requested_at, JSON.stringify(record.removed), record.total_removed];
	const list = values.map((_, index) => placeholder(runner.dialect, index + 1)).join(', ');
	await runner.query(`INSERT INTO ${quoteTableName(spec.table, QUOTES[runner.dialect])} (${names.join(', ')}) VALUES (${list})`, values);
}

export function sqliteRunner(db: DatabaseSync): SqlRunner {
	return {
		dialect: 'sqlite',
		query: async (sql, values) => {
			const statement = db.prepare(sql);
			if (/^\s*SELECT/i.test(sql)) return statement.all(...(values as SQLInputValue[])) as Array<Record<string, unknown>>;
			statement.run(...(values as SQLInputValue[]));
			return [];
		},
	};
}

export function pgRunner(session: PgSession, dialect: 'postgres' | 'redshift' = 'postgres'): SqlRunner {
	return { dialect, query: async (sql, values) => await session.query<Record<string, unknown>>(sql, values) };
}

/** Column names of a result, in order: Snowflake's resultSetMetaData.rowType. */
interface SnowflakeResult {
	data?: unknown[][];
	resultSetMetaData?: { rowType?: Array<{ name: string }> };
}

/**
 * Snowflake's SQL API: positional `?` bindings, each `{ type, value }` with the value as text
 * (https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests#using-bind-variables-in-a-statement).
 * Unquoted names come back upper-cased; the quoted ones this module uses keep their case.
 */
export function snowflakeRunner(client: Pick<SnowflakeClient, 'execute'>): SqlRunner {
	return {
		dialect: 'snowflake',
		query: async (sql, values) => {
			const bindings = Object.fromEntries(
				values.map((value, index) => [String(index + 1), { type: typeof value === 'number' ? 'FIXED' : 'TEXT', value: value === null ? null : String(value) }]),
			) as Record<string, { type: 'TEXT'; value: string | null }>;
			const result = (await client.execute(sql, bindings)) as SnowflakeResult;
			const names = result.resultSetMetaData?.rowType?.map(({ name }) => name) ?? [];
			return (result.data ?? []).map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]])));
		},
	};
}

interface BigQueryQueryResponse {
	jobComplete?: boolean;
	schema?: { fields?: Array<{ name: string }> };
	rows?: Array<{ f: Array<{ v: unknown }> }>;
}

/**
 * BigQuery's jobs.query (POST /projects/{project}/queries) with named parameters `@p1..` and the
 * credential's dataset as default dataset
 * (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query).
 */
export function bigQueryRunner(client: Pick<BigQueryClient, 'request' | 'projectPath' | 'connection'>): SqlRunner {
	return {
		dialect: 'bigquery',
		query: async (sql, values) => {
			const { projectId, dataset } = client.connection;
			const response = await client.request('POST', `${client.projectPath}/queries`, {
				query: sql,
				useLegacySql: false,
				parameterMode: 'NAMED',
				defaultDataset: { projectId, datasetId: dataset },
				timeoutMs: 60_000,
				queryParameters: values.map((value, index) => ({
					name: `p${index + 1}`,
					parameterType: { type: typeof value === 'number' ? 'INT64' : 'STRING' },
					parameterValue: { value: value === null ? null : String(value) },
				})),
			});
			const body = response.body as BigQueryQueryResponse;
			if (body.jobComplete === false) throw new Error('BigQuery: the query did not finish within 60 s; run the erasure again');
			const names = body.schema?.fields?.map(({ name }) => name) ?? [];
			return (body.rows ?? []).map((row) => Object.fromEntries(names.map((name, index) => [name, row.f[index]?.v ?? null])));
		},
	};
}
