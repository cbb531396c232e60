import type { FieldIssue } from '../schema/issue';
import { issue } from '../schema/issue';
import type { CanonicalLead, Touch } from '../schema/lead';
import { buildAliasResolver, type CanonicalInputKey, type UserFieldAlias } from './aliases';
import { captureTouch, mergeAttribution, readExistingAttribution } from './attribution';
import { normalizeCompany } from './company';
import { consentFieldsOf, normalizeConsent } from './consent';
import { normalizeCountry } from './country';
import { normalizeEmail } from './email';
import { buildIndustryMatcher, type IndustryPicklistEntry } from './industry';
import { normalizePersonName } from './name';
import { normalizePhone } from './phone';
import { cleanText } from './text';
import { normalizeWebsite } from './website';
import { setField } from '../itemData';

export interface LeadNormalizerConfig {
	/** Country (ISO code or name) for phone numbers written without a country code when the lead has no country. */
	defaultCountry?: string | null;
	/** Extra source-field names for canonical fields, checked before the built-in table. */
	fieldAliases?: UserFieldAlias[];
	/** Replaces the built-in industry picklist when given. */
	industryPicklist?: IndustryPicklistEntry[];
	/** Keep fields the pack does not know (default true). */
	keepUnknownFields?: boolean;
	/** Send leads with neither a usable email nor a usable phone to Invalid (default true). */
	requireEmailOrPhone?: boolean;
}

/**
 * Longest text each input field may hold, in UTF-16 code units. Each is far above any real value
 * (RFC 5321 caps an address at 254, ISO's longest country name has 56 characters, browsers keep
 * URLs under 8 KB) and keeps every parser's work on one item small and bounded: a longer value
 * is not a lead's data, and is reported as a `too_long` error instead of being parsed.
 */
export const INPUT_LENGTH_LIMITS: Readonly<Record<CanonicalInputKey, number>> = {
	email: 320,
	phone: 64,
	mobile_phone: 64,
	phone_extension: 64,
	first_name: 256,
	last_name: 256,
	full_name: 512,
	company: 512,
	job_title: 512,
	website: 2048,
	country: 128,
	state: 256,
	city: 256,
	postal_code: 32,
	industry: 256,
	utm_source: 2048,
	utm_medium: 2048,
	utm_campaign: 2048,
	utm_term: 2048,
	utm_content: 2048,
	gclid: 2048,
	fbclid: 2048,
	msclkid: 2048,
	li_fat_id: 2048,
	ttclid: 2048,
	landing_page: 8192,
	referrer: 8192,
	consent: 256,
	consent_date: 256,
	consent_source: 2048,
	consent_policy_version: 256,
	created_at: 256,
};

/** Drops text longer than its field's limit from `source`, with a `too_long` error naming the field. */
function withoutOverlongText(source: Partial<Record<CanonicalInputKey, unknown>>, errors: FieldIssue[]): void {
	for (const key of Object.keys(source) as CanonicalInputKey[]) {
		const value = source[key];
		const limit = INPUT_LENGTH_LIMITS[key];
		if (typeof value === 'string' && value.length > limit) {
			errors.push(issue(key, 'too_long', `${key} has ${value.length} characters; at most ${limit} are accepted`));
			source[key] = undefined;
		}
	}
}

export type LeadOutcome =
	| { valid: true; lead: CanonicalLead }
	| { valid: false; errors: FieldIssue[]; warnings: FieldIssue[] };

/**
 * Builds the per-item lead normalizer once (alias table, industry matcher, default country),
 * so the per-item work is only the field parsing.
 *
 * @throws Error when the configuration itself is wrong (unknown default country, alias to an unknown field).
 */
/** An extension given in its own field: digits only, as the phone parser writes it. */
function extensionField(value: unknown): string | null {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return /^\d{1,10}$/.test(text) ? text : null;
}

