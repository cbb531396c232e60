import { readPath } from '../itemData';
import { foldKey } from '../lead/text';
import { textOf } from '../schema/issue';
import type { Comparator, ComparatorContext } from './comparators';
import { COMPARATORS } from './comparators';
import type { Comparison, FieldSource } from './rules';
import type { DedupeRecord } from './types';

/**
 * Reads a FieldSource from records whose keys are spelled in many ways ("First Name", "E-mail"):
 * the keys of a batch are looked at once, and each source reads the keys that fold to one of its
 * field names, in the source's order.
 */
export class FieldReader {
	private readonly keys = new Set<string>();

	constructor(records: DedupeRecord[]) {
		for (const record of records) for (const key in record) this.keys.add(key);
	}

	reader(source: FieldSource): (record: DedupeRecord) => unknown {
		const wanted = source.fields.map(foldKey);
		const spellings = new Map<string, string[]>();
		for (const key of this.keys) {
			const folded = foldKey(key);
			if (!wanted.includes(folded) || source.fields.includes(key)) continue;
			const list = spellings.get(folded);
			if (list === undefined) spellings.set(folded, [key]);
			else list.push(key);
		}
		// Exact names first, then other spellings of the same name: "email" before "E-mail".
		const paths = source.fields.flatMap((field, index) => [field, ...(spellings.get(wanted[index]) ?? [])]);
		const uniquePaths = [...new Set(paths)];
		const read = (record: DedupeRecord, path: string): unknown => (path.includes('.') && !(path in record) ? readPath(record, path) : record[path]);
		if (!source.join) {
			return (record) => {
				for (const path of uniquePaths) {
					const value = read(record, path);
					if (!isBlank(value)) return value;
				}
				return undefined;
			};
		}
		return (record) => {
			const found: unknown[] = [];
			for (const path of uniquePaths) {
				const value = read(record, path);
				if (!isBlank(value)) found.push(value);
			}
			return found.length === 0 || found.length < (source.minParts ?? 1) ? undefined : found.map(textOf).join(' ');
		};
	}
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * A record's own country code (phone_country, else country, as Normalize Lead writes them) places its
 * phone numbers written without a country code; the node's Default Country only serves records without
 * one. So a lead flow sets its default country once, in Normalize Lead.
 */
function phoneContext(record: DedupeRecord, context: ComparatorContext): ComparatorContext {
	const own = [record.phone_country, record.country].find((code) => typeof code === 'string' && COUNTRY_CODE.test(code));
	return own === undefined ? context : { ...context, defaultCountry: own as string };
}

/**
 * The compared form of each comparison's field in each record (null when missing), computed once
 * per distinct field and type however many rules use it.
 */
export function prepareValues(records: DedupeRecord[], comparisons: Comparison[], context: ComparatorContext): unknown[][] {
	const reader = new FieldReader(records);
	const cache = new Map<string, unknown[]>();
	return comparisons.map((comparison) => {
		const comparator = COMPARATORS[comparison.type] as Comparator<unknown>;
		const cacheKey = `${comparison.type}|${comparison.source.join ? `+${comparison.source.minParts ?? 1}` : ''}${comparison.source.fields.join(',')}`;
		let values = cache.get(cacheKey);
		if (values === undefined) {
			const read = reader.reader(comparison.source);
			const contextOf = comparison.type === 'phone' ? (record: DedupeRecord) => phoneContext(record, context) : () => context;
			values = records.map((record) => {
				const raw = read(record);
				return raw === undefined ? null : comparator.prepare(raw, contextOf(record));
			});
			cache.set(cacheKey, values);
		}
		return values;
	});
}

