/**
 * Reading a failed item the way the dead-letter store keeps it: the reason (the CRM's or the
 * database's own message, found on the item), the item as received, and the key that makes the
 * same item failing twice at the same step one entry.
 */
import { createHash } from 'node:crypto';

import { isPlainObject, readPath, recordOfItem, type JsonObject } from '../itemData';

/** Where n8n and this pack put what went wrong: n8n's error output (`error`, HTTP Request's `details`), invalid items (`errors`). */
export const DEFAULT_REASON_FIELDS = ['error', 'errors', 'details'];
/** The annotation this store adds to items; never part of what is stored or keyed. */
export const META_FIELD = '_dead_letter';
export const DEFAULT_MAX_ITEM_BYTES = 1024 * 1024;
/** Longer messages (an HTML error page) are cut: the start says what went wrong. */
const MAX_REASON_LENGTH = 4000;
export const HASH_KEY_SOURCE = 'hash:sha256';

export interface FailureOptions {
	/** Field paths the reason is read from, in order; all that are present are kept. */
	reasonFields: string[];
	/** Path of the item as received inside the failed item (Warehouse Insert's Failed output: `item`); empty: the failed item itself. */
	itemField?: string;
	/** Path (in the record) of the value that identifies the item, e.g. `email_match_key`; empty: a hash of the record. */
	keyField?: string;
	maxItemBytes: number;
}

export interface ReadFailure {
	/** The item as it will be replayed, without the reason fields and this store's annotation. */
	item: unknown;
	itemJson: string;
	reason: string;
	key: string;
	/** `field:<path>` or `hash:sha256`: how `key` was made. */
	keySource: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text a database stores as given: PostgreSQL refuses NUL and both drivers would turn a lone
 * surrogate into U+FFFD. Such text is kept as its JSON string literal instead, which is exact.
 */
export function storableText(text: string): string {
	return text.includes('\u0000') || LONE_SURROGATE.test(text) ? JSON.stringify(text) : text;
}

function truncated(text: string): string {
	if (text.length <= MAX_REASON_LENGTH) return text;
	let end = MAX_REASON_LENGTH;
	// Never cut a surrogate pair in two.
	if (/[\uD800-\uDBFF]/.test(text[end - 1])) end--;
	return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** One line for what an `error`/`errors`/`details` value says. */
export function describeReason(value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string') return value.trim() || undefined;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) {
		const parts = value.map(describeReason).filter((part): part is string => part !== undefined);
		return parts.length > 0 ? parts.join('; ') : undefined;
	}
	if (!isPlainObject(value)) return undefined;
	const message = describeReason(value.message);
	const description = describeReason(value.description);
	// n8n's errors: `message` is n8n's summary, `description` often the vendor's own words.
	let text = message && description && !message.includes(description) ? `${message}: ${description}` : (message ?? description);
	// This pack's invalid items: { field, code, message }.
	if (text && typeof value.field === 'string' && value.field !== '') text = `${value.field}: ${text}`;
	if (text) return text;
	try {
		return JSON.stringify(value);
	} catch {
		return undefined;
	}
}

/** The reasons found at `fields`, distinct, in order; undefined when none is present. */
export function reasonOf(record: JsonObject, fields: string[]): string | undefined {
	const reasons = new Set<string>();
	for (const field of fields) {
		const reason = describeReason(readPath(record, field));
		if (reason !== undefined) reasons.add(reason);
	}
	return reasons.size > 0 ? truncated([...reasons].join(' | ')) : undefined;
}

/** The failed item without the fields the reason was read from and without this store's annotation. */
function itemWithoutReason(json: JsonObject, reasonFields: string[]): JsonObject {
	const dropped = new Set([META_FIELD, ...reasonFields.map((field) => field.split('.')[0])]);
	// fromEntries defines properties: an own `__proto__` key stays a key, never a prototype.
	return Object.fromEntries(Object.entries(json).filter(([key]) => !dropped.has(key)));
}

/** JSON with object keys sorted at every level: equal records give equal text, whatever their key order. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	const toJSON = (value as { toJSON?: unknown }).toJSON;
	if (typeof toJSON === 'function') return canonicalJson(toJSON.call(value));
	if (Array.isArray(value)) return `[${value.map((element) => (element === undefined || typeof element === 'function' ? 'null' : canonicalJson(element))).join(',')}]`;
	const entries = Object.entries(value)
		.filter(([, element]) => element !== undefined && typeof element !== 'function')
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([key, element]) => `${JSON.stringify(key)}:${canonicalJson(element)}`).join(',')}}`;
}

function keyOf(item: unknown, keyField: string | undefined): { key: string; keySource: string } {
	const record = isPlainObject(item) ? recordOfItem(item) : item;
	if (keyField && isPlainObject(record)) {
		const value = readPath(record, keyField);
		if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number' || typeof value === 'boolean') {
			return { key: String(value), keySource: `field:${keyField}` };
		}
	}
	return { key: createHash('sha256').update(canonicalJson(record)).digest('hex'), keySource: HASH_KEY_SOURCE };
}

function size(bytes: number): string {
	return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * What the store keeps of one failed item, or why it cannot keep it (the message names the field
 * and the problem, for the item's Not Stored output).
 */
export function readFailure(json: JsonObject, options: FailureOptions): { ok: true; failure: ReadFailure } | { ok: false; error: string } {
	const reason = reasonOf(json, options.reasonFields) ?? `No reason on the item (looked at ${options.reasonFields.join(', ')})`;
	let item: unknown;
	if (options.itemField) {
		item = readPath(json, options.itemField);
		if (item === undefined) return { ok: false, error: `Item Field '${options.itemField}' is missing on the item` };
	} else {
		item = itemWithoutReason(json, options.reasonFields);
	}
	let itemJson: string;
	let key: { key: string; keySource: string };
	try {
		itemJson = JSON.stringify(item);
		key = keyOf(item, options.keyField);
	} catch (error) {
		// A stack overflow on deep nesting, or a value JSON has no form for (BigInt).
		const problem = error instanceof RangeError ? 'nests too deeply' : `cannot be written as JSON (${(error as Error).message})`;
		return { ok: false, error: `The item ${problem}: not stored` };
	}
	const bytes = Buffer.byteLength(itemJson);
	if (bytes > options.maxItemBytes) {
		return {
			ok: false,
			error: `The item is ${size(bytes)}, more than the ${size(options.maxItemBytes)} the dead-letter store accepts (option Max Item Size): not stored`,
		};
	}
	return { ok: true, failure: { item, itemJson, reason, ...key } };
}
