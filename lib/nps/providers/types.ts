import type { FieldIssue } from '../../schema/issue';
import type { NpsDraft } from '../canonical';
import type { NpsDelivery } from '../delivery';
import type { FieldMap } from '../fieldMap';
import type { NpsScale } from '../score';

export type ProviderId =
	| 'generic'
	| 'delighted'
	| 'typeform'
	| 'surveymonkey'
	| 'wootric'
	| 'qualtrics'
	| 'survicate'
	| 'satismeter'
	| 'tally'
	| 'asknicely'
	| 'fieldMapping';

/** What the user set on the node that changes how a payload is read. */
export interface ProviderSettings {
	scale: NpsScale;
	/** ISO 8601 UTC of receipt: the survey date of field-mapped payloads that carry none. */
	receivedAt: string;
	/** The question holding the 0-10 answer when the provider cannot tell (Typeform ref/id, Tally key/label, Survicate question id). */
	npsQuestion?: string;
	/** The question holding the free-text reason (Typeform ref/id, Tally key/label). */
	commentQuestion?: string;
	/** Field mapping mode only. */
	fieldMap?: FieldMap;
}

export interface ParsedResponse {
	kind: 'response';
	draft: NpsDraft;
	/** Identifies this state of the response: a redelivery carries the same one, an update a new one. */
	version: string;
	/** The sender says this delivery changes a response it sent before (e.g. a comment added later). */
	updateEvent: boolean;
}

/** A delivery that is authentic and readable but is no NPS answer (CSAT, declines, other events). */
export interface IgnoredEvent {
	kind: 'ignored';
	eventType: string | null;
	reason: string;
	deliveryId: string | null;
}

export interface InvalidPayload {
	kind: 'invalid';
	problems: FieldIssue[];
}

/** A GET against the provider's API, relative to the credential's base URL. */
export interface ApiRequest {
	path: string;
	qs?: Record<string, string>;
}

/** The delivery names a response the node must fetch from the provider's API (SurveyMonkey, Qualtrics). */
export interface FetchNeeded {
	kind: 'fetch';
	request: ApiRequest;
	/** Reads the API's answer into the outcome for this delivery. */
	complete(apiResponse: unknown): ParseOutcome;
}

export type ParseOutcome = ParsedResponse | IgnoredEvent | InvalidPayload | FetchNeeded;

export interface NpsProvider {
	id: ProviderId;
	/**
	 * 'signature': the provider signs deliveries and `verify` checks them with the user's secrets;
	 * 'shared': it does not sign, and the optional shared-secret header or basic auth applies.
	 */
	authentication: 'signature' | 'shared';
	/** True when the delivery is signed with one of `secrets` (and, where the scheme has one, its timestamp is fresh). */
	verify?(delivery: NpsDelivery, secrets: string[], nowMs: number): boolean;
	parse(body: Record<string, unknown>, settings: ProviderSettings): ParseOutcome;
}
