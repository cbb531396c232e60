import type { FieldIssue, Normalized } from '../schema/issue';
import { issue } from '../schema/issue';
import legalSuffixData from './data/legal-suffixes.json';

export interface NormalizedCompany {
	/** The name for display: tidied, re-cased only when it was typed all upper or all lower case. */
	company: string | null;
	/** See companyMatchKey. */
	matchKey: string | null;
}

/** Any UTF-16 code unit outside ASCII, surrogate halves included. */
const NON_ASCII = /[\u0080-\uffff]/;
/** The combining accents of Latin letters; marks of other scripts are part of their letters and stay. */
const COMBINING_ACCENTS = /[\u0300-\u036f]/g;
/** Letters NFD does not decompose into a base letter plus a mark. */
const UNDECOMPOSABLE_LETTERS = /[ßæøœłđðþı]/g;
const UNDECOMPOSABLE_LETTER_FOLDS: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	ø: 'o',
	œ: 'oe',
	ł: 'l',
	đ: 'd',
	ð: 'd',
	þ: 'th',
	ı: 'i',
};
const AMPERSAND = /&/g;
/**
 * Punctuation inside abbreviations and possessives, dropped without a space so that "S.A." and
 * "SA", "S/A" and "SA", "McDonald's" and "McDonalds" give the same words.
 */
