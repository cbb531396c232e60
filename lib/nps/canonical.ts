import { npsSegment, type CanonicalNpsResponse } from '../schema/nps';

/** What a provider adapter reads out of one delivery; the canonical record adds the rest. */
export interface NpsDraft {
	response_id: string;
	survey_id: string | null;
	email: string | null;
	customer_id: string | null;
	/** The survey tool's own id for the respondent: the identity of last resort. */
	person_id: string | null;
	/** ISO 8601 UTC. */
	survey_date: string;
	nps_score: number;
	comment: string | null;
	themes: string[];
	properties: Record<string, unknown>;
}

export interface CanonicalContext {
	provider: string;
	/** ISO 8601 UTC. */
	receivedAt: string;
	isUpdate: boolean;
	/** The parsed request body, when the user asks to keep it. */
	raw?: unknown;
}

function identity(draft: NpsDraft): Pick<CanonicalNpsResponse, 'identity_key' | 'identity_type'> {
	if (draft.email) return { identity_key: draft.email, identity_type: 'email' };
	if (draft.customer_id) return { identity_key: draft.customer_id, identity_type: 'customer_id' };
	if (draft.person_id) return { identity_key: draft.person_id, identity_type: 'provider_person_id' };
	return { identity_key: null, identity_type: null };
}

/** The canonical NPS record (lib/schema/nps.ts) for one response. */
export function toCanonicalNps(draft: NpsDraft, context: CanonicalContext): CanonicalNpsResponse {
	const record: CanonicalNpsResponse = {
		response_id: draft.response_id,
		provider: context.provider,
		survey_id: draft.survey_id,
		...identity(draft),
		email: draft.email,
		customer_id: draft.customer_id,
		survey_date: draft.survey_date,
		nps_score: draft.nps_score,
		nps_segment: npsSegment(draft.nps_score),
		comment: draft.comment,
		themes: draft.themes,
		properties: draft.properties,
		received_at: context.receivedAt,
		is_update: context.isUpdate,
	};
	if (context.raw !== undefined) record.raw = context.raw;
	return record;
}
