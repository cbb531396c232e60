import type { FieldIssue, Normalized } from '../schema/issue';
import { issue } from '../schema/issue';

export interface NormalizedPersonName {
	first: string | null;
	last: string | null;
	/** first and last joined by a space. */
	full: string | null;
}

const WHITESPACE_RUN = /\s+/g;
const NEEDS_WHITESPACE_CLEANUP = /^\s|\s$|\s\s|[^\S ]/;
const UPPER_CASE_LETTER = /\p{Lu}/u;
const LOWER_CASE_LETTER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
/** What no name contains: one test for the common, clean case before telling the errors apart. */
const NOT_IN_NAMES = /[@\p{Nd}]/u;
const SINGLE_LETTER_APOSTROPHE = /^\p{L}['’]\p{L}/u;
const TRAILING_DOT = /\.$/;
const MAX_SHOWN_LENGTH = 80;

/** Surname particles, written lower case inside a name ("Maria da Silva", "Ludwig van Beethoven"). */
const PARTICLES = new Set([
	'da', 'das', 'de', 'del', 'della', 'di', 'do', 'dos', 'du', 'e', 'y', 'van', 'von', 'der', 'den', 'la', 'le', 'las', 'los',
	'bin', 'al', 'ten', 'ter',
]);
/**
 * Conjunctions between two surnames ("Souza e Silva", "Ortega y Gasset"). Lower case only from the
 * third word on: in second place a lone "E" or "Y" is usually a middle initial ("John E Smith").
 */
const CONJUNCTIONS = new Set(['e', 'y']);
/**
 * Articles, lower case only after another particle ("de la Cruz"). Alone they are usually part of
 * a capitalised surname ("Le Pen", "La Guardia").
 */
const ARTICLES = new Set(['la', 'le', 'las', 'los']);
const ROMAN_NUMERALS = new Set(['ii', 'iii', 'iv', 'vi', 'vii', 'viii']);
/**
 * What follows "Mac" in Scottish and Irish surnames written "MacX". Only these get the inner
 * capital: many names starting with "Mac" are not Gaelic patronymics (Macy, Mack, Macedo, Machado,
 * Maciel, Macias, Macario).
 */
const MAC_STEMS = new Set([
	'allister', 'alister', 'arthur', 'askill', 'bride', 'callum', 'carthy', 'dermott', 'donald', 'donnell', 'dougall', 'dowell',
	'farlane', 'gowan', 'gregor', 'guire', 'innes', 'intyre', 'isaac', 'iver', 'kay', 'kenna', 'kenzie', 'kinley', 'kinnon',
	'kintosh', 'lachlan', 'laren', 'laughlin', 'lean', 'lennan', 'leod', 'mahon', 'manus', 'millan', 'namara', 'neil',
	'pherson', 'phail', 'phee', 'queen', 'rae', 'ritchie',
]);
/** Forms of address dropped from the front of a name (English, Portuguese, Spanish, French, German). */
const HONORIFICS = new Set([
	'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'dra', 'prof', 'profa', 'sr', 'sra', 'srta', 'dame', 'rev', 'mme', 'mlle', 'herr', 'frau',
]);
/** Generational suffixes, kept at the end of the last name. */
const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'jnr', 'snr', 'ii', 'iii', 'iv']);

function upperCaseAt(text: string, index: number): string {
	return text.slice(0, index) + text.charAt(index).toUpperCase() + text.slice(index + 1);
}

/** One hyphen-free part of a name word, capitalised: "o'brien" -> "O'Brien", "MCDONALD" -> "McDonald". */
function capitalisePart(part: string): string {
	const lower = part.toLowerCase();
	const first = lower.search(LETTER);
	if (first < 0) return part;
	const capitalised = upperCaseAt(lower, first);
	const rest = lower.slice(first);
	// O'Brien, D'Angelo, N'Golo: one letter then an apostrophe. "D'" stays capital, as in D'Ávila typed all upper.
	if (SINGLE_LETTER_APOSTROPHE.test(rest)) return upperCaseAt(capitalised, first + 2);
	if (rest.startsWith('mc') && rest.length > 3) return upperCaseAt(capitalised, first + 2);
	if (rest.startsWith('mac') && MAC_STEMS.has(rest.slice(3))) return upperCaseAt(capitalised, first + 3);
	return capitalised;
}

function capitaliseWord(word: string): string {
	return word.includes('-') ? word.split('-').map(capitalisePart).join('-') : capitalisePart(word);
}

/** Whether the user chose the case: upper and lower case letters mixed ("DeShawn", "McKenzie", "da Silva"). */
function isMixedCase(word: string): boolean {
	return UPPER_CASE_LETTER.test(word) && LOWER_CASE_LETTER.test(word);
}

/**
 * Whether `words[index]`, at `position` in the whole name, is a particle to write lower case.
 * Never first or last: a particle leads into a surname, and "Da" or "Van" alone is a name.
 */
