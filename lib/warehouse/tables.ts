/**
 * What a warehouse table looks like to this pack: named columns of a few portable logical types,
 * a key the load is idempotent on, and how each column's value is read from an item. The two
 * presets follow the canonical NPS and lead records (lib/schema); custom tables are described by
 * the user's column mapping.
 */
import { pathReader } from '../itemData';
import { canonicalLeadSchema } from '../schema/lead';
import { canonicalNpsResponseSchema } from '../schema/nps';
import { assertIdentifier, parseTableName, type TableName } from './identifiers';

export type LogicalType = 'text' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'json';

export const LOGICAL_TYPES: readonly LogicalType[] = ['text', 'integer', 'number', 'boolean', 'timestamp', 'json'];

export interface ColumnSpec {
	name: string;
	type: LogicalType;
	notNull?: boolean;
	/** Inclusive range the database enforces where the dialect has CHECK constraints. */
	range?: { min: number; max: number };
	read(record: Record<string, unknown>): unknown;
}

export interface TableSpec {
	table: TableName;
	columns: ColumnSpec[];
	/** Columns the load is idempotent on (the primary key when the pack creates the table). */
	key: string[];
	/** Top-level item fields some column reads; any other field is "unknown". */
	knownFields: ReadonlySet<string>;
	/** JSON column that receives unknown fields, when the user keeps them. */
	extraColumn?: string;
}

/** Name of the JSON column unknown fields go to when the user keeps them. */
export const EXTRA_COLUMN = 'extra';

function field(name: string): (record: Record<string, unknown>) => unknown {
	return (record) => record[name];
}

function column(name: string, type: LogicalType, options: Partial<ColumnSpec> = {}): ColumnSpec {
	return { name, type, read: field(name), ...options };
}

function extraColumn(): ColumnSpec {
	// Filled by row preparation from the fields no other column reads.
	return { name: EXTRA_COLUMN, type: 'json', read: () => null };
}

function withExtraColumn(spec: Omit<TableSpec, 'extraColumn'>, keepUnknown: boolean): TableSpec {
	if (!keepUnknown) return spec;
	if (spec.columns.some(({ name }) => name === EXTRA_COLUMN)) {
		throw new InvalidTableSpecError(`Column '${EXTRA_COLUMN}' is reserved for unknown fields`);
	}
	return { ...spec, columns: [...spec.columns, extraColumn()], extraColumn: EXTRA_COLUMN };
}

export interface PresetOptions {
	table?: string;
	keepUnknownFields: boolean;
}

/** A preset's spec: its fields are those of the canonical record (`shape` of its zod schema). */
function presetTable(
	options: PresetOptions,
	defaultTable: string,
	columns: ColumnSpec[],
	key: string,
	shape: Record<string, unknown>,
): TableSpec {
	// The pack's own annotations (Dedupe's `_dedupe`, the Dead Letter Queue's `_dead_letter`) are not the
	// record: never an unknown field, never in `extra` (a custom table can still map them).
	const knownFields = new Set([...Object.keys(shape), ...PACK_ANNOTATIONS]);
	const spec = { table: parseTableName(options.table || defaultTable), columns, key: [key], knownFields };
	return withExtraColumn(spec, options.keepUnknownFields);
}

/** Fields this pack's nodes add to items about the item, not of it. */
export const PACK_ANNOTATIONS = ['_dedupe', '_dead_letter'];

export const NPS_TABLE = 'nps_responses';
export const LEADS_TABLE = 'leads';

/**
 * `nps_responses`, keyed on response_id. Each custom dimension (a key of `properties`, such as
 * plan or region) becomes a text column of its own so analysts can group by it; all properties
 * are also kept together in the `properties` JSON column.
 */
