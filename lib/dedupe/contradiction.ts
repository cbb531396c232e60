import { normalizeEmail } from '../lead/email';
import { COMPARATORS } from './comparators';
import type { PreparedDate } from './comparators';
import { FieldReader } from './fields';
import { withinOneEdit } from './similarity';
import { CANNOT_LINK_FIELDS } from './rules';
import type { DedupeRecord } from './types';

/**
 * Cannot-link evidence: values two records of one person never hold, whatever else agrees. Two
 * birth dates further apart than one typo, two identifiers further apart than one typo, two
 * addresses at one company domain (colleagues). Records hold one value per field; two records
 * contradict when a value of one contradicts the other's.
 */
export type Profile = Partial<Record<ContradictionField, string>>;
export type ContradictionField = keyof typeof CANNOT_LINK_FIELDS;

const dateDigits = ({ year, month, day }: PreparedDate): string => `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;

/**
 * Birth dates of one person as typed: the years one digit or one year apart, and the month and
 * day either sharing a part, swapped, or within two months (a date shifted or mistyped).
 * Anything else is two people, however alike their names: two John Smiths born 1 January 1950
 * and 1 January 1972.
 */
function datesCompatible(a: string, b: string): boolean {
	const [yearA, yearB] = [a.slice(0, 4), b.slice(0, 4)];
	if (!withinOneEdit(yearA, yearB) && Math.abs(Number(yearA) - Number(yearB)) > 1) return false;
	const [monthA, dayA, monthB, dayB] = [a.slice(4, 6), a.slice(6), b.slice(4, 6), b.slice(6)];
	if (monthA === monthB || dayA === dayB || (monthA === dayB && dayA === monthB)) return true;
	return Math.abs(Number(monthA) * 31 + Number(dayA) - (Number(monthB) * 31 + Number(dayB))) <= NEAR_DAYS;
}

/** Month and day this close (in days, months as 31) are one date shifted. */
const NEAR_DAYS = 62;

/**
 * Company addresses: the same domain with another mailbox is a colleague, unless the mailboxes
 * share a name ("jsmith" and "john.smith", "bsantos71" and "rsantos26": one person's aliases) or
 * differ by one typo.
 */
function emailsCompatible(a: string, b: string): boolean {
	const [localA, domainA] = splitAddress(a);
	const [localB, domainB] = splitAddress(b);
	if (domainA !== domainB || withinOneEdit(localA, localB)) return true;
	const lettersA = localA.replace(NOT_LETTERS, '');
	const lettersB = localB.replace(NOT_LETTERS, '');
	return mailboxNames(localA).some((name) => lettersB.includes(name)) || mailboxNames(localB).some((name) => lettersA.includes(name));
}

const NOT_LETTERS = /[^\p{L}]+/gu;
/** Shorter shared pieces ("jo", "ana") say nothing about a name. */
const MIN_SHARED_NAME = 4;

/** The names a mailbox may hold: its words without digits, and each without a leading initial ("jsmith": "smith"). */
function mailboxNames(local: string): string[] {
	const words = local.split(/[^\p{L}]+/u);
	return [...words, ...words.map((word) => word.slice(1))].filter((word) => word.length >= MIN_SHARED_NAME);
}

function splitAddress(address: string): [local: string, domain: string] {
	const at = address.lastIndexOf('@');
	return [address.slice(0, at), address.slice(at + 1)];
}

const COMPATIBLE: Record<ContradictionField, (a: string, b: string) => boolean> = {
	date_of_birth: datesCompatible,
	identifier: withinOneEdit,
	email: emailsCompatible,
};

const FIELD_NAMES = Object.keys(CANNOT_LINK_FIELDS) as ContradictionField[];

/** The cannot-link values of each record (undefined: it holds none). */
export function contradictionProfiles(records: DedupeRecord[]): Array<Profile | undefined> {
	const reader = new FieldReader(records);
	const readers = FIELD_NAMES.map((field) => reader.reader(CANNOT_LINK_FIELDS[field]));
	return records.map((record) => {
		let profile: Profile | undefined;
		FIELD_NAMES.forEach((field, position) => {
			const value = cannotLinkValue(field, readers[position](record));
			if (value !== null) (profile ??= {})[field] = value;
		});
		return profile;
	});
}

function cannotLinkValue(field: ContradictionField, raw: unknown): string | null {
	if (raw === undefined || raw === null) return null;
	if (field === 'date_of_birth') {
		const date = COMPARATORS.date.prepare(raw, {}) as PreparedDate | null;
		return date === null ? null : dateDigits(date);
	}
	if (typeof raw !== 'string' && typeof raw !== 'number') return null;
	if (field === 'identifier') {
		const key = String(raw).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
		return key === '' ? null : key;
	}
	const email = normalizeEmail(String(raw)).value;
	// Free-mail addresses say nothing: one person has several.
	return email.matchKey === null || email.isFree !== false ? null : email.matchKey;
}

/**
 * The first field on which two profiles contradict each other (leaving out `ignored` fields), or
 * null. The same identifier or company email outranks the rest: a birth date mistyped beyond one
 * digit is then a typo.
 */
export function contradiction(
	a: Profile | undefined,
	b: Profile | undefined,
	...ignored: Array<ContradictionField | undefined>
): ContradictionField | null {
	if (a === undefined || b === undefined) return null;
	if ((a.identifier !== undefined && a.identifier === b.identifier) || (a.email !== undefined && a.email === b.email)) return null;
	for (const field of FIELD_NAMES) {
		if (ignored.includes(field)) continue;
		const valueA = a[field];
		const valueB = b[field];
		if (valueA !== undefined && valueB !== undefined && !COMPATIBLE[field](valueA, valueB)) return field;
	}
	return null;
}
