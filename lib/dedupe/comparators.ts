import { companyMatchKey } from '../lead/company';
import { isFreeMailDomain, normalizeEmail } from '../lead/email';
import { normalizePhone } from '../lead/phone';
import { foldText } from '../lead/text';
import { areNicknameEquivalent, nicknameBlockNames } from './nicknames';
import { COMPARED_LENGTH, jaroWinkler, withinOneEdit } from './similarity';

export const COMPARATOR_TYPES = ['exact', 'email', 'emailTypo', 'emailDomain', 'phone', 'personName', 'company', 'text', 'date', 'number'] as const;
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
	if (a === b) return 1;
	// Name words repeat (a few hundred first names fill a list): each pair of words is scored once.
	const key = `${a}\u0000${b}`;
	let score = NAME_WORD_SCORES.get(key);
	if (score === undefined) {
		if (areNicknameEquivalent(a, b)) score = 1;
		else if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) score = 0.9;
		else score = jaroWinkler(a, b);
		if (NAME_WORD_SCORES.size >= MAX_NAME_WORD_SCORES) NAME_WORD_SCORES.clear();
		NAME_WORD_SCORES.set(key, score);
	}
	return score;
}

/** Scores of pairs of name words already compared; emptied when it reaches MAX_NAME_WORD_SCORES (bounded memory). */
const NAME_WORD_SCORES = new Map<string, number>();
const MAX_NAME_WORD_SCORES = 1 << 16;

/** Forgets the remembered scores of name words and texts: a matcher calls it when a match is done, so none outlives it. */
export function forgetComparedScores(): void {
	NAME_WORD_SCORES.clear();
	TEXT_SCORES.clear();
}

/** The weakest of the best matches each word of `shorter` finds in `longer`. */
function weakestWordMatch(shorter: string[], longer: string[], similarity: (a: string, b: string) => number): number {
	let weakest = 1;
	for (const token of shorter) {
		let best = 0;
		for (const other of longer) best = Math.max(best, similarity(token, other));
		weakest = Math.min(weakest, best);
		if (weakest === 0) break;
	}
	return weakest;
}

/** Names up to this many words have their neighbouring words joined to meet a shorter spelling. */
const MAX_JOINED_NAME_WORDS = 6;

/**
 * The words of a name with neighbouring words joined until it has `count` words: "mary ann smith"
 * to 2 gives "maryann smith" and "mary annsmith".
 */
function joinedWordings(tokens: string[], count: number): string[][] {
	if (tokens.length <= count) return [tokens];
	const wordings: string[][] = [];
	for (let at = 0; at < tokens.length - 1; at++) {
		const joined = [...tokens.slice(0, at), tokens[at] + tokens[at + 1], ...tokens.slice(at + 2)];
		wordings.push(...joinedWordings(joined, count));
	}
	return wordings;
}

/**
 * Person names (a first name, a last name or a full name): folded words; every word of the
 * shorter name must meet a word of the other (nickname, initial or Jaro-Winkler), in any order,
 * so "Bob Smith" = "Smith, Robert". The score is the weakest word's. Words split or joined
 * differently ("Mary Ann" / "Maryann", "da Silva" / "Dasilva") meet when neighbouring words of the
 * longer name are joined, still word by word: never as whole strings, or "Valentina Wilson" would
 * meet "Valentina da Silva" (0.885 joined).
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
		let score = weakestWordMatch(shorter, longer, nameTokenSimilarity);
		if (score === 1 || shorter.length === longer.length || longer.length > MAX_JOINED_NAME_WORDS) return score;
		for (const wording of joinedWordings(longer, shorter.length)) score = Math.max(score, weakestWordMatch(shorter, wording, nameTokenSimilarity));
		return score;
	},
	blockKeys(value) {
		// The initial only: typos past the first letter ("Cmila") must still meet their name.
		const first = value.tokens[0];
		const keys = [first[0]];
		for (const name of nicknameBlockNames(first)) keys.push(`~${name}`);
		return keys;
	},
};

export interface PreparedAddress {
	/** The address lower-cased (its match key when it is a valid address). */
	address: string;
	/** Valid addresses only: the mailbox as written (no +tag), the domain, and whether it is a free-mail one. */
	mailbox?: string;
	domain?: string;
	free?: boolean;
}

const MAILBOX_WORDS = /[^\p{L}\p{N}]+/u;
const TRAILING_NUMBER = /^(.*?)(\d*)$/;

/** Mailboxes of one provider: a number added, removed or changed beyond one digit is another account ("john.smith", "john.smith7"). */
function otherAccount(a: string, b: string): boolean {
	const [, stemA, numberA] = TRAILING_NUMBER.exec(a) as RegExpExecArray;
	const [, stemB, numberB] = TRAILING_NUMBER.exec(b) as RegExpExecArray;
	if (stemA !== stemB || numberA === numberB) return false;
	return numberA === '' || numberB === '' || !withinOneEdit(numberA, numberB);
}

