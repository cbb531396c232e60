/**
 * The person an erasure request names, in the normalised forms this pack stores: email addresses
 * lower-cased and reduced to their match key (Gmail dots and +tags removed, as Normalize Lead and
 * Dedupe do), phones in E.164, identity keys as given. A stored value matches the person when it
 * normalises to one of those forms, so "Maria.Silva+promo@gmail.com" finds "mariasilva@gmail.com".
 */
import { createHmac } from 'node:crypto';

import { normalizeEmail } from '../lead/email';
import { normalizePhone } from '../lead/phone';
import { foldKey } from '../lead/text';
import { issue, type FieldIssue } from '../schema/issue';

export interface ErasureRequest {
	email?: unknown;
	phone?: unknown;
	identityKey?: unknown;
}

export interface Subject {
	/** Match keys of the addresses (what two spellings of one mailbox share). */
	emailKeys: string[];
	/** The addresses' domains, lower-cased: a cheap filter before a stored address is normalised. */
	emailDomains: string[];
	/** E.164. */
	phones: string[];
	/** Identity keys and customer ids, compared exactly (trimmed). */
	identityKeys: string[];
}

function listOf(value: unknown): unknown[] {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value.filter((entry) => entry !== undefined && entry !== null && entry !== '');
	return [value];
}

/**
 * The subject of one request; `issues` names each field that could not be read. A request with no
 * usable identifier is an issue too: erasing "nobody" must not look like a success.
 */
export function subjectOf(request: ErasureRequest, defaultCountry?: string): { subject: Subject; issues: FieldIssue[] } {
	const subject: Subject = { emailKeys: [], emailDomains: [], phones: [], identityKeys: [] };
	const issues: FieldIssue[] = [];
	for (const value of listOf(request.email)) {
		const { value: email, errors } = normalizeEmail(value, 'email');
		issues.push(...errors);
		if (email.matchKey !== null && email.domain !== null) {
			subject.emailKeys.push(email.matchKey);
			subject.emailDomains.push(email.matchKey.slice(email.matchKey.lastIndexOf('@') + 1));
			subject.emailDomains.push(email.domain);
		}
	}
	for (const value of listOf(request.phone)) {
		const { value: phone, errors } = normalizePhone(value, { defaultCountry, field: 'phone' });
		issues.push(...errors);
		if (phone.e164 !== null) subject.phones.push(phone.e164);
	}
	for (const value of listOf(request.identityKey)) {
		const key = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
		if (key === '') issues.push(issue('identityKey', 'invalid_identity_key', 'identityKey is not text'));
		else subject.identityKeys.push(key);
	}
	subject.emailKeys = [...new Set(subject.emailKeys)];
	subject.emailDomains = [...new Set(subject.emailDomains)];
	subject.phones = [...new Set(subject.phones)];
	subject.identityKeys = [...new Set(subject.identityKeys)];
	if (issues.length === 0 && isEmptySubject(subject)) {
		issues.push(issue('email', 'no_identifier', 'Give the person’s email, phone or identity key: the request names nobody'));
	}
	return { subject, issues };
}

export function isEmptySubject(subject: Subject): boolean {
	return subject.emailKeys.length === 0 && subject.phones.length === 0 && subject.identityKeys.length === 0;
}

const EMAIL_LIKE = /@/;
/** Fields (folded: case, spaces and punctuation ignored) an identity key is looked for in. */
const IDENTITY_FIELDS = new Set(['identitykey', 'customerid', 'externalid', 'userid', 'personid', 'contactid', 'leadkey']);
/** Text that could be a written phone number: digits with the usual separators, at least 7 digits. */
const PHONE_LIKE = /^[+\d\s().\-/]{7,40}$/;

/**
 * Whether `value` (a stored record, row or item, searched through nested objects and lists) holds
 * one of the subject's identifiers: an email or phone in any field, an identity key in an identity
 * field (identity_key, customer_id, external_id, user_id, person_id, contact_id, lead_key). `countryOf` gives the country for phones written without a
 * country code (the record's own phone_country or country, else the request's default).
 */
export function mentionsSubject(value: unknown, subject: Subject, defaultCountry?: string): boolean {
	const emailKeys = new Set(subject.emailKeys);
	const phones = new Set(subject.phones);
	const identityKeys = new Set(subject.identityKeys);
	const visit = (node: unknown, country: string | undefined): boolean => {
		if (typeof node === 'string') return textMatches(node, country);
		if (typeof node === 'number') return phones.size > 0 && textMatches(String(node), country);
		if (Array.isArray(node)) return node.some((entry) => visit(entry, country));
		if (node !== null && typeof node === 'object') {
			const record = node as Record<string, unknown>;
			const own = [record.phone_country, record.country].find((code) => typeof code === 'string' && /^[A-Z]{2}$/.test(code)) as string | undefined;
			return Object.entries(record).some(([key, entry]) => isIdentity(key, entry) || visit(entry, own ?? country));
		}
		return false;
	};
	/** Identity keys are compared in identity fields only: a key "9" must not match every NPS score of 9. */
	const isIdentity = (key: string, value: unknown): boolean =>
		identityKeys.size > 0 && (typeof value === 'string' || typeof value === 'number') && IDENTITY_FIELDS.has(foldKey(key)) && identityKeys.has(String(value).trim());
	const textMatches = (text: string, country: string | undefined): boolean => {
		const trimmed = text.trim();
		if (emailKeys.size > 0 && EMAIL_LIKE.test(trimmed) && trimmed.length <= 320) {
			const { value: email } = normalizeEmail(trimmed);
			if (email.matchKey !== null && emailKeys.has(email.matchKey)) return true;
		}
		if (phones.size > 0 && PHONE_LIKE.test(trimmed)) {
			const { value: phone } = normalizePhone(trimmed, { defaultCountry: country ?? defaultCountry });
			if (phone.e164 !== null && phones.has(phone.e164)) return true;
		}
		return false;
	};
	return visit(value, undefined);
}

/**
 * A one-way fingerprint of the subject for the audit record: HMAC-SHA256 of its sorted identifiers
 * under the install's secret salt. The same person gives the same hash (a second request can be
 * shown to concern the same person), yet the hash alone gives nobody the identifiers back.
 */
export function subjectHash(subject: Subject, salt: string | Buffer): string {
	const identifiers = [
		...subject.emailKeys.map((key) => `email:${key}`),
		...subject.phones.map((phone) => `phone:${phone}`),
		...subject.identityKeys.map((key) => `id:${key}`),
	].sort();
	return createHmac('sha256', salt).update(identifiers.join('\n')).digest('hex');
}
