import type { FieldIssue } from '../schema/issue';
import { issue } from '../schema/issue';

/**
 * What a CRM field accepts, independent of how that CRM spells the value on the wire:
 * each CRM profile turns the checked value into its own encoding (HubSpot strings,
 * Salesforce `;`-joined multi-selects, Pipedrive option ids).
 */
export type FieldType =
	| 'text'
	| 'email'
	| 'phone'
	| 'url'
	| 'number'
	| 'picklist'
	| 'multipicklist'
	| 'date'
	| 'datetime'
	| 'boolean'
	/** A positive integer record id (Pipedrive org_id, owner_id, person_id). */
	| 'id'
	/** Pipedrive's `[{ value, primary, label }]` arrays. */
	| 'emailList'
	| 'phoneList';

export interface FieldRule {
	type: FieldType;
	/** Characters the CRM stores; longer values are cut only when the user allows it. */
	maxLength?: number;
	/** Allowed picklist values; absent means an unrestricted picklist (any value is kept). */
	values?: readonly string[];
	min?: number;
	max?: number;
	integer?: boolean;
}

/** A value after checking: text, a number, a boolean, a list of picklist values, a UTC date or a Pipedrive list. */
export type CheckedValue = string | number | boolean | string[] | Date | ContactPoint[];

export interface ContactPoint {
	value: string;
	primary: boolean;
	label: string;
}

