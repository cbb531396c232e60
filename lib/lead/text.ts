import type { Normalized } from '../schema/issue';
import { issue, textOf } from '../schema/issue';

const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ALPHANUMERIC = /[^a-z0-9]/g;
const NON_ALPHANUMERIC_RUN = /[^a-z0-9]+/;
const WHITESPACE_RUN = /\s+/g;
const NOT_BLANK = /\S/;

/** Lower-case without accents ("São Paulo" -> "sao paulo"); punctuation and spaces are kept. */
export function foldText(text: string): string {
	const lower = text.toLowerCase();
	// Most keys and values are plain ASCII: skip the Unicode decomposition for them.
	return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(COMBINING_MARKS, '') : lower;
}

/**
 * The form a key or label is compared in: lower-case, no accents, letters and digits only, so
 * "First Name", "first_name", "firstName" and "FIRST-NAME" are all "firstname".
 */
export function foldKey(text: string): string {
	return foldText(text).replace(NON_ALPHANUMERIC, '');
}

/** The folded words of a text ("Software Development" -> ["software", "development"]). */
export function foldWords(text: string): string[] {
	return foldText(text)
		.split(NON_ALPHANUMERIC_RUN)
		.filter((word) => word !== '');
}

/** True for values that carry nothing: undefined, null and strings of only whitespace. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && !NOT_BLANK.test(value));
}

/**
 * A field's text trimmed, or null when blank. Numbers become their decimal text (a postal code or
 * campaign id typed as a number); objects, arrays and booleans are not text and give null.
 */
export function trimText(value: unknown): string | null {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value === 'bigint') return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text === '' ? null : text;
}

/** trimText with inner runs of whitespace collapsed to one space: free text such as a job title or city. */
export function cleanText(value: unknown): string | null {
	const text = trimText(value);
	return text === null ? null : text.replace(WHITESPACE_RUN, ' ');
}

const ISO_DATE_TIME =
	/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** The exact shape APIs and webhooks send ("2024-03-01T13:45:10Z", "...10.123+00:00"): read at fixed positions. */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?(?:Z|[+-]\d{2}:\d{2})$/;
const SLASHED_DATE_TIME = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const EPOCH_DIGITS = /^-?\d{10}(?:\d{3})?$/;
/**
 * Date.parse reads almost anything ("version 2" is 2001-02-01), so it is only asked about texts
 * with an English month name and a four-digit year, the shape of its RFC 2822 and toString forms.
 */
const MONTH_NAME_AND_YEAR = /^(?=.*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)(?=.*\b\d{4}\b)/i;
const HAS_TIME_ZONE = /(?:z|gmt|utc|[+-]\d{2}:?\d{2})\s*(?:\([^)]*\))?$/i;
/** Below this an epoch number is read as seconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
const EPOCH_SECONDS_LIMIT = 1e11;
const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Milliseconds for a calendar date and time in UTC, or NaN when a part is out of range (31/02,
 * 25:00). Computed directly (days-from-civil) rather than with Date.UTC, which also maps years
 * 0-99 to 1900-1999.
 */
function utcMillis(
	year: number,
	month: number,
	day: number,
	hour = 0,
	minute = 0,
	second = 0,
	millisecond = 0,
): number {
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
	if (hour > 23 || minute > 59 || second > 59) return NaN;
	const marchYear = month <= 2 ? year - 1 : year;
	const era = Math.floor(marchYear / 400);
	const yearOfEra = marchYear - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	const days = era * 146_097 + dayOfEra - 719_468;
	return days * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond;
}

function offsetMinutes(zone: string | undefined): number {
	if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
	const sign = zone[0] === '-' ? -1 : 1;
	const digits = zone.slice(1).replace(':', '');
	return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function digitsAt(text: string, start: number, count: number): number {
	let value = 0;
	for (let index = start; index < start + count; index++) value = value * 10 + text.charCodeAt(index) - 48;
	return value;
}

function fromCanonicalIso(text: string): number {
	const hasMillis = text.charCodeAt(19) === 46; // '.'
	const zoneStart = hasMillis ? 23 : 19;
	const wallTime = utcMillis(
		digitsAt(text, 0, 4),
		digitsAt(text, 5, 2),
		digitsAt(text, 8, 2),
		digitsAt(text, 11, 2),
		digitsAt(text, 14, 2),
		digitsAt(text, 17, 2),
		hasMillis ? digitsAt(text, 20, 3) : 0,
	);
	if (zoneStart === text.length - 1) return wallTime; // 'Z'
	const offset = digitsAt(text, zoneStart + 1, 2) * 60 + digitsAt(text, zoneStart + 4, 2);
	return wallTime - (text.charCodeAt(zoneStart) === 45 ? -offset : offset) * 60_000; // 45: '-'
}

// Match groups are read by index: destructuring a match goes through the (slow) iterator protocol.
function fromIso(match: RegExpExecArray): number {
	const fraction = match[7];
	const wallTime = utcMillis(
		Number(match[1]),
		Number(match[2]),
		Number(match[3]),
		Number(match[4] ?? 0),
		Number(match[5] ?? 0),
		Number(match[6] ?? 0),
		fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
	);
	return wallTime - offsetMinutes(match[8]) * 60_000;
}

/**
 * "15/01/2024" style dates. Day first (the pt/es and most-of-the-world convention) unless only the
 * month-first reading exists ("01/15/2024"); `ambiguous` is set when both readings are real,
 * different dates ("03/04/2024").
 */
function fromSlashed(match: RegExpExecArray): { millis: number; ambiguous: boolean } {
	const first = Number(match[1]);
	const second = Number(match[2]);
	// Two-digit years are this century: forms collect recent dates.
	const year = match[3].length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
	const time = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)] as const;
	const dayFirst = utcMillis(year, second, first, ...time);
	const monthFirst = utcMillis(year, first, second, ...time);
	if (Number.isNaN(dayFirst)) return { millis: monthFirst, ambiguous: false };
	return { millis: dayFirst, ambiguous: !Number.isNaN(monthFirst) && monthFirst !== dayFirst };
}

