/**
 * Column types and table DDL per target. The logical types of tables.ts map to each warehouse's
 * natural type (JSON stays queryable: jsonb, SUPER, VARIANT, JSON), and the constraints the
 * database can enforce are declared so it is the database that rejects a bad row.
 */
import { quoteIdentifier, quoteTableName, type QuoteStyle } from './identifiers';
import type { ColumnSpec, LogicalType, TableSpec } from './tables';

export type DialectName = 'sqlite' | 'postgres' | 'redshift' | 'snowflake' | 'bigquery';

interface Dialect {
	types: Record<LogicalType, string>;
	quote: QuoteStyle;
	/** CHECK constraints (Redshift, Snowflake and BigQuery parse or enforce none). */
	checks: boolean;
	/** Whether a PRIMARY KEY is declared (enforced by SQLite and PostgreSQL; informational elsewhere). */
	primaryKey: boolean;
	tableSuffix: string;
}

const DIALECTS: Record<DialectName, Dialect> = {
	sqlite: {
		types: { text: 'TEXT', integer: 'INTEGER', number: 'REAL', boolean: 'INTEGER', timestamp: 'TEXT', json: 'TEXT' },
		quote: 'double',
		checks: true,
		primaryKey: true,
		// STRICT: SQLite rejects a value of the wrong type instead of storing it anyway.
		tableSuffix: ' STRICT',
	},
	postgres: {
		types: {
			text: 'text',
			integer: 'integer',
			number: 'double precision',
			boolean: 'boolean',
			timestamp: 'timestamptz',
			json: 'jsonb',
		},
		quote: 'double',
		checks: true,
		primaryKey: true,
		tableSuffix: '',
	},
	redshift: {
		types: {
			text: 'VARCHAR(65535)',
			integer: 'INTEGER',
			number: 'DOUBLE PRECISION',
			boolean: 'BOOLEAN',
			timestamp: 'TIMESTAMPTZ',
			json: 'SUPER',
		},
		quote: 'double',
		checks: false,
		primaryKey: true,
		tableSuffix: '',
	},
	snowflake: {
		types: {
			text: 'VARCHAR',
			integer: 'NUMBER(38,0)',
			number: 'FLOAT',
			boolean: 'BOOLEAN',
			timestamp: 'TIMESTAMP_TZ',
			json: 'VARIANT',
		},
		quote: 'double',
		checks: false,
		primaryKey: true,
		tableSuffix: '',
	},
	bigquery: {
		types: { text: 'STRING', integer: 'INT64', number: 'FLOAT64', boolean: 'BOOL', timestamp: 'TIMESTAMP', json: 'JSON' },
		quote: 'backtick',
		checks: false,
		primaryKey: false,
		tableSuffix: '',
	},
};

export function columnType(dialect: DialectName, type: LogicalType): string {
	return DIALECTS[dialect].types[type];
}

/** SQLite has no boolean, timestamp or JSON type: CHECKs keep those columns honest. */
function sqliteTypeCheck(quoted: string, type: LogicalType): string | undefined {
	if (type === 'boolean') return `${quoted} IN (0, 1)`;
	// julianday(NULL) is NULL: the check lets NULL through itself, and NOT NULL (when set) refuses it.
	if (type === 'timestamp') return `(${quoted} IS NULL OR julianday(${quoted}) IS NOT NULL)`;
	if (type === 'json') return `json_valid(${quoted})`;
	return undefined;
}

export function columnDefinition(dialect: DialectName, column: ColumnSpec): string {
	const { quote, checks } = DIALECTS[dialect];
	const quoted = quoteIdentifier(column.name, quote);
	const parts = [quoted, columnType(dialect, column.type)];
	if (column.notNull) parts.push('NOT NULL');
	if (checks) {
		const conditions: string[] = [];
		if (column.range) conditions.push(`${quoted} BETWEEN ${Number(column.range.min)} AND ${Number(column.range.max)}`);
		const typeCheck = dialect === 'sqlite' ? sqliteTypeCheck(quoted, column.type) : undefined;
		if (typeCheck) conditions.push(typeCheck);
		if (conditions.length > 0) parts.push(`CHECK (${conditions.join(' AND ')})`);
	}
	return parts.join(' ');
}

export function createTableSql(dialect: DialectName, spec: TableSpec): string {
	const { quote, primaryKey, tableSuffix } = DIALECTS[dialect];
	const definitions = spec.columns.map((column) => `\t${columnDefinition(dialect, column)}`);
	if (primaryKey) definitions.push(`\tPRIMARY KEY (${spec.key.map((name) => quoteIdentifier(name, quote)).join(', ')})`);
	return `CREATE TABLE IF NOT EXISTS ${quoteTableName(spec.table, quote)} (\n${definitions.join(',\n')}\n)${tableSuffix}`;
}

/** Adds a column an existing table lacks. Constraints are left out: existing rows could violate them. */
export function addColumnSql(dialect: DialectName, spec: TableSpec, column: ColumnSpec): string {
	const { quote } = DIALECTS[dialect];
	return `ALTER TABLE ${quoteTableName(spec.table, quote)} ADD COLUMN ${quoteIdentifier(column.name, quote)} ${columnType(dialect, column.type)}`;
}

/** The spec's columns the table lacks, by name (as the database reports them). */
export function missingColumns(spec: TableSpec, existing: Iterable<string>): ColumnSpec[] {
	const present = new Set(existing);
	return spec.columns.filter((column) => !present.has(column.name));
}
