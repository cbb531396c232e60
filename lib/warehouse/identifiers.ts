/**
 * Table and column names come from node parameters and item fields, so they are checked against
 * a conservative pattern every target accepts unquoted, and then quoted anyway: no name can carry
 * SQL, and mixed-case names keep their case.
 */
export type QuoteStyle = 'double' | 'backtick';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class InvalidIdentifierError extends Error {}

export function assertIdentifier(name: string, what: string): string {
	if (!IDENTIFIER.test(name)) {
		throw new InvalidIdentifierError(
			`${what} '${name}' is not a valid name: use letters, digits and underscores, starting with a letter or underscore, at most 63 characters`,
		);
	}
	return name;
}

export function quoteIdentifier(name: string, style: QuoteStyle = 'double'): string {
	assertIdentifier(name, 'Identifier');
	return style === 'backtick' ? `\`${name}\`` : `"${name}"`;
}

/** A table name, optionally qualified by its schema (`schema.table`). */
export interface TableName {
	schema?: string;
	table: string;
}

export function parseTableName(qualified: string): TableName {
	const parts = qualified.trim().split('.');
	if (parts.length > 2) throw new InvalidIdentifierError(`Table '${qualified}' has more than one '.': use schema.table`);
	const [schema, table] = parts.length === 2 ? parts : [undefined, parts[0]];
	if (schema !== undefined) assertIdentifier(schema, 'Schema');
	return { schema, table: assertIdentifier(table, 'Table') };
}

export function quoteTableName(name: TableName, style: QuoteStyle = 'double'): string {
	return name.schema === undefined
		? quoteIdentifier(name.table, style)
		: `${quoteIdentifier(name.schema, style)}.${quoteIdentifier(name.table, style)}`;
}
