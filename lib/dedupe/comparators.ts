import { companyMatchKey } from '../lead/company';
import { isFreeMailDomain, normalizeEmail } from '../lead/email';
import { normalizePhone } from '../lead/phone';
import { foldText } from '../lead/text';
import { areNicknameEquivalent, nicknameBlockNames } from './nicknames';
import { COMPARED_LENGTH, jaroWinkler } from './similarity';

export const COMPARATOR_TYPES = ['exact', 'email', 'emailDomain', 'phone', 'personName', 'company', 'text', 'date', 'number'] as const;
export type ComparatorType = (typeof COMPARATOR_TYPES)[number];

export interface ComparatorContext {
	/** Country for phone numbers written without a country code. */
	defaultCountry?: string;
}

/**
 * How one kind of value is compared. `prepare` turns a raw field value into the compared form once
 * per record (null: missing or unusable); `similarity` scores two prepared values 0..1; a rule's
 * comparison agrees when the score reaches its threshold. `blockKeys` gives coarse keys that two
 * agreeing values share (nearly always), so candidate pairs are found without comparing all pairs.
 * `keyed` comparators agree exactly when their single block key is equal.
 */
export interface Comparator<P = unknown> {
	keyed: boolean;
	defaultThreshold: number;
	prepare(value: unknown, context: ComparatorContext): P | null;
	similarity(a: P, b: P): number;
	blockKeys(value: P): string[];
}

const WHITESPACE_RUN = /\s+/g;
const NAME_SEPARATORS = /[^\p{L}\p{N}]+/u;

/**
 * Longest text any comparator reads, from the start of the value: far beyond a real email, phone
 * or company name, and it keeps the normalizers' work per record bounded whatever is sent.
 */
const READ_LENGTH = 1024;

function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const trimmed = (value.length > READ_LENGTH ? value.slice(0, READ_LENGTH) : value).trim();
	return trimmed === '' ? null : trimmed;
}

/** Text for the Jaro-Winkler comparators, which are quadratic in its length: only its first COMPARED_LENGTH characters. */
function comparedText(value: unknown): string | null {
	return text(value)?.slice(0, COMPARED_LENGTH) ?? null;
}

/** A comparator whose prepared form is a string key compared for equality. */
function keyedComparator(prepare: (value: unknown, context: ComparatorContext) => string | null): Comparator<string> {
	return {
		keyed: true,
		defaultThreshold: 1,
		prepare,
		similarity: (a, b) => (a === b ? 1 : 0),
		blockKeys: (value) => [value],
	};
}

function emailKey(value: unknown): string | null {
	const address = text(value);
	return address === null ? null : normalizeEmail(address).value.matchKey;
}

/** The domain of an address or a bare domain, when it is not a free-mail one: a company's domain. */
function companyDomain(value: unknown): string | null {
	const raw = text(value);
	if (raw === null) return null;
	const domain = (raw.includes('@') ? (normalizeEmail(raw).value.domain ?? '') : raw.toLowerCase().replace(/^www\./, '')).trim();
	return domain === '' || isFreeMailDomain(domain) ? null : domain;
}

function phoneKey(value: unknown, context: ComparatorContext): string | null {
	const raw = text(value);
	if (raw === null) return null;
	const e164 = normalizePhone(raw, { defaultCountry: context.defaultCountry }).value.e164;
	if (e164 !== null) return e164;
	// Unparseable numbers (no country known): compare their digits, if there are enough to mean something.
	const digits = raw.replace(/\D/g, '');
	return digits.length >= 7 ? digits : null;
}

function companyKey(value: unknown): string | null {
	const raw = text(value);
	if (raw === null) return null;
	const key = companyMatchKey(raw).replace(WHITESPACE_RUN, '');
	return key === '' ? null : key;
}

export interface PreparedName {
	tokens: string[];
	joined: string;
}

/** Similarity of two name words: nicknames count as equal, an initial as 0.9 when it fits, else Jaro-Winkler. */
function nameTokenSimilarity(a: string, b: string): number {
	if (a === b || areNicknameEquivalent(a, b)) return 1;
	if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 0.9;
	return jaroWinkler(a, b);
}

/**
 * Person names (a first name, a last name or a full name): folded words; every word of the
 * shorter name must meet a word of the other (nickname, initial or Jaro-Winkler), in any order,
 * so "Bob Smith" = "Smith, Robert". The score is the weakest word's.
 */
