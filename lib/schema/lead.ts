import { z } from 'zod';

import { isEmailAddress } from '../lead/email';
import { fieldIssueSchema } from './issue';

/** ISO 3166-1 alpha-2, upper case. */
const countryCode = z.string().regex(/^[A-Z]{2}$/);

/** One marketing touch: where a visit came from (UTM tags, click ids, landing page, referrer). */
export const touchSchema = z.object({
	source: z.string().nullable(),
	medium: z.string().nullable(),
	campaign: z.string().nullable(),
	term: z.string().nullable(),
	content: z.string().nullable(),
	/** Ad-platform click ids (gclid, fbclid, msclkid, li_fat_id, ttclid) when present. */
	click_ids: z.record(z.string()),
	landing_page: z.string().nullable(),
	referrer: z.string().nullable(),
	/** ISO 8601 UTC of the touch when the payload says so, else null. */
	at: z.string().nullable(),
});

export type Touch = z.infer<typeof touchSchema>;

export const consentSchema = z.object({
	/** true / false when the lead said so, null when the payload says nothing. */
	given: z.boolean().nullable(),
	/** ISO 8601 (UTC) of the consent. */
	date: z.string().nullable(),
	source: z.string().nullable(),
	policy_version: z.string().nullable(),
});

export type Consent = z.infer<typeof consentSchema>;

/** E.164 phone details; `type` uses libphonenumber-js's names (MOBILE, FIXED_LINE, ...) lower-cased. */
export const phoneTypeSchema = z.enum([
	'mobile',
	'fixed_line',
	'fixed_line_or_mobile',
	'toll_free',
	'premium_rate',
	'shared_cost',
	'voip',
	'personal_number',
	'pager',
	'uan',
	'voicemail',
	'unknown',
]);

/**
 * The canonical lead every node of this pack reads and writes. Normalize Lead produces it,
 * Dedupe matches on its `*_match_key` fields, Map to CRM Fields and Warehouse Insert consume it.
 * Fields the pack does not know are kept beside these (passthrough) unless the user drops them.
 */
export const canonicalLeadSchema = z
	.object({
		// The pack's own syntax check: zod's .email() rejects internationalised domains leads do use.
		email: z.string().refine(isEmailAddress, 'not an email address').nullable(),
		email_domain: z.string().nullable(),
		/** Free-mail / consumer domain (gmail.com, outlook.com, ...): never a company domain. */
		email_is_free: z.boolean().nullable(),
		/** Lower-cased address with provider-specific aliasing removed (Gmail dots, +tags): for matching only. */
		email_match_key: z.string().nullable(),

		phone: z.string().regex(/^\+[1-9]\d{6,14}$/).nullable(),
		phone_country: countryCode.nullable(),
		phone_type: phoneTypeSchema.nullable(),
		phone_valid: z.boolean().nullable(),
		phone_extension: z.string().nullable(),

		first_name: z.string().nullable(),
		last_name: z.string().nullable(),
		full_name: z.string().nullable(),

		company: z.string().nullable(),
		/** Company name without legal suffixes, punctuation or case: for matching only. */
		company_match_key: z.string().nullable(),
		job_title: z.string().nullable(),
		website: z.string().nullable(),
		website_domain: z.string().nullable(),

		country: countryCode.nullable(),
		state: z.string().nullable(),
		city: z.string().nullable(),
		postal_code: z.string().nullable(),

		industry: z.string().nullable(),

		attribution: z.object({
			original: touchSchema.nullable(),
			latest: touchSchema.nullable(),
		}),
		consent: consentSchema,
		/** When this pack first received the lead (ISO 8601 UTC), set by Normalize Lead; a lead normalized again keeps it. */
		received_at: z.string().datetime().optional(),

		/** Fixable problems found while normalizing (the value was still usable). */
		warnings: z.array(fieldIssueSchema),
	})
	.passthrough();

export type CanonicalLead = z.infer<typeof canonicalLeadSchema>;