function isLowerCaseParticle(words: string[], index: number, position: number, lower: string): boolean {
	if (position === 0 || index === words.length - 1 || !PARTICLES.has(lower)) return false;
	if (CONJUNCTIONS.has(lower)) return position >= 2;
	if (ARTICLES.has(lower)) return index > 0 && PARTICLES.has(words[index - 1].toLowerCase());
	return true;
}

/**
 * Name words in display case. `offset` is the position of `words[0]` in the whole name: 0 for a
 * first name, the first name's word count for a last name ("da Silva" keeps its lower-case "da").
 */
function caseWords(words: string[], offset: number): string[] {
	return words.map((word, index) => {
		if (isMixedCase(word)) return word;
		const lower = word.toLowerCase();
		if (isLowerCaseParticle(words, index, index + offset, lower)) return lower;
		if (index + offset > 0 && ROMAN_NUMERALS.has(lower)) return word.toUpperCase();
		return capitaliseWord(word);
	});
}

function collapseWhitespace(text: string): string {
	return NEEDS_WHITESPACE_CLEANUP.test(text) ? text.replace(WHITESPACE_RUN, ' ').trim() : text;
}

/**
 * A person's name in display case. Spaces are collapsed and only words typed all upper or all
 * lower case are re-cased, so deliberate spellings ("DeShawn", "McKenzie", "LaToya", "di Maria")
 * stay as typed. Re-cased words are capitalised ("JOSÉ" -> "José", "ÁLVARO" -> "Álvaro"), per
 * hyphenated part ("Anne-Marie"), after a one-letter apostrophe ("O'Brien", "D'Angelo"), after
 * "Mc" ("McDonald") and after "Mac" only for known Gaelic stems ("MacArthur", but "Machado").
 * Particles inside the name are lower case ("Maria da Silva", "Ludwig van Beethoven", "Juan de la
 * Cruz"); roman numerals after the first word are upper case ("Henry Ford II").
 *
 * The input is read as a whole name: a last name on its own ("DA SILVA") starts with a capital
 * here; normalizePersonName cases a last name in the context of the first.
 */
export function titleCaseName(name: string): string {
	const tidy = collapseWhitespace(name);
	return tidy === '' ? '' : caseWords(tidy.split(' '), 0).join(' ');
}

function withoutHonorifics(words: string[]): string[] {
	let start = 0;
	while (start < words.length - 1 && HONORIFICS.has(words[start].toLowerCase().replace(TRAILING_DOT, ''))) start++;
	return start === 0 ? words : words.slice(start);
}

/** Moves generational suffixes from the end of `words` to the front of `suffixes`, keeping at least one word. */
function takeSuffixes(words: string[], suffixes: string[]): void {
	while (words.length > 1 && SUFFIXES.has(words[words.length - 1].toLowerCase())) suffixes.unshift(words.pop() as string);
}

/** Index of the first last-name word: the first particle after the first word ("Maria Clara | da Silva"), else 1. */
function lastNameStart(words: string[]): number {
	for (let index = 1; index < words.length - 1; index++) {
		const lower = words[index].toLowerCase();
		if (PARTICLES.has(lower) && !CONJUNCTIONS.has(lower)) return index;
	}
	return 1;
}

interface SplitName {
	first: string[];
	last: string[];
}

/**
 * Splits a whole name written in one field: "First Middle Last", "Last, First", with forms of
 * address dropped and generational suffixes kept on the last name ("John Smith, Jr.").
 */
function splitFullName(full: string): SplitName {
	const parts = full.includes(',')
		? full
				.split(',')
				.map((part) => part.trim())
				.filter((part) => part !== '')
		: [full];
	const suffixes: string[] = [];
	if (parts.length > 1) {
		const trailingPart = parts[parts.length - 1].split(' ');
		if (trailingPart.every((word) => SUFFIXES.has(word.toLowerCase()))) {
			suffixes.push(...trailingPart);
			parts.pop();
		}
	}
	if (parts.length > 1) {
		const first = withoutHonorifics(parts.slice(1).join(' ').split(' '));
		takeSuffixes(first, suffixes);
		return { first, last: [...parts[0].split(' '), ...suffixes] };
	}
	const words = withoutHonorifics(parts[0].split(' '));
	takeSuffixes(words, suffixes);
	// "John Jr.": with no last name, the suffix stays with the only name rather than being lost.
	if (words.length === 1) return { first: [...words, ...suffixes], last: [] };
	const start = lastNameStart(words);
	return { first: words.slice(0, start), last: [...words.slice(start), ...suffixes] };
}

function sameWords(a: string[], b: string[], bStart: number): boolean {
	for (let index = 0; index < a.length; index++) {
		if (a[index].toLowerCase() !== b[bStart + index]?.toLowerCase()) return false;
	}
	return true;
}

function hasIssueFor(issues: FieldIssue[], field: string): boolean {
	return issues.some((found) => found.field === field);
}

