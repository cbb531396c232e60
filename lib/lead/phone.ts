import {
	parsePhoneNumberFromString,
	validatePhoneNumberLength,
	type CountryCode,
} from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import type { z } from 'zod';

import { issue, type FieldIssue, type Normalized } from '../schema/issue';
import type { phoneTypeSchema } from '../schema/lead';
import { isoAlpha2Codes, normalizeCountry } from './country';

/**
 * Phone normalization: whatever a form or CRM holds ("(11) 98765-4321", "00 44 20 7946 0958",
 * "call me at +1 415 555 2671 after 5pm", 5511987654321) -> E.164 plus country, line type,
 * validity and extension, using libphonenumber-js's "max" metadata (the one with line types).
 *
 * Speed: libphonenumber-js builds a new RegExp from metadata text for every pattern it tries,
 * which costs 10-60 µs per number, too slow for 50,000 leads/s. So its parse / isValid / getType /
 * validatePhoneNumberLength rules are mirrored here over the same metadata, with RegExps compiled
 * once per country (about 1 µs a number). The library itself still reads what the mirror leaves
 * out: non-geographic numbers (+800...), fewer than 3 or more than 248 digits, and every number
 * if a future version changes the metadata layout. The unit tests check the mirror against the
 * library on variants of every country's example number.
 */

export type PhoneType = z.infer<typeof phoneTypeSchema>;

export interface NormalizedPhone {
	/** "+5511987654321"; null when the input was empty or is not a usable number. */
	e164: string | null;
	/** ISO 3166-1 alpha-2 of the number (not of the lead); null for non-geographic numbers. */
	country: string | null;
	type: PhoneType | null;
	/** true: in a range the country assigns; false: kept unverified or rejected; null: empty. */
	valid: boolean | null;
	extension: string | null;
}

export interface NormalizePhoneOptions {
	/** Country for numbers written without a country code: a code or any name normalizeCountry knows. */
	defaultCountry?: string | null;
	/** Field name used in issues and messages; "phone" by default. */
	field?: string;
}

/** Clean E.164 (what a previous normalization or a good form stores) skips the text scanner. */
const E164_INPUT = /^\+[1-9]\d{6,14}$/;
/**
 * A run of characters that can make up a written phone number: an optional +, then digits with
 * spaces, dots, dashes and brackets between them; a slash only directly between digits (030/1234).
 */