export function npsResponsesTable(options: PresetOptions & { dimensions?: string[] }): TableSpec {
	const dimensions = (options.dimensions ?? []).map((name) => assertIdentifier(name, 'Dimension column'));
	const columns: ColumnSpec[] = [
		column('response_id', 'text', { notNull: true }),
		column('provider', 'text'),
		column('survey_id', 'text'),
		column('identity_key', 'text'),
		column('identity_type', 'text'),
		column('email', 'text'),
		column('customer_id', 'text'),
		column('survey_date', 'timestamp', { notNull: true }),
		column('nps_score', 'integer', { notNull: true, range: { min: 0, max: 10 } }),
		column('nps_segment', 'text', { notNull: true }),
		column('themes', 'json'),
		column('raw_text', 'text', { read: field('comment') }),
		column('properties', 'json'),
		column('received_at', 'timestamp'),
		column('is_update', 'boolean'),
		...dimensions.map((name) => column(name, 'text', { read: pathReader(`properties.${name}`) })),
	];
	const names = columns.map(({ name }) => name);
	const clash = names.find((name, index) => names.indexOf(name) !== index);
	if (clash !== undefined) throw new InvalidTableSpecError(`Dimension column '${clash}' clashes with another column`);
	// `raw` is the provider's original payload: known, deliberately not stored.
	return presetTable(options, NPS_TABLE, columns, 'response_id', canonicalNpsResponseSchema.shape);
}

/**
 * `leads`, keyed on `lead_key`: the matching email (aliases removed) or, without one, the E.164
 * phone, so the same person sent twice is one row.
 */
export function leadsTable(options: PresetOptions): TableSpec {
	const text = (name: string) => column(name, 'text');
	const columns: ColumnSpec[] = [
		column('lead_key', 'text', {
			notNull: true,
			read: (record) => record.email_match_key ?? record.email ?? record.phone ?? null,
		}),
		...['email', 'email_domain'].map(text),
		column('email_is_free', 'boolean'),
		...['email_match_key', 'phone', 'phone_country', 'phone_type'].map(text),
		column('phone_valid', 'boolean'),
		...['phone_extension', 'first_name', 'last_name', 'full_name', 'company', 'company_match_key', 'job_title'].map(text),
		...['website', 'website_domain', 'country', 'state', 'city', 'postal_code', 'industry'].map(text),
		column('attribution', 'json'),
		column('consent', 'json'),
		column('warnings', 'json'),
		column('received_at', 'timestamp'),
	];
	return presetTable(options, LEADS_TABLE, columns, 'lead_key', canonicalLeadSchema.shape);
}

export interface ColumnMapping {
	column: string;
	type: LogicalType;
	/** Dot path of the item field the column reads; the column's name when empty. */
	field?: string;
}

export class InvalidTableSpecError extends Error {}

export function customTable(options: PresetOptions & { columns: ColumnMapping[]; key: string[] }): TableSpec {
	if (options.columns.length === 0) throw new InvalidTableSpecError('Add at least one column to the column mapping');
	const columns = options.columns.map(({ column: name, type, field: path }) => {
		assertIdentifier(name, 'Column');
		if (!LOGICAL_TYPES.includes(type)) throw new InvalidTableSpecError(`Column '${name}' has unknown type '${type}'`);
		const source = path?.trim() || name;
		return column(name, type, { read: pathReader(source) });
	});
	const names = columns.map(({ name }) => name);
	const duplicate = names.find((name, index) => names.indexOf(name) !== index);
	if (duplicate !== undefined) throw new InvalidTableSpecError(`Column '${duplicate}' is mapped twice`);
	if (options.key.length === 0) throw new InvalidTableSpecError('Name the key column(s) the load is idempotent on');
	for (const key of options.key) {
		if (!names.includes(key)) throw new InvalidTableSpecError(`Key column '${key}' is not in the column mapping`);
	}
	for (const spec of columns) if (options.key.includes(spec.name)) spec.notNull = true;
	return withExtraColumn(
		{
			table: parseTableName(options.table ?? ''),
			columns,
			key: options.key,
			knownFields: new Set(options.columns.map(({ column: name, field: path }) => (path?.trim() || name).split('.')[0])),
		},
		options.keepUnknownFields,
	);
}
