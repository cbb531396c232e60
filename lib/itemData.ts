/**
 * Where the record is inside an incoming n8n item's JSON. Plain functions on objects, shared by the
 * nodes that read leads, so every node treats a Webhook node's output the same way.
 */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a Webhook node emits: the record is the body, beside headers/params/query. */
export function looksLikeWebhookItem(json: JsonObject): json is JsonObject & { body: JsonObject } {
	return isPlainObject(json.body) && isPlainObject(json.headers);
}

/** The request body for a Webhook node's item, otherwise the item itself. */
export function recordOfItem(json: JsonObject): JsonObject {
	return looksLikeWebhookItem(json) ? json.body : json;
}

/** The value at a path of keys, undefined when a key is missing, inherited or not inside an object. */
export function valueAt(record: object, keys: readonly string[]): unknown {
	let value: unknown = record;
	for (const key of keys) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
		value = (value as JsonObject)[key];
	}
	return value;
}

/**
 * Where a node finds the record in each item, the same choice on every node of the pack: the request body
 * of a Webhook node's item or else the item (auto), the whole item, or the object at a field path.
 */
export type RecordLocation = { from: 'auto' } | { from: 'item' } | { from: 'field'; field: string };

/** The record at `location` in an item, or the field that should hold it and what is wrong with it. */
export function recordAt(json: JsonObject, location: RecordLocation): { record: JsonObject } | { problem: { field: string; message: string } } {
	if (location.from === 'auto') return { record: recordOfItem(json) };
	if (location.from === 'item') return { record: json };
	const value = readPath(json, location.field);
	if (isPlainObject(value)) return { record: value };
	const message = `field '${location.field}' ${value === undefined ? 'is missing' : 'does not hold an object'}`;
	return { problem: { field: location.field, message } };
}

/** Value at a dotted path ("data.lead", "attribution.original.source"), undefined when any step is missing. */
export function readPath(record: object, path: string): unknown {
	return valueAt(record, path.split('.'));
}

/** readPath for one path read from many records: the path is split once, not per record. */
export function pathReader(path: string): (record: object) => unknown {
	const keys = path.split('.');
	return (record) => valueAt(record, keys);
}

/**
 * `target[key] = value` as an own, enumerable data property, whatever the key: plain assignment of
 * a key taken from data ("__proto__") would call Object.prototype's setter and replace the
 * object's prototype instead of adding a field.
 */
export function setField(target: JsonObject, key: string, value: unknown): void {
	if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
	else target[key] = value;
}