function epochMillis(epoch: number): number {
	return Math.abs(epoch) < EPOCH_SECONDS_LIMIT ? epoch * 1000 : epoch;
}

/** English month-name dates (RFC 2822, "Mon Jan 15 2024 10:00:00 GMT-0300", "January 15, 2024"). */
function fromFreeText(text: string): number {
	if (!MONTH_NAME_AND_YEAR.test(text)) return NaN;
	const parsed = Date.parse(text);
	if (Number.isNaN(parsed) || HAS_TIME_ZONE.test(text)) return parsed;
	// No zone written: Date.parse used the server's zone; read the written wall time as UTC instead.
	const local = new Date(parsed);
	return Date.UTC(
		local.getFullYear(),
		local.getMonth(),
		local.getDate(),
		local.getHours(),
		local.getMinutes(),
		local.getSeconds(),
		local.getMilliseconds(),
	);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/** Date#toISOString, built from lookup tables: several times faster, and it runs once per date field. */
function isoFromMillis(millis: number): string {
	const date = new Date(millis);
	const year = date.getUTCFullYear();
	if (year < 1000 || year > 9999) return date.toISOString();
	return (
		`${year}-${TWO_DIGITS[date.getUTCMonth() + 1]}-${TWO_DIGITS[date.getUTCDate()]}` +
		`T${TWO_DIGITS[date.getUTCHours()]}:${TWO_DIGITS[date.getUTCMinutes()]}:${TWO_DIGITS[date.getUTCSeconds()]}` +
		`.${THREE_DIGITS[date.getUTCMilliseconds()]}Z`
	);
}

/** Epoch milliseconds of a date value (NaN when unreadable) and whether its day/month order was a guess. */
function readMillis(value: unknown): { millis: number; ambiguous: boolean } {
	if (value instanceof Date) return { millis: value.getTime(), ambiguous: false };
	if (typeof value === 'number') return { millis: epochMillis(value), ambiguous: false };
	if (typeof value !== 'string') return { millis: NaN, ambiguous: false };
	const text = value.trim();
	if (CANONICAL_ISO.test(text)) return { millis: fromCanonicalIso(text), ambiguous: false };
	const iso = ISO_DATE_TIME.exec(text);
	if (iso !== null) return { millis: fromIso(iso), ambiguous: false };
	const slashed = SLASHED_DATE_TIME.exec(text);
	if (slashed !== null) return fromSlashed(slashed);
	if (EPOCH_DIGITS.test(text)) return { millis: epochMillis(Number(text)), ambiguous: false };
	return { millis: fromFreeText(text), ambiguous: false };
}

/**
 * A date or date-time from a form or export as ISO 8601 UTC ("2024-01-15T10:20:30.000Z").
 * Accepts Date objects, epoch seconds or milliseconds (numbers or 10/13-digit strings), ISO 8601
 * with or without time and offset (also "YYYY/MM/DD"), "DD/MM/YYYY [HH:mm[:ss]]" (see
 * fromSlashed) and English month-name dates. Times written without a zone are taken as UTC, so
 * the result does not depend on the server's time zone.
 *
 * Issues: error `invalid_date` when unreadable; warnings `ambiguous_date` (both day-first and
 * month-first readings exist) and `future_date` (more than a day ahead of `now`: a clock or
 * format mistake, a consent cannot be given tomorrow).
 */
export function parseDateTime(value: unknown, field: string, now = Date.now()): Normalized<string | null> {
	const result: Normalized<string | null> = { value: null, errors: [], warnings: [] };
	if (isBlank(value)) return result;

	const { millis, ambiguous } = readMillis(value);
	const shown = typeof value === 'string' ? value.trim() : textOf(value);
	// Beyond ±8.64e15 ms Date has no ISO form; treat it like any other unreadable value.
	if (!Number.isFinite(millis) || Math.abs(millis) > 8.64e15) {
		result.errors.push(issue(field, 'invalid_date', `${field} '${shown}' is not a valid date`));
		return result;
	}
	result.value = isoFromMillis(millis);
	if (ambiguous) {
		result.warnings.push(
			issue(
				field,
				'ambiguous_date',
				`${field} '${shown}' could be day/month or month/day; read as day/month (${result.value.slice(0, 10)})`,
			),
		);
	}
	if (millis > now + DAY_MS) {
		result.warnings.push(issue(field, 'future_date', `${field} '${shown}' is in the future`));
	}
	return result;
}
