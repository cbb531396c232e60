import type { ComparatorType } from './comparators';
import { ONE_PART_MISTYPED, PLACEHOLDER_DATE_AGREEMENT } from './comparators';

/** Where a comparison reads its value: the first non-blank of these fields (matched ignoring case, spaces and punctuation). */
export interface FieldSource {
	fields: string[];
	/** Fields whose non-blank values are joined by a space instead ("street_number" + "address_1"). */
	join?: boolean;
	/** With join: fewer non-blank fields than this make the value missing (a first name alone is no full name). */
	minParts?: number;
}

export interface Comparison {
	/** Name shown in match explanations ("email", "first_name"). */
	label: string;
	source: FieldSource;
	type: ComparatorType;
	/** Minimum similarity to agree (for numbers: largest difference allowed); the comparator's default when omitted. */
	threshold?: number;
	/**
	 * Levels of the comparator that do not agree even above the threshold: a level weaker evidence
	 * than it scores for this rule (an equal 1 January birth date says only the year).
	 */
	excludedLevels?: readonly number[];
}

/** A rule matches two records when every one of its comparisons agrees. Records match when any rule does. */
export interface MatchRule {
	name: string;
	comparisons: Comparison[];
	/**
	 * The rule compares no identity field (names and places only): when the records holding exactly
	 * its values contradict each other (two John Smiths of London born years apart), those values
	 * identify no one, and records holding them are not matched by this rule.
	 */
	namesakeProne?: boolean;
	/**
	 * Comparisons that stop the rule from matching when both records hold a value and the values
	 * disagree: weak evidence needs nothing speaking against it (two John Joneses born in 1970, one
	 * of Luton, one of London).
	 */
	unlessDifferent?: Comparison[];
}

const FIELDS = {
	email: { fields: ['email_match_key', 'email', 'email_address', 'e-mail', 'mail', 'correo', 'correo_electronico'] },
	phone: { fields: ['phone', 'phone_number', 'telephone', 'tel', 'mobile', 'mobile_phone', 'cell', 'telefone', 'telefono', 'celular', 'whatsapp'] },
	fullName: { fields: ['full_name', 'name', 'nome', 'nombre', 'contact_name'] },
	firstName: { fields: ['first_name', 'given_name', 'firstname', 'forename', 'primeiro_nome', 'nombre_de_pila'] },
	lastName: { fields: ['last_name', 'surname', 'family_name', 'lastname', 'sobrenome', 'apellido', 'apellidos'] },
	company: { fields: ['company_match_key', 'company', 'company_name', 'organization', 'organisation', 'account', 'empresa', 'account_name'] },
	emailDomain: { fields: ['email_match_key', 'email', 'email_address', 'website_domain', 'website'] },
	dob: { fields: ['date_of_birth', 'dob', 'birth_date', 'birthdate', 'birthday', 'data_de_nascimento', 'fecha_de_nacimiento'] },
	identifier: { fields: ['soc_sec_id', 'ssn', 'national_id', 'identifier', 'tax_id', 'cpf', 'dni', 'nif', 'passport'] },
	street: { fields: ['street_number', 'address_1', 'address', 'street', 'address_line_1', 'endereco', 'direccion'], join: true },
	postcode: { fields: ['postcode', 'postal_code', 'zip', 'zip_code', 'cep', 'codigo_postal'] },
	// A birth place is a place the records of one person share, as a city is (registries and people-data sets give it).
	city: { fields: ['city', 'suburb', 'town', 'cidade', 'ciudad', 'locality', 'birth_place', 'place_of_birth', 'birthplace'] },
} satisfies Record<string, FieldSource>;

/**
 * Fields on which two records can contradict each other (see `contradiction.ts`): a chain of
 * matches never merges records holding different birth dates, identifiers or company emails.
 */
export const CANNOT_LINK_FIELDS = { date_of_birth: FIELDS.dob, identifier: FIELDS.identifier, email: FIELDS.email } as const;

/** Person name + something else: the full name when given, else first and last joined. */
const PERSON_NAME: FieldSource = { fields: [...FIELDS.fullName.fields] };
const FIRST_AND_LAST: FieldSource = { fields: [...FIELDS.firstName.fields, ...FIELDS.lastName.fields], join: true, minParts: 2 };

export type B2bRuleId = 'email' | 'phone' | 'nameCompany' | 'nameDomain' | 'domain';

/** The rules applied when no choice is made: "domain" alone would merge colleagues, so it is off. */
export const DEFAULT_B2B_RULES: readonly B2bRuleId[] = ['email', 'phone', 'nameCompany', 'nameDomain'];

/**
 * B2B leads: the same normalized email (Gmail dots and +tags ignored); the same E.164 phone; the
 * same person (nicknames, typos) at the same company (legal suffixes ignored); the same person at
 * the same non-free-mail email domain; and, for account-level dedupe only, the same company domain.
 */