/** Mailboxes of one domain: word by word when both have several words ("john.lee" is not "john.doyle"), else as a whole. */
function mailboxSimilarity(a: string, b: string): number {
	if (otherAccount(a, b)) return 0;
	const wordsA = a.split(MAILBOX_WORDS).filter((word) => word !== '');
	const wordsB = b.split(MAILBOX_WORDS).filter((word) => word !== '');
	const whole = jaroWinkler(a, b);
	if (wordsA.length < 2 || wordsA.length !== wordsB.length) return whole;
	return Math.min(whole, weakestWordMatch(wordsA, wordsB, jaroWinkler));
}

/**
 * Email addresses with typos allowed: equal addresses (Gmail dots and +tags ignored) score 1. Two
 * valid addresses at one domain compare their mailboxes only (the domain is shared by millions),
 * word by word; at two free-mail providers they are two accounts (0); a provider's numbering of
 * namesakes ("john.smith", "john.smith7") is another account, a digit mistyped is not. Anything
 * else (a typo in a company domain, an address too garbled to parse) scores Jaro-Winkler on the whole.
 */
const emailTypo: Comparator<PreparedAddress> = {
	keyed: false,
	defaultThreshold: 0.9,
	prepare(value) {
		const raw = comparedText(value);
		if (raw === null) return null;
		const email = normalizeEmail(raw).value;
		if (email.matchKey === null || email.email === null || email.domain === null) return { address: raw.toLowerCase() };
		// The mailbox as written, without a +tag: its dots part words even where the match key drops them (Gmail).
		const mailbox = email.email.slice(0, email.email.lastIndexOf('@')).replace(/\+.*$/, '');
		return { address: email.matchKey, mailbox, domain: email.domain, free: email.isFree === true };
	},
	similarity(a, b) {
		if (a.address === b.address) return 1;
		if (a.mailbox === undefined || b.mailbox === undefined) return jaroWinkler(a.address, b.address);
		if (a.domain === b.domain) return mailboxSimilarity(a.mailbox, b.mailbox);
		if (a.free && b.free) return 0;
		return Math.min(mailboxSimilarity(a.mailbox, b.mailbox), jaroWinkler(a.address, b.address));
	},
	// The mailbox's start, and its next letters: a typo in either still meets one.
	blockKeys: (value) => [value.address.slice(0, 3), `~${value.address.slice(3, 6)}`],
};

/** Street and connective words in one spelling: "Street" and "St." compare equal. */
const TEXT_ABBREVIATIONS: Record<string, string> = {
	street: 'st', avenue: 'ave', av: 'ave', boulevard: 'blvd', road: 'rd', drive: 'dr', place: 'pl', lane: 'ln', court: 'ct',
	square: 'sq', highway: 'hwy', parkway: 'pkwy', suite: 'ste', north: 'n', south: 's', east: 'e', west: 'w', and: '&',
};
/** Words too common to block on: candidates sharing only these are not worth comparing. */
const TEXT_STOP_WORDS = new Set(['st', 'ave', 'blvd', 'rd', 'dr', 'pl', 'ln', 'ct', 'ste', 'the', 'near', 'at', 'on', 'of', '&', 'de', 'la']);
/** At most this many words of a text give it block keys. */
const TEXT_KEY_WORDS = 4;
const DIGIT = /\d/;

export interface PreparedText {
	/** Folded words joined by single spaces. */
	text: string;
	words: string[];
}

/** Two text words: numbers (house numbers, suites) must be equal, other words may have a typo. */
function textWordSimilarity(a: string, b: string): number {
	if (a === b) return 1;
	return DIGIT.test(a) || DIGIT.test(b) ? 0 : jaroWinkler(a, b);
}

/** Scores of pairs of texts already compared; emptied when it reaches MAX_TEXT_SCORES (bounded memory). */
const TEXT_SCORES = new Map<string, number>();
const MAX_TEXT_SCORES = 1 << 16;

/** See freeText. */
function textSimilarity(a: PreparedText, b: PreparedText): number {
	const whole = jaroWinkler(a.text, b.text);
	const [shorter, longer] = a.words.length <= b.words.length ? [a.words, b.words] : [b.words, a.words];
	if (shorter.length < 2) return whole;
	// Much longer text is text appended ("... near hudson st."): the shorter must then be its start.
	const compared = shorter.length * 2 >= longer.length ? longer : longer.slice(0, shorter.length + 1);
	const contained = weakestWordMatch(shorter, compared, textWordSimilarity);
	return DIGIT.test(a.text) && contained < 1 ? Math.min(whole, contained) : Math.max(whole, contained);
}