export function createLeadNormalizer(config: LeadNormalizerConfig = {}): (record: Record<string, unknown>) => LeadOutcome {
	const resolveAliases = buildAliasResolver(config.fieldAliases);
	const matchIndustry = buildIndustryMatcher(config.industryPicklist);
	const keepUnknownFields = config.keepUnknownFields ?? true;
	const requireEmailOrPhone = config.requireEmailOrPhone ?? true;

	let defaultCountry: string | null = null;
	if (config.defaultCountry && config.defaultCountry.trim() !== '') {
		const resolved = normalizeCountry(config.defaultCountry, 'defaultCountry');
		if (resolved.errors.length > 0) throw new Error(resolved.errors[0].message);
		defaultCountry = resolved.value;
	}

	return function normalizeLead(record) {
		const { canonical: source, consumedKeys } = resolveAliases(record);
		const errors: FieldIssue[] = [];
		const warnings: FieldIssue[] = [];
		const collect = <T>(result: { value: T; errors: FieldIssue[]; warnings: FieldIssue[] }): T => {
			if (result.errors.length > 0) errors.push(...result.errors);
			if (result.warnings.length > 0) warnings.push(...result.warnings);
			return result.value;
		};

		withoutOverlongText(source, errors);
		const country = collect(normalizeCountry(source.country));
		const email = collect(normalizeEmail(source.email));
		const phone = collect(
			normalizePhone(source.phone ?? source.mobile_phone, {
				defaultCountry: country ?? defaultCountry,
				field: source.phone === undefined && source.mobile_phone !== undefined ? 'mobile_phone' : 'phone',
			}),
		);
		const name = collect(
			normalizePersonName({ first: source.first_name, last: source.last_name, full: source.full_name }),
		);
		const company = collect(normalizeCompany(source.company));
		const website = collect(normalizeWebsite(source.website));
		const industry = collect(matchIndustry(source.industry));
		const consent = collect(normalizeConsent(consentFieldsOf(source)));
		const touch: Touch | null = collect(
			captureTouch({
				utm_source: source.utm_source,
				utm_medium: source.utm_medium,
				utm_campaign: source.utm_campaign,
				utm_term: source.utm_term,
				utm_content: source.utm_content,
				gclid: source.gclid,
				fbclid: source.fbclid,
				msclkid: source.msclkid,
				li_fat_id: source.li_fat_id,
				ttclid: source.ttclid,
				landing_page: source.landing_page,
				referrer: source.referrer,
				at: source.created_at,
			}),
		);
		const attribution = mergeAttribution(collect(readExistingAttribution(record.attribution)), touch);

		if (requireEmailOrPhone && email.email === null && phone.e164 === null) {
			const alreadyExplained = errors.some((e) => e.field === 'email' || e.field === 'phone' || e.field === 'mobile_phone');
			if (!alreadyExplained) {
				errors.push(issue('email', 'missing_contact', 'the lead has neither an email nor a phone number'));
			} else {
				errors.push(issue('email', 'missing_contact', 'the lead has no usable email or phone number'));
			}
		}
		if (errors.length > 0) return { valid: false, errors, warnings };

		const lead: CanonicalLead = {
			email: email.email,
			email_domain: email.domain,
			email_is_free: email.isFree,
			email_match_key: email.matchKey,
			phone: phone.e164,
			phone_country: phone.country,
			phone_type: phone.type,
			phone_valid: phone.valid,
			// A lead normalized before (a replay, a second Normalize Lead) carries its extension in its own field.
			phone_extension: phone.extension ?? (phone.e164 !== null ? extensionField(source.phone_extension) : null),
			first_name: name.first,
			last_name: name.last,
			full_name: name.full,
			company: company.company,
			company_match_key: company.matchKey,
			job_title: cleanText(source.job_title),
			website: website.url,
			website_domain: website.domain,
			country: country ?? phone.country,
			state: cleanText(source.state),
			city: cleanText(source.city),
			postal_code: cleanText(source.postal_code),
			industry,
			attribution,
			consent,
			warnings,
		};
		if (!keepUnknownFields) return { valid: true, lead };

		const withUnknown: Record<string, unknown> = {};
		for (const key of Object.keys(record)) {
			if (!consumedKeys.has(key) && !Object.hasOwn(lead, key)) setField(withUnknown, key, record[key]);
		}
		return { valid: true, lead: Object.assign(withUnknown, lead) as CanonicalLead };
	};
}