export interface CheckContext {
	errors: FieldIssue[];
	warnings: FieldIssue[];
	/** Cut over-long text to the CRM's limit (with a warning) instead of rejecting the record. */
	truncate: boolean;
	/** Names the CRM and object in messages ("Salesforce Lead"). */
	crmLabel: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;
/** E.164 or a national number: 7 to 15 digits once spaces, dots, dashes and brackets are removed. */
const PHONE_DIGITS = /^\+?\d{7,15}$/;
const PHONE_PUNCTUATION = /[\s().-]/g;
// No leading \s*: from every position of a long run of spaces it would backtrack (quadratic); the
// spaces before an extension go with the rest of PHONE_PUNCTUATION.
const PHONE_EXTENSION = /(?:ext\.?|x|#|ramal)\s*\d{1,6}$/i;
/**
 * Longest email, phone or web address checked against its pattern: beyond any real one (an address
 * is at most 254, browsers keep URLs under 8 KB), and it keeps each check's work bounded.
 */
const PATTERN_INPUT_LIMIT = 8192;
const URL_LIKE = /^(?:https?:\/\/)?[^\s/?#]+\.[^\s/?#]{2,}(?:[/?#]\S*)?$/i;
const ID_RULE: FieldRule = { type: 'number', integer: true, min: 1 };
const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

function describe(value: unknown): string {
	if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
	if (Array.isArray(value)) return 'a list';
	if (value !== null && typeof value === 'object') return 'an object';
	return String(value);
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function asText(field: string, raw: unknown, ctx: CheckContext): string | undefined {
	if (typeof raw === 'string') return raw.trim();
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	ctx.errors.push(issue(field, 'not_text', `${field} must be text, got ${describe(raw)}`));
	return undefined;
}

/** Applies `maxLength` in characters (code points, so an emoji is never split in half). */
function fitLength(field: string, text: string, rule: FieldRule, ctx: CheckContext): string | undefined {
	const max = rule.maxLength;
	if (max === undefined || text.length <= max) return text;
	const characters = Array.from(text);
	if (characters.length <= max) return text;
	if (!ctx.truncate) {
		ctx.errors.push(
			issue(field, 'too_long', `${field} has ${characters.length} characters; ${ctx.crmLabel} allows at most ${max}`),
		);
		return undefined;
	}
	const cut = characters.slice(0, max).join('');
	ctx.warnings.push(
		issue(field, 'truncated', `${field} cut from ${characters.length} to ${max} characters; removed '${characters.slice(max).join('')}'`),
	);
	return cut;
}

function matchPicklist(field: string, text: string, rule: FieldRule, ctx: CheckContext): string | undefined {
	const values = rule.values;
	if (!values || values.includes(text)) return text;
	// A picklist value written in another case is the same choice: send the CRM's spelling.
	const lower = text.toLowerCase();
	const spelled = values.find((value) => value.toLowerCase() === lower);
	if (spelled !== undefined) return spelled;
	const shown = values.length > 12 ? `${values.slice(0, 12).join(', ')}, ...` : values.join(', ');
	ctx.errors.push(issue(field, 'not_in_picklist', `${field} '${text}' is not a ${ctx.crmLabel} picklist value (${shown})`));
	return undefined;
}

function checkNumber(field: string, raw: unknown, rule: FieldRule, ctx: CheckContext): number | undefined {
	const number = typeof raw === 'number' ? raw : typeof raw === 'string' && NUMERIC.test(raw.trim()) ? Number(raw) : NaN;
	if (!Number.isFinite(number)) {
		ctx.errors.push(issue(field, 'not_a_number', `${field} must be a number, got ${describe(raw)}`));
		return undefined;
	}
	if (rule.integer && !Number.isInteger(number)) {
		ctx.errors.push(issue(field, 'not_an_integer', `${field} must be a whole number, got ${number}`));
		return undefined;
	}
	if ((rule.min !== undefined && number < rule.min) || (rule.max !== undefined && number > rule.max)) {
		ctx.errors.push(issue(field, 'out_of_range', `${field} ${number} is outside ${rule.min ?? '-∞'}..${rule.max ?? '∞'}`));
		return undefined;
	}
	return number;
}

function checkDate(field: string, raw: unknown, ctx: CheckContext): Date | undefined {
	let date: Date | undefined;
	if (raw instanceof Date) date = raw;
	else if (typeof raw === 'number') date = new Date(raw);
	else if (typeof raw === 'string' && ISO_DATE.test(raw.trim())) date = new Date(raw.trim().length === 10 ? `${raw.trim()}T00:00:00Z` : raw.trim());
	if (!date || Number.isNaN(date.getTime())) {
		ctx.errors.push(issue(field, 'invalid_date', `${field} must be an ISO 8601 date (2026-03-01) or a timestamp, got ${describe(raw)}`));
		return undefined;
	}
	return date;
}

function checkBoolean(field: string, raw: unknown, ctx: CheckContext): boolean | undefined {
	if (typeof raw === 'boolean') return raw;
	const text = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
	if (text === 'true' || text === 1 || text === '1' || text === 'yes') return true;
	if (text === 'false' || text === 0 || text === '0' || text === 'no') return false;
	ctx.errors.push(issue(field, 'not_boolean', `${field} must be true or false, got ${describe(raw)}`));
	return undefined;
}

function checkEmail(field: string, text: string, ctx: CheckContext): string | undefined {
	if (EMAIL.test(text)) return text;
	ctx.errors.push(issue(field, 'invalid_email', `${field} '${text}' is not a valid email address`));
	return undefined;
}

function checkPhone(field: string, text: string, ctx: CheckContext): string | undefined {
	if (PHONE_DIGITS.test(text.replace(PHONE_EXTENSION, '').replace(PHONE_PUNCTUATION, ''))) return text;
	ctx.errors.push(issue(field, 'invalid_phone', `${field} '${text}' is not a phone number (7 to 15 digits)`));
	return undefined;
}

function checkMultiPicklist(field: string, raw: unknown, rule: FieldRule, ctx: CheckContext): string[] | undefined {
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(';') : [raw];
	const chosen: string[] = [];
	let failed = false;
	for (const entry of list) {
		if (isEmpty(entry)) continue;
		const text = asText(field, entry, ctx);
		if (text === undefined) {
			failed = true;
			continue;
		}
		if (text.includes(';')) {
			ctx.errors.push(issue(field, 'separator_in_value', `${field} value '${text}' contains ';', which separates multi-select values`));
			failed = true;
			continue;
		}
		const value = matchPicklist(field, text, rule, ctx);
		if (value === undefined) failed = true;
		else if (!chosen.includes(value)) chosen.push(value);
	}
	if (failed) return undefined;
	return chosen.length > 0 ? chosen : undefined;
}

/** Pipedrive emails/phones: a string becomes the one primary entry; an array must hold `{ value }` objects. */
function checkContactPoints(field: string, raw: unknown, rule: FieldRule, ctx: CheckContext): ContactPoint[] | undefined {
	const isEmailList = rule.type === 'emailList';
	const entries = Array.isArray(raw) ? raw : [raw];
	const points: ContactPoint[] = [];
	let failed = false;
	entries.forEach((entry, index) => {
		const at = `${field}[${index}]`;
		const object: Record<string, unknown> = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : { value: entry };
		if (isEmpty(object.value)) {
			ctx.errors.push(issue(at, 'missing_value', `${at} has no value`));
			failed = true;
			return;
		}
		const text = asText(at, object.value, ctx);
		const value = text === undefined ? undefined : isEmailList ? checkEmail(at, text, ctx) : checkPhone(at, text, ctx);
		if (object.primary !== undefined && typeof object.primary !== 'boolean') {
			ctx.errors.push(issue(at, 'not_boolean', `${at}.primary must be true or false, got ${describe(object.primary)}`));
			failed = true;
		}
		if (object.label !== undefined && typeof object.label !== 'string') {
			ctx.errors.push(issue(at, 'not_text', `${at}.label must be text, got ${describe(object.label)}`));
			failed = true;
		}
		if (value === undefined) {
			failed = true;
			return;
		}
		points.push({
			value,
			primary: object.primary === true,
			label: typeof object.label === 'string' && object.label !== '' ? object.label : isEmailList ? 'work' : 'mobile',
		});
	});
	if (failed || points.length === 0) return undefined;
	const primaries = points.filter((point) => point.primary).length;
	if (primaries > 1) {
		ctx.errors.push(issue(field, 'several_primary', `${field} marks ${primaries} entries as primary; ${ctx.crmLabel} allows one`));
		return undefined;
	}
	if (primaries === 0) points[0].primary = true;
	return points;
}

/**
 * Checks one value against the rule of the CRM field it goes to. Returns the checked value,
 * or undefined when the value is empty (the field is left out) or breaks the rule (the problem
 * is added to `ctx.errors`, named by field).
 */
export function checkField(field: string, raw: unknown, rule: FieldRule, ctx: CheckContext): CheckedValue | undefined {
	if (isEmpty(raw) || (Array.isArray(raw) && raw.length === 0)) return undefined;
	switch (rule.type) {
		case 'number':
			return checkNumber(field, raw, rule, ctx);
		case 'id':
			return checkNumber(field, raw, ID_RULE, ctx);
		case 'boolean':
			return checkBoolean(field, raw, ctx);
		case 'date':
		case 'datetime':
			return checkDate(field, raw, ctx);
		case 'multipicklist':
			return checkMultiPicklist(field, raw, rule, ctx);
		case 'emailList':
		case 'phoneList':
			return checkContactPoints(field, raw, rule, ctx);
		default:
			break;
	}
	const text = asText(field, raw, ctx);
	if (text === undefined || text === '') return undefined;
	let checked: string | undefined = text;
	if ((rule.type === 'email' || rule.type === 'phone' || rule.type === 'url') && text.length > PATTERN_INPUT_LIMIT) {
		ctx.errors.push(issue(field, 'too_long', `${field} has ${text.length} characters; at most ${PATTERN_INPUT_LIMIT} are accepted`));
		checked = undefined;
	} else if (rule.type === 'email') checked = checkEmail(field, text, ctx);
	else if (rule.type === 'phone') checked = checkPhone(field, text, ctx);
	else if (rule.type === 'url' && !URL_LIKE.test(text)) {
		ctx.errors.push(issue(field, 'invalid_url', `${field} '${text}' is not a web address`));
		checked = undefined;
	} else if (rule.type === 'picklist') checked = matchPicklist(field, text, rule, ctx);
	return checked === undefined ? undefined : fitLength(field, checked, rule, ctx);
}

/** `2026-03-01`: the UTC calendar date, as Salesforce date fields and Pipedrive date fields take it. */
export function isoDate(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** Milliseconds of UTC midnight of the date, as HubSpot date properties require. */
export function utcMidnightMs(date: Date): number {
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