/**
 * Free text (addresses, business names, cities, titles): folded words with street words
 * abbreviated. The score is the better of Jaro-Winkler on the whole and a word-set containment:
 * every word of the shorter text (two words at least) meets a word of the other, in any order,
 * so "bel-air hotel" = "hotel bel-air"; a text more than twice as long must start with the
 * shorter one's words, so "2 harrison st." = "2 harrison st. near hudson st. (in the hotel)". A number of one text missing from the other (a house number,
 * a suite) caps the score at the weaker of the two.
 */
const freeText: Comparator<PreparedText> = {
	keyed: false,
	defaultThreshold: 0.9,
	prepare(value) {
		const raw = comparedText(value);
		if (raw === null) return null;
		const words = foldText(raw)
			.split(/[^\p{L}\p{N}&]+/u)
			.filter((word) => word !== '')
			.map((word) => TEXT_ABBREVIATIONS[word] ?? word);
		return words.length === 0 ? null : { text: words.join(' '), words };
	},
	similarity(a, b) {
		if (a.text === b.text) return 1;
		// Texts repeat (cities, streets): each pair is scored once.
		const key = `${a.text}\u0000${b.text}`;
		let score = TEXT_SCORES.get(key);
		if (score === undefined) {
			score = textSimilarity(a, b);
			if (TEXT_SCORES.size >= MAX_TEXT_SCORES) TEXT_SCORES.clear();
			TEXT_SCORES.set(key, score);
		}
		return score;
	},
	blockKeys(value) {
		// The start of the text and of its first distinctive words: reordered words still meet.
		const keys = new Set([value.text.slice(0, 3)]);
		for (const word of value.words.slice(0, TEXT_KEY_WORDS)) if (word.length >= 3 && !TEXT_STOP_WORDS.has(word)) keys.add(word.slice(0, 3));
		return [...keys];
	},
};

/**
 * Registries and forms write 1 January (or 1 July) when the day is unknown: two people agreeing on
 * such a date share little more than a year. Equal placeholder dates score this, below the 1 of a
 * real date, so a rule can ask for a real one (the People preset's name + birth date pairs do).
 */
export const PLACEHOLDER_DATE_AGREEMENT = 0.96;

/** A real date with one part mistyped; one sharing two parts with a placeholder scores PLACEHOLDER_PART_AGREEMENT, below it. */
export const ONE_PART_MISTYPED = 0.75;
export const PLACEHOLDER_PART_AGREEMENT = 0.7;

function isPlaceholderDay({ month, day }: PreparedDate): boolean {
	return day === 1 && (month === 1 || month === 7);
}

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
 * part typed wrong 0.75 (0.7 when the other date is a placeholder).
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
		if (a.year === b.year && a.month === b.month && a.day === b.day) return isPlaceholderDay(a) ? PLACEHOLDER_DATE_AGREEMENT : 1;
		if (a.year === b.year && a.month === b.day && a.day === b.month) return 0.95;
		// Two placeholder days of different years share only the placeholder: not one date with a mistyped year.
		if (a.year !== b.year && isPlaceholderDay(a) && isPlaceholderDay(b)) return 0;
		const sameParts = Number(a.year === b.year) + Number(a.month === b.month) + Number(a.day === b.day);
		if (sameParts !== 2) return 0;
		// A placeholder's month or day is not known: sharing it with another date is weaker than a real date with one part mistyped.
		return isPlaceholderDay(a) || isPlaceholderDay(b) ? PLACEHOLDER_PART_AGREEMENT : ONE_PART_MISTYPED;
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
	emailTypo: emailTypo as Comparator<never>,
	emailDomain: keyedComparator(companyDomain) as Comparator<never>,
	phone: keyedComparator(phoneKey) as Comparator<never>,
	company: keyedComparator(companyKey) as Comparator<never>,
	personName: personName as Comparator<never>,
	text: freeText as Comparator<never>,
	date: date as Comparator<never>,
	number: numeric as Comparator<never>,
};

/** A prepared value as text to sort by (sorted neighbourhood in big blocks): a name's joined words, a text, a date's digits, a key. */
export function sortText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	const prepared = value as { joined?: string; text?: string; address?: string; year?: number; month?: number; day?: number };
	return prepared.joined ?? prepared.text ?? prepared.address ?? `${prepared.year}-${prepared.month}-${prepared.day}`;
}

/** Whether a similarity reaches a comparison's threshold (for numbers: the difference is within the tolerance). */
export function reachesThreshold(type: ComparatorType, similarity: number, threshold: number): boolean {
	return type === 'number' ? -similarity <= threshold : similarity >= threshold;
}