export function b2bRules(ruleIds: readonly B2bRuleId[] = DEFAULT_B2B_RULES): MatchRule[] {
	const name = (label: string, source: FieldSource): Comparison => ({ label, source, type: 'personName' });
	const all: Record<B2bRuleId, MatchRule[]> = {
		email: [{ name: 'email', comparisons: [{ label: 'email', source: FIELDS.email, type: 'email' }] }],
		phone: [{ name: 'phone', comparisons: [{ label: 'phone', source: FIELDS.phone, type: 'phone' }] }],
		nameCompany: [
			{
				name: 'name + company',
				comparisons: [name('name', PERSON_NAME), { label: 'company', source: FIELDS.company, type: 'company' }],
			},
			{
				name: 'name + company',
				comparisons: [name('name', FIRST_AND_LAST), { label: 'company', source: FIELDS.company, type: 'company' }],
			},
		],
		nameDomain: [
			{
				name: 'name + email domain',
				comparisons: [name('name', PERSON_NAME), { label: 'email_domain', source: FIELDS.emailDomain, type: 'emailDomain' }],
			},
			{
				name: 'name + email domain',
				comparisons: [name('name', FIRST_AND_LAST), { label: 'email_domain', source: FIELDS.emailDomain, type: 'emailDomain' }],
			},
		],
		domain: [{ name: 'email domain', comparisons: [{ label: 'email_domain', source: FIELDS.emailDomain, type: 'emailDomain' }] }],
	};
	return ruleIds.flatMap((id) => all[id]);
}

/** Every way to choose `size` of `items`, in order. */
function combinations<T>(items: readonly T[], size: number): T[][] {
	if (size === 0) return [[]];
	const result: T[][] = [];
	for (let first = 0; first <= items.length - size; first++) {
		for (const rest of combinations(items.slice(first + 1), size - 1)) result.push([items[first], ...rest]);
	}
	return result;
}

/**
 * People (patients, customers, members): records match when three of first name, last name,
 * date of birth (one part may be mistyped, not the month or day of a placeholder; an equal
 * 1 January or 1 July is only a year and does not count), identifier, email, phone, street
 * address, postcode and city agree, at least one of them being about the person rather than the place (so
 * two people of one household do not merge); or on two strong fields: the whole name with a birth
 * date at most one part off (with an equal placeholder, only when the records do not give
 * different cities), the email (a typo allowed) with the birth date or a name, or one name with the
 * exact birth date, not a placeholder. That last pair suits lists up to tens of thousands of
 * people; in far larger ones namesakes born the same day meet, and custom rules should ask for more.
 */
export function peopleRules(): MatchRule[] {
	const [personal, place] = peopleComparisons();
	const fullName: Comparison = { label: 'name', source: FIRST_AND_LAST, type: 'personName' };
	// Two strong fields suffice (see above).
	const nearDob: Comparison = { ...personal[2], threshold: ONE_PART_MISTYPED };
	const nearEmail: Comparison = { label: 'email', source: FIELDS.email, type: 'emailTypo' };
	// One name and a birth date: only a real date, not the 1 January or 1 July of an unknown day.
	const realDob: Comparison = { ...personal[2], threshold: (PLACEHOLDER_DATE_AGREEMENT + 1) / 2 };
	// Three agreeing fields are strong enough evidence for a birth date with one part mistyped; an
	// equal 1 January or 1 July placeholder is only a year, and one name + a year + a city (John,
	// 1957, London) is a crowd.
	const yearOrBetterDob: Comparison = { ...nearDob, excludedLevels: [PLACEHOLDER_DATE_AGREEMENT] };
	const strongPairs: Comparison[][] = [
		[fullName, yearOrBetterDob],
		[fullName, nearDob],
		[nearEmail, nearDob],
		[nearEmail, fullName],
		[nearEmail, personal[0]],
		[nearEmail, personal[1]],
		[personal[0], realDob],
		[personal[1], realDob],
	];
	const lenient = [personal[0], personal[1], yearOrBetterDob, ...personal.slice(3)];
	const identity = new Set(Object.keys(CANNOT_LINK_FIELDS));
	return [...strongPairs, ...combinations([...lenient, ...place], 3).filter((chosen) => chosen.some((comparison) => lenient.includes(comparison)))].map(
		(chosen): MatchRule => ({
			name: chosen.map((comparison) => comparison.label).join(' + '),
			comparisons: chosen,
			...(chosen.some((comparison) => identity.has(comparison.label)) ? {} : { namesakeProne: true }),
			// The whole name with a placeholder date (a name and a year): another city speaks against it.
			...(chosen.includes(nearDob) && chosen.includes(fullName) ? { unlessDifferent: [place[2]] } : {}),
		}),
	);
}

/** The People preset's fields: about the person, and about the place. */
function peopleComparisons(): [personal: Comparison[], place: Comparison[]] {
	return [
		[
			{ label: 'first_name', source: FIELDS.firstName, type: 'personName' },
			{ label: 'last_name', source: FIELDS.lastName, type: 'personName' },
			{ label: 'date_of_birth', source: FIELDS.dob, type: 'date' },
			{ label: 'identifier', source: FIELDS.identifier, type: 'exact' },
			{ label: 'email', source: FIELDS.email, type: 'email' },
			{ label: 'phone', source: FIELDS.phone, type: 'phone' },
		],
		[
			{ label: 'address', source: FIELDS.street, type: 'text' },
			{ label: 'postcode', source: FIELDS.postcode, type: 'exact' },
			{ label: 'city', source: FIELDS.city, type: 'text' },
		],
	];
}

/**
 * Fields the probabilistic mode compares: the People preset's, whose weights it learns from the
 * data. (On B2B leads, whose few fields are mostly exact keys, the rules do better: the EM then
 * takes colleagues for one class.)
 */
export function probabilisticPeopleComparisons(): Comparison[] {
	return peopleComparisons().flat();
}
