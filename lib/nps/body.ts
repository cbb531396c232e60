import type { FieldIssue } from '../schema/issue';
import { issue } from '../schema/issue';
import { mediaType, type NpsDelivery } from './delivery';
import { isRecord } from './payload';

export type ParsedBody =
	| { ok: true; body: Record<string, unknown> }
	| { ok: false; status: 400 | 415; problem: FieldIssue };

/** The request body as a whole, in problem paths. */
const BODY_FIELD = '(body)';
const MAX_FORM_KEYS = 1000;
const MAX_FORM_DEPTH = 8;
/** Keys that would reach Object.prototype through bracket nesting. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isJsonMediaType(type: string): boolean {
	return type === 'application/json' || type === 'text/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function parseJson(text: string): ParsedBody {
	let body: unknown;
	try {
		body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (error) {
		return { ok: false, status: 400, problem: issue(BODY_FIELD, 'invalid_json', `${BODY_FIELD}: is not valid JSON (${(error as Error).message})`) };
	}
	if (!isRecord(body)) return { ok: false, status: 400, problem: issue(BODY_FIELD, 'not_an_object', `${BODY_FIELD}: must be a JSON object`) };
	return { ok: true, body };
}

/** `a[b][c]` -> `['a', 'b', 'c']`, `a[]` -> `['a', '']`; plain keys stay whole. */
function formKeyPath(key: string): string[] {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!match) return [key];
	return [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1])];
}

/**
 * Parses `application/x-www-form-urlencoded` with the bracket nesting Rails-style senders use
 * (`response[end_user_properties][plan]=Pro`, `tags[]=a&tags[]=b`), into plain objects.
 */
function parseForm(text: string): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	let count = 0;
	for (const [key, value] of new URLSearchParams(text)) {
		if (++count > MAX_FORM_KEYS) break;
		const path = formKeyPath(key);
		if (path.length > MAX_FORM_DEPTH || path.some((part) => UNSAFE_KEYS.has(part))) continue;
		let container: Record<string, unknown> = root;
		for (let index = 0; index < path.length - 1; index++) {
			const part = path[index];
			const next = path[index + 1];
			const existing = container[part];
			if (next === '') {
				if (!Array.isArray(existing)) container[part] = [];
				break;
			}
			if (!isRecord(existing)) container[part] = {};
			container = container[part] as Record<string, unknown>;
		}
		const last = path.length >= 2 && path[path.length - 1] === '' ? path[path.length - 2] : path[path.length - 1];
		const target = container[last];
		if (Array.isArray(target) && path[path.length - 1] === '') target.push(value);
		else if (!isRecord(target)) container[last] = value;
	}
	return root;
}

/**
 * The delivery's body as an object, read from the raw bytes by content type: JSON (including
 * vendor `application/vnd...+json`), urlencoded forms, and JSON sent as text/plain or without a
 * content type. 415 for a body in any other format, 400 for one that cannot be parsed.
 */
export function parseDeliveryBody(delivery: NpsDelivery): ParsedBody {
	const type = mediaType(delivery);
	const text = delivery.rawBody.toString('utf8');
	if (text.trim() === '') return { ok: false, status: 400, problem: issue(BODY_FIELD, 'missing', `${BODY_FIELD}: is empty`) };
	if (isJsonMediaType(type)) return parseJson(text);
	if (type === 'application/x-www-form-urlencoded') return { ok: true, body: parseForm(text) };
	if (type === '' || type === 'text/plain') {
		const sniffed = parseJson(text);
		if (sniffed.ok) return sniffed;
	}
	return {
		ok: false,
		status: 415,
		problem: issue(
			'content-type',
			'unsupported_media_type',
			`content-type: '${type || '(none)'}' cannot be read; send application/json or application/x-www-form-urlencoded`,
		),
	};
}