function shown(text: string): string {
	return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}

/** A name field's text with whitespace collapsed, null when empty or not a name (the error is recorded). */
function readName(value: unknown, field: string, errors: FieldIssue[]): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'number' || typeof value === 'bigint') {
		errors.push(issue(field, 'invalid_name', `${field} '${String(value)}' is a number, not a name`));
		return null;
	}
	if (typeof value !== 'string') {
		errors.push(issue(field, 'invalid_name', `${field} is not text (got ${Array.isArray(value) ? 'a list' : typeof value})`));
		return null;
	}
	const text = collapseWhitespace(value);
	if (text === '') return null;
	if (!NOT_IN_NAMES.test(text) && LETTER.test(text)) return text;
	let problem = 'has no letters';
	if (text.includes('@')) problem = 'is an email address';
	else if (DIGIT.test(text)) problem = 'contains digits';
	errors.push(issue(field, 'invalid_name', `${field} '${shown(text)}' ${problem}, not a name`));
	return null;
}

/**
 * A lead's first, last and full name from whichever of the three fields the source filled.
 *
 * - First and last given: each is cleaned (titleCaseName rules, forms of address such as "Mr",
 *   "Dra.", "Prof." dropped from the first name); a full name given as well is ignored.
 * - Only a full name: split. "Last, First" when it has a comma; else the last name starts at the
 *   first particle after the first word ("Maria Clara da Silva" -> "Maria Clara" / "da Silva",
 *   "Ludwig van Beethoven" -> "Ludwig" / "van Beethoven") or at the second word ("João Pedro
 *   Souza" -> "João" / "Pedro Souza": compound first names cannot be told from surnames).
 *   Suffixes stay on the last name ("John Smith Jr." -> "John" / "Smith Jr.").
 * - One of first or last plus a full name: the other is the rest of the full name.
 * - A first name holding a whole name ("John Smith") and nothing else: split as above, with
 *   warning `name_split`.
 * `full` is always first and last joined.
 *
 * Issues (fields first_name, last_name, full_name): error `invalid_name` for an email address,
 * digits or no letters in a name field (that field is then ignored); warning `last_name_missing`
 * when only a first name is known, `first_name_missing` when only a last name is.
 */
export function normalizePersonName(input: { first?: unknown; last?: unknown; full?: unknown }): Normalized<NormalizedPersonName> {
	const errors: FieldIssue[] = [];
	const warnings: FieldIssue[] = [];
	const firstText = readName(input.first, 'first_name', errors);
	const lastText = readName(input.last, 'last_name', errors);
	const fullText = readName(input.full, 'full_name', errors);

	let first = firstText === null ? [] : withoutHonorifics(firstText.split(' '));
	let last = lastText === null ? [] : lastText.split(' ');
	if ((first.length === 0 || last.length === 0) && fullText !== null) {
		const split = splitFullName(fullText);
		const fullWords = [...split.first, ...split.last];
		if (first.length > 0) {
			last = sameWords(first, fullWords, 0) ? fullWords.slice(first.length) : split.last;
		} else if (last.length > 0) {
			const firstLength = fullWords.length - last.length;
			// A full name that is the last name alone (a lead normalized before, with no first name) adds nothing.
			const fullIsLast = firstLength === 0 && sameWords(last, fullWords, 0);
			first = fullIsLast ? [] : firstLength > 0 && sameWords(last, fullWords, firstLength) ? fullWords.slice(0, firstLength) : split.first;
		} else {
			first = split.first;
			last = split.last;
		}
	}
	const firstHoldsWholeName = first.length > 1 && last.length === 0 && fullText === null;
	if (firstHoldsWholeName) {
		const split = splitFullName(first.join(' '));
		first = split.first;
		last = split.last;
	}

	const firstName = first.length === 0 ? null : caseWords(first, 0).join(' ');
	const lastName = last.length === 0 ? null : caseWords(last, Math.max(first.length, 1)).join(' ');
	if (firstHoldsWholeName && lastName !== null) {
		warnings.push(
			issue('first_name', 'name_split', `first_name '${shown(firstText as string)}' holds a whole name; split into first '${firstName}' and last '${lastName}'`),
		);
	}
	// A field whose value was rejected already has its error; "missing" would say less.
	if (firstName !== null && lastName === null && !hasIssueFor(errors, 'last_name')) {
		warnings.push(issue('last_name', 'last_name_missing', 'last_name is missing; only a first name was given'));
	}
	if (firstName === null && lastName !== null && !hasIssueFor(errors, 'first_name')) {
		warnings.push(issue('first_name', 'first_name_missing', 'first_name is missing; only a last name was given'));
	}
	const full = firstName !== null && lastName !== null ? `${firstName} ${lastName}` : (firstName ?? lastName);
	return { value: { first: firstName, last: lastName, full }, errors, warnings };
}
