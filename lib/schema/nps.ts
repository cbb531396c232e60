import { z } from 'zod';

export const npsSegmentSchema = z.enum(['promoter', 'passive', 'detractor']);
export type NpsSegment = z.infer<typeof npsSegmentSchema>;

export const identityTypeSchema = z.enum(['email', 'customer_id', 'provider_person_id']);

/**
 * The canonical NPS response every survey provider's webhook is turned into, and what
 * Map to CRM Fields and Warehouse Insert read.
 */
export const canonicalNpsResponseSchema = z.object({
	response_id: z.string().min(1),
	provider: z.string().min(1),
	survey_id: z.string().nullable(),
	/** The best identity available, in order of preference: email, customer id, provider person id. */
	identity_key: z.string().nullable(),
	identity_type: identityTypeSchema.nullable(),
	email: z.string().nullable(),
	customer_id: z.string().nullable(),
	/** ISO 8601 UTC. */
	survey_date: z.string().datetime(),
	nps_score: z.number().int().min(0).max(10),
	nps_segment: npsSegmentSchema,
	comment: z.string().nullable(),
	themes: z.array(z.string()),
	/** Custom dimensions (plan, region, account tier, ...). */
	properties: z.record(z.unknown()),
	/** ISO 8601 UTC of when this pack received the delivery. */
	received_at: z.string().datetime(),
	/** True when this delivery updates a response already received (e.g. a comment added later). */
	is_update: z.boolean(),
	raw: z.unknown().optional(),
});

export type CanonicalNpsResponse = z.infer<typeof canonicalNpsResponseSchema>;

/** Promoter 9-10, passive 7-8, detractor 0-6 (Bain's definition). */
export function npsSegment(score: number): NpsSegment {
	if (score >= 9) return 'promoter';
	if (score >= 7) return 'passive';
	return 'detractor';
}