const JOINING_PUNCTUATION = /[.'’‘`´ʼ/]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const SINGLE_LETTER = /^\p{L}$/u;

/** Lower-case, accents folded, "&" read as "and", words of letters and digits. */
function matchWords(name: string): string[] {
	let text = name.toLowerCase();
	if (NON_ASCII.test(text)) {
		text = text
			.replace(UNDECOMPOSABLE_LETTERS, (letter) => UNDECOMPOSABLE_LETTER_FOLDS[letter])
			.normalize('NFD')
			.replace(COMBINING_ACCENTS, '');
	}
	if (text.includes('&')) text = text.replace(AMPERSAND, ' and ');
	const words: string[] = [];
	let previousWasInitial = false;
	for (const word of text.replace(JOINING_PUNCTUATION, '').split(SEPARATORS)) {
		if (word === '') continue;
		const isInitial = word.length === 1 && SINGLE_LETTER.test(word);
		// "J. P. Morgan" and "S. A." spell the same initials as "J.P. Morgan" and "S.A.": join them.
		if (isInitial && previousWasInitial) words[words.length - 1] += word;
		else words.push(word);
		previousWasInitial = isInitial;
	}
	return words;
}

/** Legal forms, each as its match words joined by one space ("s de rl de cv"). */
const LEGAL_SUFFIXES = new Set<string>();
/** Last words of the legal forms: a name whose last word is not one of them needs no suffix search. */
const LEGAL_SUFFIX_LAST_WORDS = new Set<string>();
let longestLegalSuffixWords = 0;
for (const term of [...legalSuffixData.cleanco, ...legalSuffixData.added]) {
	const words = matchWords(term);
	LEGAL_SUFFIXES.add(words.join(' '));
	LEGAL_SUFFIX_LAST_WORDS.add(words[words.length - 1]);
	longestLegalSuffixWords = Math.max(longestLegalSuffixWords, words.length);
}

/**
 * Number of trailing words of `words[start..end)` that form the longest legal suffix, 0 when none
 * does. At least one word must stay: "Limited" or "SA" alone keeps its key.
 */
function legalSuffixLength(words: string[], start: number, end: number): number {
	if (!LEGAL_SUFFIX_LAST_WORDS.has(words[end - 1])) return 0;
	const longest = Math.min(longestLegalSuffixWords, end - start - 1);
	let found = 0;
	let candidate = '';
	for (let length = 1; length <= longest; length++) {
		const word = words[end - length];
		candidate = length === 1 ? word : `${word} ${candidate}`;
		if (LEGAL_SUFFIXES.has(candidate)) found = length;
	}
	return found;
}

/**
 * The company name reduced for matching: lower-case, accents folded, "&" read as "and",
 * punctuation removed, runs of initials joined ("J. P." = "JP"), a leading "the" dropped and legal
 * forms removed from the end, repeatedly ("Acme Comércio Ltda - ME" -> "acme comercio"). Words are
 * separated by one space; compare without spaces if "Data Dog" and "Datadog" should meet.
 *
 * Only legal-form terms are removed, never descriptive words ("Holdings", "Group", "Brasil"): two
 * companies differing only in those are usually different entities. At least one word is always
 * kept, so "Limited" alone gives "limited". Legal forms are recognised only at the end: forms
 * written first ("PT Bank ...", "OOO ...") are kept.
 */
export function companyMatchKey(name: string): string {
	const words = matchWords(name);
	const start = words.length > 1 && words[0] === 'the' ? 1 : 0;
	let end = words.length;
	for (let suffix = legalSuffixLength(words, start, end); suffix > 0; suffix = legalSuffixLength(words, start, end)) {
		end -= suffix;
	}
	return start === 0 && end === words.length ? words.join(' ') : words.slice(start, end).join(' ');
}

const WHITESPACE_RUN = /\s+/g;
const NEEDS_WHITESPACE_CLEANUP = /^\s|\s$|\s\s|[^\S ]/;
const WRAPPING_QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '«': '»', '„': '“' };
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const UPPER_CASE_LETTER = /\p{Lu}/u;
const LOWER_CASE_LETTER = /\p{Ll}/u;
const LETTERS = /\p{L}/gu;
const TWO_LETTERS = /\p{L}.*\p{L}/u;
const FIRST_LETTER = /\p{L}/u;
const DIGIT = /\d/;
const VOWEL = /[aeiouyà-æè-ïò-öø-ý]/;
/** Single letters with dots or slashes: "S.A.", "S/A", "C.V.", "S.R.L." are written upper case. */
const DOTTED_INITIALS = /^(?:\p{L}[./])+\p{L}?\.?$/u;
/** Brackets, quotes and list punctuation around a word, kept as they are while the word is re-cased. */
const WORD_AFFIXES = /^([("'“‘]*)(.*?)([)"'”’,;:!?]*)$/u;
const HAS_AFFIX = /^[("'“‘]|[)"'”’,;:!?]$/u;
/** An all-upper one-word name this short is taken as an acronym and kept: "IBM", "SAP", "UOL". */
const ACRONYM_MAX_LETTERS = 4;

function spellingsByLowerCase(spellings: string[]): Map<string, string> {
	return new Map(spellings.map((spelling) => [spelling.toLowerCase(), spelling]));
}

/** Legal forms and abbreviations whose usual spelling is not title case. */
const USUAL_SPELLINGS = spellingsByLowerCase([
	'SA', 'AG', 'AB', 'ApS', 'BV', 'NV', 'KG', 'KGaA', 'OHG', 'GbR', 'GmbH', 'mbH', 'UG', 'e.K.', 'LLC', 'LLP', 'LP',
	'PLC', 'PLLC', 'Ltd', 'Ltd.', 'Pvt', 'Pvt.', 'Pte', 'Pte.', 'Pty', 'Pty.', 'Bhd', 'Bhd.', 'Sdn', 'EPP', 'EIRELI',
	'EIRL', 'SAS', 'SASU', 'SARL', 'EURL', 'SRL', 'SL', 'SLU', 'SAU', 'SAC', 'S.p.A.', 'SGPS', 'OÜ', 'Oy', 'Oyj', 'KK',
	'St', 'St.', 'Dr', 'Dr.', 'Mr', 'Mr.', 'Jr', 'Jr.', 'Sr', 'Sr.',
]);
/** Legal forms that are also everyday words (Portuguese "se", "as", "me", "asa"): spelled so only as the last word. */
const LAST_WORD_SPELLINGS = spellingsByLowerCase(['SE', 'AS', 'ASA', 'ME', 'MEI']);
/** Joining words written lower case inside a name ("Banco do Brasil", "Bank of America"). */
const CONNECTORS = new Set(['de', 'da', 'do', 'das', 'dos', 'del', 'e', 'y', 'of', 'and', 'the', 'for', 'und', 'et', 'di', 'du', 'van', 'von', 'der', 'den']);
/** Articles written lower case after a connector ("Banco de la Nación"), capitalised elsewhere ("La Rochelle"). */
const ARTICLES = new Set(['la', 'las', 'los', 'el', 'le', 'les']);
const SINGLE_LETTER_APOSTROPHE = /^\p{L}['’]\p{L}/u;

interface WordPosition {
	isFirst: boolean;
	isLast: boolean;
	afterConnector: boolean;
}

function capitalise(word: string): string {
	const lower = word.toLowerCase();
	const first = lower.search(FIRST_LETTER);
	if (first < 0) return lower;
	const capitalised = lower.slice(0, first) + lower.charAt(first).toUpperCase() + lower.slice(first + 1);
	// "O'REILLY" -> "O'Reilly", "D'ÁVILA" -> "D'Ávila"; "MCDONALD'S" -> "Mcdonald's".
	return SINGLE_LETTER_APOSTROPHE.test(capitalised)
		? capitalised.slice(0, 2) + capitalised.charAt(2).toUpperCase() + capitalised.slice(3)
		: capitalised;
}

/** One hyphen-free part of a word of an all-upper or all-lower name, in display case. */
function recasePart(part: string, position: WordPosition): string {
	const lower = part.toLowerCase();
	const usual = USUAL_SPELLINGS.get(lower) ?? (position.isLast ? LAST_WORD_SPELLINGS.get(lower) : undefined);
	if (usual !== undefined) return usual;
	if (DOTTED_INITIALS.test(part)) return part.toUpperCase();
	const inside = !position.isFirst && !position.isLast;
	if (inside && (CONNECTORS.has(lower) || (position.afterConnector && ARTICLES.has(lower)))) return lower;
	// Words of two or more letters without a vowel are acronyms: "BMW", "KPMG", "HSBC", "3M".
	if (!VOWEL.test(lower) && (DIGIT.test(lower) || TWO_LETTERS.test(lower))) return part.toUpperCase();
	return capitalise(part);
}

function recaseCore(core: string, position: WordPosition): string {
	return core.includes('-')
		? core
				.split('-')
				.map((part) => recasePart(part, position))
				.join('-')
		: recasePart(core, position);
}

function recaseWord(word: string, position: WordPosition): string {
	if (!HAS_AFFIX.test(word)) return recaseCore(word, position);
	const [, opening, core, closing] = WORD_AFFIXES.exec(word) as RegExpExecArray;
	return opening + recaseCore(core, position) + closing;
}

/** Title case for a name typed all upper or all lower case, keeping legal forms and acronyms in their usual spelling. */
function recaseCompany(name: string): string {
	const words = name.split(' ');
	let afterConnector = false;
	for (let index = 0; index < words.length; index++) {
		const word = words[index];
		const position: WordPosition = { isFirst: index === 0, isLast: index === words.length - 1, afterConnector };
		words[index] = recaseWord(word, position);
		afterConnector = !position.isFirst && CONNECTORS.has(word.toLowerCase());
	}
	return words.join(' ');
}

/** Whether the name's case is worth keeping: it mixes upper and lower case letters ("iFood", "McKinsey & Company"). */
function isMixedCase(name: string): boolean {
	return UPPER_CASE_LETTER.test(name) && LOWER_CASE_LETTER.test(name);
}

function isShortAcronym(name: string): boolean {
	if (name.includes(' ') || LOWER_CASE_LETTER.test(name)) return false;
	const letters = name.match(LETTERS);
	return letters !== null && letters.length <= ACRONYM_MAX_LETTERS;
}

/** Values forms use for "no company"; compared lower-case, accents kept. */
const PLACEHOLDERS = new Set([
	'n/a', 'na', 'n.a.', 'none', 'null', 'nil', 'undefined', 'not applicable', '-', 'no', 'nao', 'não', 'não se aplica',
	'nenhuma', 'nenhum', 'ninguna', 'ninguno', 'no aplica', 'x', 'xx', 'xxx',
]);

const LONGEST_PLACEHOLDER = Math.max(...[...PLACEHOLDERS].map((placeholder) => placeholder.length));

/** Display form of a company name: whitespace collapsed, wrapping quotes removed. */
function tidyCompany(text: string): string {
	const tidy = NEEDS_WHITESPACE_CLEANUP.test(text) ? text.replace(WHITESPACE_RUN, ' ').trim() : text;
	const closingQuote = WRAPPING_QUOTES[tidy.charAt(0)];
	if (closingQuote === undefined || tidy.length <= 2 || !tidy.endsWith(closingQuote)) return tidy;
	const inner = tidy.slice(1, -1);
	// '"Acme" e "Beta"' starts and ends with quotes without being wrapped in them.
	return inner.includes(closingQuote) ? tidy : inner.trim();
}

/**
 * A lead's company name for display plus its match key (companyMatchKey).
 *
 * The display form keeps the case the user typed unless the whole name is upper or lower case
 * (exports from registries such as Brazil's Receita Federal are all upper case): then each word
 * is title-cased, except legal forms in their usual spelling ("ACME LTDA" -> "Acme Ltda",
 * "acme gmbh" -> "Acme GmbH", "ACME S.A." -> "Acme S.A."), connectors in lower case ("Banco do
 * Brasil") and words without vowels upper case ("BMW", "KPMG"). Short words with vowels cannot be
 * told from acronyms ("bar", "sol", "ibm"): they are title-cased, except a one-word all-upper name
 * of up to four letters, kept as typed ("IBM", "SAP").
 *
 * Issues: warning `company_placeholder` when the value says there is no company ("N/A", "-",
 * "none", "não") and the company is left empty; error `invalid_company` when it is not text.
 */
export function normalizeCompany(input: unknown, field = 'company'): Normalized<NormalizedCompany> {
	const result: Normalized<NormalizedCompany> = { value: { company: null, matchKey: null }, errors: [], warnings: [] };
	if (input === undefined || input === null) return result;
	let text: string;
	if (typeof input === 'string') text = input;
	else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
	else {
		result.errors.push(invalidCompany(field, input));
		return result;
	}
	const tidy = tidyCompany(text);
	if (tidy === '') return result;
	if (!HAS_LETTER_OR_DIGIT.test(tidy) || (tidy.length <= LONGEST_PLACEHOLDER && PLACEHOLDERS.has(tidy.toLowerCase()))) {
		result.warnings.push(issue(field, 'company_placeholder', `${field} '${tidy}' means no company; left empty`));
		return result;
	}
	const company = isMixedCase(tidy) || isShortAcronym(tidy) ? tidy : recaseCompany(tidy);
	result.value = { company, matchKey: companyMatchKey(company) };
	return result;
}

function invalidCompany(field: string, input: unknown): FieldIssue {
	const kind = Array.isArray(input) ? 'a list' : typeof input;
	return issue(field, 'invalid_company', `${field} is not text (got ${kind})`);
}