const personName: Comparator<PreparedName> = {
	keyed: false,
	defaultThreshold: 0.88,
	prepare(value) {
		const raw = comparedText(value);
		if (raw === null) return null;
		const tokens = foldText(raw).split(NAME_SEPARATORS).filter((token) => token !== '');
		return tokens.length === 0 ? null : { tokens, joined: tokens.join('') };
	},
	similarity(a, b) {
		if (a.joined === b.joined) return 1;
		const [shorter, longer] = a.tokens.length <= b.tokens.length ? [a.tokens, b.tokens] : [b.tokens, a.tokens];
		let weakest = 1;
		for (const token of shorter) {
			let best = 0;
			for (const other of longer) best = Math.max(best, nameTokenSimilarity(token, other));
			weakest = Math.min(weakest, best);
			if (weakest === 0) break;
		}
		// Words split or joined differently ("Mary Ann" / "Maryann") still compare as wholes; names with
		// as many words do not, or "Olivia Perez" would meet "Olivia Oliveira" on their shared start.
		return a.tokens.length === b.tokens.length ? weakest : Math.max(weakest, jaroWinkler(a.joined, b.joined));
	},
	blockKeys(value) {
		// The initial only: typos past the first letter ("Cmila") must still meet their name.
		const first = value.tokens[0];
		const keys = [first[0]];
		for (const name of nicknameBlockNames(first)) keys.push(`~${name}`);
		return keys;
	},
};

/** Free text (addresses, cities, titles): folded and squeezed, Jaro-Winkler. */
const freeText: Comparator<string> = {
	keyed: false,
	defaultThreshold: 0.9,
	prepare(value) {
		const raw = comparedText(value);
		if (raw === null) return null;
		const folded = foldText(raw).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
		return folded === '' ? null : folded;
	},
	similarity: (a, b) => jaroWinkler(a, b),
	blockKeys: (value) => [value.slice(0, 3)],
};

export interface PreparedDate {
	year: number;
	month: number;
	day: number;
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_FIRST_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/**
 * Dates of birth and the like: ISO (2020-03-04, with or without time), compact (20200304) or
 * day-first (04/03/2020). Day and month swapped (a US form read as day-first) scores 0.95, one
 * part typed wrong 0.7.
 */
const date: Comparator<PreparedDate> = {
	keyed: false,
	defaultThreshold: 0.9,
	prepare(value) {
		const raw = text(value);
		if (raw === null) return null;
		let match = ISO_DATE.exec(raw) ?? COMPACT_DATE.exec(raw);
		let parts: [number, number, number] | null = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
		if (parts === null && (match = DAY_FIRST_DATE.exec(raw))) parts = [Number(match[3]), Number(match[2]), Number(match[1])];
		if (parts === null || parts[1] < 1 || parts[2] < 1 || parts[1] > 31 || parts[2] > 31) return null;
		return { year: parts[0], month: parts[1], day: parts[2] };
	},
	similarity(a, b) {
		if (a.year === b.year && a.month === b.month && a.day === b.day) return 1;
		if (a.year === b.year && a.month === b.day && a.day === b.month) return 0.95;
		const sameParts = Number(a.year === b.year) + Number(a.month === b.month) + Number(a.day === b.day);
		return sameParts === 2 ? 0.7 : 0;
	},
	// Swapped day and month share the first key; dates with one part wrong share one of the others.
	blockKeys: (value) => [
		`${value.year}-${Math.min(value.month, value.day)}-${Math.max(value.month, value.day)}`,
		`y${value.year}m${value.month}`,
		`y${value.year}d${value.day}`,
		`m${value.month}d${value.day}`,
	],
};

/** Numbers: the threshold is the absolute difference allowed (0: equal). */
const numeric: Comparator<number> = {
	keyed: false,
	defaultThreshold: 0,
	prepare(value) {
		const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
		return Number.isFinite(number) ? number : null;
	},
	// Negated distance: callers compare it with the negated tolerance (see comparisonAgrees).
	similarity: (a, b) => -Math.abs(a - b),
	blockKeys: (value) => [String(Math.round(value))],
};

export const COMPARATORS: Record<ComparatorType, Comparator<never>> = {
	exact: keyedComparator(text) as Comparator<never>,
	email: keyedComparator(emailKey) as Comparator<never>,
	emailDomain: keyedComparator(companyDomain) as Comparator<never>,
	phone: keyedComparator(phoneKey) as Comparator<never>,
	company: keyedComparator(companyKey) as Comparator<never>,
	personName: personName as Comparator<never>,
	text: freeText as Comparator<never>,
	date: date as Comparator<never>,
	number: numeric as Comparator<never>,
};

/** Whether a similarity reaches a comparison's threshold (for numbers: the difference is within the tolerance). */
export function reachesThreshold(type: ComparatorType, similarity: number, threshold: number): boolean {
	return type === 'number' ? -similarity <= threshold : similarity >= threshold;
}