const NUMBER_RUN = /\+?[ \t\u00a0]*\(?[ \t\u00a0]*\d(?:[\d \t\u00a0().\-\u2010-\u2015]|\/(?=\d))*/g;
/** An extension label right after a number: "ext. 12", "x12", "#12", "ramal 12", ";ext=12". */
const EXTENSION_AFTER_NUMBER =
	/[ \t\u00a0]*[,;]?[ \t\u00a0]*(?:ext(?:ension|ensão|ensao|ensión|n)?|x|#|ramal|anexo|poste|int|interno|dw|durchwahl|r)\.?[ \t\u00a0]*[:.=#-]?[ \t\u00a0]*(\d{1,10})/iy;
const NON_DIGITS = /\D/g;
const ASCII_DIGIT = /\d/;
const LETTER = /\p{L}/u;
/** Arabic-Indic, extended Arabic-Indic and full-width digits, and the full-width plus. */
const HAS_NON_ASCII_DIGIT_OR_PLUS = /[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19\uff0b]/;
const NON_ASCII_DIGITS_AND_PLUS = /[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19\uff0b]/g;
/** What people type when there is no phone; treated like an empty field. */
const PLACEHOLDER =
	/^\s*(?:n\/?a|n\.a\.?|none|null|nil|undefined|unknown|not (?:provided|available|applicable))\s*$/i;

/**
 * Fewest digits worth calling a phone number: shorter runs do not count as a second number in the
 * text, and shorter digits are not re-read as an international number.
 */
const MIN_PHONE_DIGITS = 7;
/** libphonenumber-js's bounds for a national significant number. */
const MIN_NATIONAL_NUMBER_LENGTH = 2;
const MAX_NATIONAL_NUMBER_LENGTH = 17;
const MAX_SHOWN_LENGTH = 40;

/**
 * libphonenumber regions that are not ISO 3166-1 codes: Ascension (AC) and Tristan da Cunha (TA)
 * are part of SH, which is what the lead's country field says for them.
 */
const ISO_COUNTRY_FOR_PHONE_REGION: Record<string, string> = { AC: 'SH', TA: 'SH' };

// ---------------------------------------------------------------------------------------------
// Numbering plans compiled from libphonenumber-js's metadata (format version 4, a positional
// array per country; see libphonenumber-js source/metadata.js for the field positions).

/** Line types in the order of the metadata's type array. */
const METADATA_TYPE_ORDER = [
	'FIXED_LINE',
	'MOBILE',
	'TOLL_FREE',
	'PREMIUM_RATE',
	'PERSONAL_NUMBER',
	'VOICEMAIL',
	'UAN',
	'PAGER',
	'VOIP',
	'SHARED_COST',
] as const;
type LibraryType = (typeof METADATA_TYPE_ORDER)[number];
/** Order in which libphonenumber-js tries the types other than fixed line. */
const NON_FIXED_LINE_TYPES: readonly LibraryType[] = [
	'MOBILE',
	'PREMIUM_RATE',
	'TOLL_FREE',
	'SHARED_COST',
	'VOIP',
	'PERSONAL_NUMBER',
	'PAGER',
	'UAN',
	'VOICEMAIL',
];

type MetadataTypeEntry = [pattern: string, possibleLengths?: number[] | 0] | 0 | undefined;
type MetadataPlan = [
	callingCode: string,
	internationalPrefix: string,
	nationalNumberPattern: string,
	possibleLengths: number[],
	formats: unknown,
	nationalPrefix: string | 0 | undefined,
	nationalPrefixFormattingRule: unknown,
	nationalPrefixForParsing: string | 0 | undefined,
	nationalPrefixTransformRule: string | 0 | undefined,
	nationalPrefixIsOptionalWhenFormatting: unknown,
	leadingDigits: string | 0 | undefined,
	types: MetadataTypeEntry[] | 0 | undefined,
];

interface LineTypeRule {
	/** null when the metadata has the type with an empty pattern (for mobile: same as fixed line). */
	pattern: RegExp | null;
	possibleLengths: readonly number[];
}

interface NumberingPlan {
	callingCode: string;
	internationalPrefix: RegExp;
	nationalNumber: RegExp;
	possibleLengths: readonly number[];
	nationalPrefixForParsing: RegExp | null;
	nationalPrefixTransformRule: string | null;
	leadingDigits: RegExp | null;
	types: Partial<Record<LibraryType, LineTypeRule>>;
}

type LengthCheck = 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH';

const countriesByCallingCode = metadataJson.country_calling_codes as Record<string, string[]>;
const nonGeographicCallingCodes = new Set(Object.keys(metadataJson.nonGeographic ?? {}));
const metadataPlans = metadataJson.countries as Record<string, MetadataPlan | undefined>;
/** If a future libphonenumber-js changes the metadata layout, every number goes to the library. */
const canUseCompiledPlans = metadataJson.version === 4;
const compiledPlans = new Map<string, NumberingPlan>();

function wholeMatch(pattern: string): RegExp {
	return new RegExp(`^(?:${pattern})$`);
}

function prefixMatch(pattern: string): RegExp {
	return new RegExp(`^(?:${pattern})`);
}

/** For a country the metadata has (callers check default countries with metadataPlans first). */
function planFor(country: string): NumberingPlan {
	let plan = compiledPlans.get(country);
	if (plan === undefined) {
		plan = compilePlan(country);
		compiledPlans.set(country, plan);
	}
	return plan;
}

function compilePlan(country: string): NumberingPlan {
	const raw = metadataPlans[country];
	if (!raw) throw new Error(`libphonenumber-js metadata has no numbering plan for ${country}`);
	const possibleLengths = raw[3];
	// A plan without line types makes every number "not valid" here, as it does in the library's
	// getNumberType(), so such numbers simply go to the library.
	const types: NumberingPlan['types'] = {};
	(raw[11] || []).forEach((entry, position) => {
		if (!entry) return;
		types[METADATA_TYPE_ORDER[position]] = {
			pattern: entry[0] ? wholeMatch(entry[0]) : null,
			possibleLengths: entry[1] || possibleLengths,
		};
	});
	const nationalPrefixForParsing = raw[7] || raw[5];
	return {
		callingCode: raw[0],
		internationalPrefix: prefixMatch(raw[1]),
		nationalNumber: wholeMatch(raw[2]),
		possibleLengths,
		nationalPrefixForParsing: nationalPrefixForParsing
			? prefixMatch(nationalPrefixForParsing)
			: null,
		nationalPrefixTransformRule: raw[8] || null,
		leadingDigits: raw[10] ? prefixMatch(raw[10]) : null,
		types,
	};
}

function isOfType(nationalNumber: string, type: LibraryType, plan: NumberingPlan): boolean {
	const rule = plan.types[type];
	return (
		rule !== undefined &&
		rule.pattern !== null &&
		rule.possibleLengths.includes(nationalNumber.length) &&
		rule.pattern.test(nationalNumber)
	);
}

function lineType(
	nationalNumber: string,
	plan: NumberingPlan,
): LibraryType | 'FIXED_LINE_OR_MOBILE' | undefined {
	// One reading asks this for the same number and plan up to three times (country detection,
	// national prefix check, validity), and the patterns are long: remember the last answer.
	if (nationalNumber === lastLineType.nationalNumber && plan === lastLineType.plan) {
		return lastLineType.type;
	}
	const type = matchLineType(nationalNumber, plan);
	lastLineType.nationalNumber = nationalNumber;
	lastLineType.plan = plan;
	lastLineType.type = type;
	return type;
}

const lastLineType: {
	nationalNumber: string;
	plan: NumberingPlan | null;
	type: ReturnType<typeof matchLineType>;
} = { nationalNumber: '', plan: null, type: undefined };

/** libphonenumber-js getNumberType(): undefined means "not a valid number". */
function matchLineType(
	nationalNumber: string,
	plan: NumberingPlan,
): LibraryType | 'FIXED_LINE_OR_MOBILE' | undefined {
	if (!plan.nationalNumber.test(nationalNumber)) return undefined;
	if (isOfType(nationalNumber, 'FIXED_LINE', plan)) {
		const mobile = plan.types.MOBILE;
		if (!mobile || mobile.pattern === null || isOfType(nationalNumber, 'MOBILE', plan)) {
			return 'FIXED_LINE_OR_MOBILE';
		}
		return 'FIXED_LINE';
	}
	for (const type of NON_FIXED_LINE_TYPES) {
		if (isOfType(nationalNumber, type, plan)) return type;
	}
	return undefined;
}

function checkLength(nationalNumber: string, plan: NumberingPlan): LengthCheck {
	const lengths = plan.possibleLengths;
	const length = nationalNumber.length;
	if (lengths[0] === length) return 'IS_POSSIBLE';
	if (lengths[0] > length) return 'TOO_SHORT';
	if (lengths[lengths.length - 1] < length) return 'TOO_LONG';
	return lengths.includes(length) ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}

/**
 * Which of the countries sharing a calling code (+1: US, CA, JM...; +44: GB, JE, GG, IM) a
 * national number belongs to; undefined when none claims it.
 */
function countryForCallingCode(callingCode: string, nationalNumber: string): string | undefined {
	const countries = countriesByCallingCode[callingCode];
	if (!countries) return undefined;
	if (countries.length === 1) return countries[0];
	for (const country of countries) {
		const plan = planFor(country);
		if (plan.leadingDigits) {
			if (plan.leadingDigits.test(nationalNumber)) return country;
		} else if (lineType(nationalNumber, plan)) {
			return country;
		}
	}
	return undefined;
}

/** Drops a national (trunk) prefix and carrier code: "011987654321" in BR -> "11987654321". */
function stripNationalPrefix(digits: string, plan: NumberingPlan): string {
	if (!plan.nationalPrefixForParsing) return digits;
	const match = plan.nationalPrefixForParsing.exec(digits);
	if (!match) return digits;
	const lastGroup = match.length - 1;
	if (plan.nationalPrefixTransformRule && lastGroup > 0 && match[lastGroup]) {
		return digits.replace(plan.nationalPrefixForParsing, plan.nationalPrefixTransformRule);
	}
	return digits.slice(match[0].length);
}

/** libphonenumber-js extractNationalNumber(): keeps the prefix when stripping it breaks the number. */
function nationalSignificantNumber(digits: string, plan: NumberingPlan): string {
	const stripped = stripNationalPrefix(digits, plan);
	if (stripped === digits) return digits;
	if (plan.nationalNumber.test(digits) && !plan.nationalNumber.test(stripped)) return digits;
	const country = countryForCallingCode(plan.callingCode, stripped);
	const length = checkLength(stripped, country ? planFor(country) : plan);
	return length === 'TOO_SHORT' || length === 'INVALID_LENGTH' ? digits : stripped;
}

/** One reading of the digits; `region` is libphonenumber-js's (may be AC or TA, or none for +800). */
type Reading =
	| { kind: 'valid'; e164: string; region: string | undefined; type: string }
	| { kind: 'possible'; e164: string; region: string | undefined }
	| { kind: 'rejected'; reason: RejectionReason; place: string };

/** libphonenumber-js ParseError messages and validatePhoneNumberLength() results. */
type RejectionReason =
	| 'TOO_SHORT'
	| 'TOO_LONG'
	| 'INVALID_LENGTH'
	| 'INVALID_COUNTRY'
	| 'NOT_A_NUMBER';

/**
 * Mexico dropped the "1" that mobile numbers took after +52 in August 2019; numbers are now +52
 * and ten digits, but CRMs, exports and WhatsApp ids still hold "+52 1 55 1234 5678".
 */
const MEXICAN_MOBILE_ONE = /^521(\d{10})$/;

function read(digits: string, international: boolean, defaultCountry: string | undefined): Reading {
	if (international) digits = digits.replace(MEXICAN_MOBILE_ONE, '52$1');
	return (
		readWithPlans(digits, international, defaultCountry) ??
		readWithLibrary(digits, international, defaultCountry)
	);
}

/**
 * libphonenumber-js parse(), isValid(), getType() and validatePhoneNumberLength() over the
 * compiled plans. null for what is left to the library: non-geographic calling codes (+800...),
 * fewer than 3 or more than 248 digits (where its text checks decide) and unknown metadata.
 */
function readWithPlans(
	digits: string,
	international: boolean,
	defaultCountry: string | undefined,
): Reading | null {
	if (!canUseCompiledPlans || digits.length < 3 || digits.length > 248) return null;
	let callingCode: string | undefined;
	let rest = digits;
	let country: string | undefined;

	if (!international) {
		if (!defaultCountry) return null;
		const defaultPlan = planFor(defaultCountry);
		const match = defaultPlan.internationalPrefix.exec(digits);
		const afterInternationalPrefix = match ? digits.slice(match[0].length) : '';
		if (afterInternationalPrefix !== '' && afterInternationalPrefix[0] !== '0') {
			international = true;
			rest = afterInternationalPrefix;
		} else {
			callingCode = defaultPlan.callingCode;
			const withoutCallingCode = stripOwnCallingCode(digits, defaultPlan);
			if (withoutCallingCode === undefined) country = defaultCountry;
			else rest = withoutCallingCode;
		}
	}
	if (international) {
		for (let length = 1; length <= 3 && length <= rest.length && rest[0] !== '0'; length++) {
			const candidate = rest.slice(0, length);
			if (nonGeographicCallingCodes.has(candidate)) return null;
			if (countriesByCallingCode[candidate]) {
				callingCode = candidate;
				rest = rest.slice(length);
				break;
			}
		}
	}
	if (!callingCode) return { kind: 'rejected', reason: 'INVALID_COUNTRY', place: '' };
	const mainCountry = countriesByCallingCode[callingCode][0];
	if (rest === '') return { kind: 'rejected', reason: 'TOO_SHORT', place: country ?? mainCountry };

	// National numbers are read with the default country's plan, international ones with the
	// plan of the calling code's main country (US for +1, GB for +44), as the library does.
	const nationalNumber = nationalSignificantNumber(rest, planFor(country ?? mainCountry));
	country = countryForCallingCode(callingCode, nationalNumber) ?? country;
	const place = country ?? placeOfCallingCode(callingCode);
	if (nationalNumber.length < MIN_NATIONAL_NUMBER_LENGTH) {
		return { kind: 'rejected', reason: 'TOO_SHORT', place };
	}
	if (nationalNumber.length > MAX_NATIONAL_NUMBER_LENGTH) {
		return { kind: 'rejected', reason: 'TOO_LONG', place };
	}
	const plan = planFor(country ?? mainCountry);
	const e164 = `+${callingCode}${nationalNumber}`;
	const type = lineType(nationalNumber, plan);
	if (type) return { kind: 'valid', e164, region: country, type };
	const length = checkLength(nationalNumber, plan);
	if (length === 'IS_POSSIBLE') return { kind: 'possible', e164, region: country };
	return { kind: 'rejected', reason: length, place };
}

/**
 * "5511987654321" typed in Brazil: the country's own calling code without the +. Returns the
 * digits after it, or undefined when the digits are a national number as they are.
 */
function stripOwnCallingCode(digits: string, plan: NumberingPlan): string | undefined {
	if (!digits.startsWith(plan.callingCode)) return undefined;
	const shorter = digits.slice(plan.callingCode.length);
	const shorterNational = nationalSignificantNumber(shorter, plan);
	const national = nationalSignificantNumber(digits, plan);
	if (
		(!plan.nationalNumber.test(national) && plan.nationalNumber.test(shorterNational)) ||
		checkLength(national, plan) === 'TOO_LONG' ||
		// Both readings can be valid where a plan allows long numbers: "4915123456789" in Germany
		// is +49 151 23456789, or 0491 5123456789, which only libphonenumber's room for extension
		// digits makes valid (German numbers have at most 11 digits after the 0). Where national
		// numbers carry a trunk prefix they are written with it, so digits that start with the
		// calling code instead are the international number that lost its +.
		(plan.nationalPrefixForParsing !== null && isValidNationalNumber(shorterNational, plan.callingCode))
	) {
		return shorter;
	}
	return undefined;
}

function isValidNationalNumber(nationalNumber: string, callingCode: string): boolean {
	const country = countryForCallingCode(callingCode, nationalNumber);
	return country !== undefined && lineType(nationalNumber, planFor(country)) !== undefined;
}

function readWithLibrary(
	digits: string,
	international: boolean,
	defaultCountry: string | undefined,
): Reading {
	const text = international ? `+${digits}` : digits;
	const options = { defaultCountry: defaultCountry as CountryCode | undefined, extract: false };
	const phoneNumber = parsePhoneNumberFromString(text, options);
	if (phoneNumber?.isValid()) {
		return {
			kind: 'valid',
			e164: phoneNumber.number,
			region: phoneNumber.country,
			type: phoneNumber.getType() ?? 'UNKNOWN',
		};
	}
	if (phoneNumber?.isPossible()) {
		return { kind: 'possible', e164: phoneNumber.number, region: phoneNumber.country };
	}
	const callingCode = phoneNumber?.countryCallingCode ?? (international ? digits : undefined);
	const place =
		phoneNumber?.country ??
		(callingCode ? placeOfCallingCode(callingCode) : (defaultCountry ?? ''));
	// The same parse again, but this function names what is wrong (TOO_SHORT, INVALID_COUNTRY...).
	const reason = validatePhoneNumberLength(text, options) ?? 'INVALID_LENGTH';
	return { kind: 'rejected', reason, place };
}

/** "BR" for "55...", "+1" for a calling code several countries share, "+999" for none. */
function placeOfCallingCode(digits: string): string {
	for (let length = 1; length <= 3 && length <= digits.length; length++) {
		const callingCode = digits.slice(0, length);
		const countries = countriesByCallingCode[callingCode];
		if (countries?.length === 1) return countries[0];
		if (countries || nonGeographicCallingCodes.has(callingCode)) return `+${callingCode}`;
	}
	return `+${digits.slice(0, 3)}`;
}

// ---------------------------------------------------------------------------------------------
// Finding the number in what the user typed.

interface WrittenNumber {
	digits: string;
	/** Written with + (or a full-width +). */
	international: boolean;
	extension: string | null;
	/** The text holds another run of digits long enough to be a second phone number. */
	hasAnotherNumber: boolean;
}

/**
 * The number in what the user typed: the longest run of phone characters, with the extension
 * written after it. null when the text has no digits.
 */
function findWrittenNumber(text: string): WrittenNumber | null {
	if (E164_INPUT.test(text)) {
		return { digits: text.slice(1), international: true, extension: null, hasAnotherNumber: false };
	}
	if (HAS_NON_ASCII_DIGIT_OR_PLUS.test(text)) {
		text = text.replace(NON_ASCII_DIGITS_AND_PLUS, toAsciiDigits);
	}
	if (!ASCII_DIGIT.test(text)) return null;
	let best: WrittenNumber | null = null;
	let longRuns = 0;
	NUMBER_RUN.lastIndex = 0;
	for (let run = NUMBER_RUN.exec(text); run !== null; run = NUMBER_RUN.exec(text)) {
		const digits = run[0].replace(NON_DIGITS, '');
		let extension: string | null = null;
		EXTENSION_AFTER_NUMBER.lastIndex = NUMBER_RUN.lastIndex;
		const extensionMatch = EXTENSION_AFTER_NUMBER.exec(text);
		if (extensionMatch) {
			extension = extensionMatch[1];
			NUMBER_RUN.lastIndex = EXTENSION_AFTER_NUMBER.lastIndex;
		}
		if (digits.length >= MIN_PHONE_DIGITS) longRuns++;
		if (!best || digits.length > best.digits.length) {
			best = { digits, international: run[0][0] === '+', extension, hasAnotherNumber: false };
		}
	}
	if (best) best.hasAnotherNumber = longRuns > 1;
	return best;
}

function toAsciiDigits(char: string): string {
	const code = char.charCodeAt(0);
	if (code === 0xff0b) return '+';
	if (code >= 0xff10) return String(code - 0xff10);
	if (code >= 0x06f0) return String(code - 0x06f0);
	return String(code - 0x0660);
}

// ---------------------------------------------------------------------------------------------

/**
 * Any written phone number -> E.164 with country, line type, validity and extension.
 *
 * National numbers ("(11) 98765-4321", "020 7946 0958") need `defaultCountry` (a code or any
 * country name). "00" and the default country's own international prefix (011 in the US) are
 * read as "+"; digits without any prefix that only make sense as an international number
 * (5511987654321 from a spreadsheet) are read as such, with a warning. Digits starting with the
 * default country's own calling code followed by a valid number are read as international too
 * (4915123456789 in Germany is +49 151 23456789). Mexico's pre-2019 mobile "1" ("+52 1 55 ...")
 * is dropped.
 *
 * Errors (value with e164 null, valid false): too short, too long, not valid for the country, no
 * country code and no default country, unknown country calling code, not a phone number.
 * Warning `phone_unverified`: the length is possible for the country but the number is not in a
 * range it assigns; the E.164 is still returned with valid false and type "unknown".
 */
export function normalizePhone(
	input: unknown,
	options: NormalizePhoneOptions = {},
): Normalized<NormalizedPhone> {
	const field = options.field ?? 'phone';
	let text: string;
	if (typeof input === 'string') {
		text = input;
	} else if (typeof input === 'number' || typeof input === 'bigint') {
		// Spreadsheets and JSON hand numbers over without + or leading zeros.
		text = String(input);
		if (typeof input === 'number' && (!Number.isSafeInteger(input) || input < 0)) {
			return rejected(field, 'phone_not_a_number', `${field} '${text}' is not a phone number`);
		}
	} else if (input === null || input === undefined) {
		return empty();
	} else {
		const kind = typeof input === 'object' ? 'an object' : `a ${typeof input}`;
		return rejected(field, 'phone_not_a_number', `${field} is ${kind}, not a phone number`);
	}

	const written = findWrittenNumber(text);
	if (!written) {
		if (PLACEHOLDER.test(text) || !LETTER.test(text)) return empty();
		return rejected(field, 'phone_not_a_number', `${field} '${shown(text)}' is not a phone number`);
	}

	const defaultCountry = resolveDefaultCountry(options.defaultCountry);
	const { reading, assumedInternational } = bestReading(written, defaultCountry.code);
	if (!reading) {
		const why = defaultCountry.given
			? `the default country '${defaultCountry.given}' ${defaultCountry.known ? 'has no phone numbering plan' : 'is not a country we know'}`
			: 'no default country was given';
		return rejected(
			field,
			'phone_no_country',
			`${field} '${shown(text)}' has no country code and ${why}`,
		);
	}
	if (reading.kind === 'rejected') {
		const rejection = REJECTIONS[reading.reason];
		return rejected(
			field,
			rejection.code,
			`${field} '${shown(text)}' ${rejection.problem(reading.place)}`,
		);
	}

	const warnings: FieldIssue[] = [];
	if (assumedInternational) {
		warnings.push(
			issue(
				field,
				'phone_assumed_international',
				`${field} '${shown(text)}' has no + or 00; read it as the international number ${reading.e164}`,
			),
		);
	}
	if (written.hasAnotherNumber) {
		warnings.push(
			issue(
				field,
				'phone_multiple_numbers',
				`${field} '${shown(text)}' holds more than one number; kept ${reading.e164}`,
			),
		);
	}
	const country = isoCountryOf(reading.region);
	if (reading.kind === 'possible') {
		const place = reading.region ?? placeOfCallingCode(reading.e164.slice(1));
		warnings.push(
			issue(
				field,
				'phone_unverified',
				`${field} '${shown(text)}' has a possible length for ${place} but is not in a range ${place} assigns; kept ${reading.e164} unverified`,
			),
		);
	}
	const valid = reading.kind === 'valid';
	return {
		value: {
			e164: reading.e164,
			country,
			type: valid ? (reading.type.toLowerCase() as PhoneType) : 'unknown',
			valid,
			extension: written.extension,
		},
		errors: [],
		warnings,
	};
}

/**
 * The first reading that is valid, in this order:
 * 1. as written: international, or national in the default country;
 * 2. "00 44 20 ...": 00 is the international prefix almost everywhere, even where the default
 *    country's own differs (011 in the US, which reading 1 already understands);
 * 3. "5511987654321": an international number that lost its + (spreadsheets, JSON numbers).
 * With no valid reading, the one as written (or after 00) decides the outcome; null when there is
 * none because a national number came without a default country.
 */
function bestReading(
	written: WrittenNumber,
	defaultCountry: string | undefined,
): { reading: Reading | null; assumedInternational: boolean } {
	const { digits, international } = written;
	let reading =
		international || defaultCountry ? read(digits, international, defaultCountry) : null;
	if (international || reading?.kind === 'valid' || digits.length < MIN_PHONE_DIGITS) {
		return { reading, assumedInternational: false };
	}
	if (digits.startsWith('00') && digits[2] !== '0') {
		const afterDoubleZero = read(digits.slice(2), true, undefined);
		if (afterDoubleZero.kind === 'valid' || !reading) reading = afterDoubleZero;
		if (reading.kind === 'valid') return { reading, assumedInternational: false };
	}
	if (digits[0] !== '0') {
		const withPlus = read(digits, true, undefined);
		if (withPlus.kind === 'valid') return { reading: withPlus, assumedInternational: true };
	}
	return { reading, assumedInternational: false };
}

function isoCountryOf(region: string | undefined): string | null {
	if (!region) return null;
	if (isoAlpha2Codes.has(region)) return region;
	return ISO_COUNTRY_FOR_PHONE_REGION[region] ?? null;
}

interface DefaultCountry {
	/** Usable for parsing: has a numbering plan in the metadata. */
	code: string | undefined;
	/** What the caller passed, for messages. */
	given: string | undefined;
	known: boolean;
}

const NO_DEFAULT_COUNTRY: DefaultCountry = { code: undefined, given: undefined, known: false };
const defaultCountries = new Map<string, DefaultCountry>();

/** Callers pass the same few default countries for a whole batch, so the answer is memoized. */
function resolveDefaultCountry(given: string | null | undefined): DefaultCountry {
	if (!given) return NO_DEFAULT_COUNTRY;
	let resolved = defaultCountries.get(given);
	if (!resolved) {
		const trimmed = given.trim();
		// libphonenumber's own region codes first: AC and TA are not ISO codes normalizeCountry knows.
		const code = metadataPlans[trimmed] ? trimmed : normalizeCountry(given).value;
		resolved = {
			code: code && metadataPlans[code] ? code : undefined,
			given: trimmed,
			known: code !== null,
		};
		if (defaultCountries.size < 1000) defaultCountries.set(given, resolved);
	}
	return resolved;
}

const REJECTIONS: Record<RejectionReason, { code: string; problem: (place: string) => string }> = {
	TOO_SHORT: { code: 'phone_too_short', problem: (place) => `is too short for ${place}` },
	TOO_LONG: { code: 'phone_too_long', problem: (place) => `is too long for ${place}` },
	INVALID_LENGTH: { code: 'phone_invalid', problem: (place) => `is not a valid ${place} number` },
	INVALID_COUNTRY: {
		code: 'phone_unknown_country_code',
		problem: () => 'does not start with a country calling code that exists',
	},
	NOT_A_NUMBER: { code: 'phone_not_a_number', problem: () => 'is not a phone number' },
};

function empty(): Normalized<NormalizedPhone> {
	return {
		value: { e164: null, country: null, type: null, valid: null, extension: null },
		errors: [],
		warnings: [],
	};
}

function rejected(field: string, code: string, message: string): Normalized<NormalizedPhone> {
	return {
		value: { e164: null, country: null, type: null, valid: false, extension: null },
		errors: [issue(field, code, message)],
		warnings: [],
	};
}

function shown(text: string): string {
	const trimmed = text.trim();
	return trimmed.length > MAX_SHOWN_LENGTH ? `${trimmed.slice(0, MAX_SHOWN_LENGTH)}…` : trimmed;
}
