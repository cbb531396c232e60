import type { NpsDraft } from '../canonical';
import { isRecord, type PayloadReader } from '../payload';
import type { IgnoredEvent, ParseOutcome } from './types';

type ResponseParts = Omit<NpsDraft, 'nps_score' | 'response_id' | 'survey_date'> & {
	response_id: string | null;
	survey_date: string | null;
	nps_score: number | null;
};

interface ResponseMeta {
	version: string | null;
	updateEvent?: boolean;
}

/**
 * The outcome once an adapter has read every field: a 400 listing every problem the reader
 * collected, or the response. Required fields that came back null were reported by the reader.
 */
export function finishResponse(reader: PayloadReader, parts: ResponseParts, meta: ResponseMeta): ParseOutcome {
	const { response_id, survey_date, nps_score } = parts;
	if (!reader.ok || response_id === null || survey_date === null || nps_score === null) {
		return { kind: 'invalid', problems: reader.problems };
	}
	return {
		kind: 'response',
		draft: { ...parts, response_id, survey_date, nps_score },
		version: meta.version ?? survey_date,
		updateEvent: meta.updateEvent ?? false,
	};
}

export function ignored(eventType: string | null, reason: string, deliveryId: string | null): IgnoredEvent {
	return { kind: 'ignored', eventType, reason, deliveryId };
}

/** Tags/themes: the strings of an array, trimmed, without empties (non-strings are dropped). */
export function stringList(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return value.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '').map((entry) => entry.trim());
}

/** Custom dimensions: an object's entries, or {} when the sender sent none. */
export function properties(value: unknown): Record<string, unknown> {
	return isRecord(value) ? { ...value } : {};
}
