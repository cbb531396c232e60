/**
 * Keys recorded with n8n's processed-data store for each response delivery: a redelivery (same
 * delivery id, or same response in the same state) is dropped; a new state of a response already
 * seen is an update.
 */
export interface ProcessedKeys {
	delivery: string | null;
	version: string;
	response: string;
}

export function processedKeys(responseId: string, version: string, deliveryId: string | null): ProcessedKeys {
	return {
		delivery: deliveryId === null ? null : `delivery:${deliveryId}`,
		version: `version:${responseId}@${version}`,
		response: `response:${responseId}`,
	};
}

export function keyList(keys: ProcessedKeys): string[] {
	return keys.delivery === null ? [keys.version, keys.response] : [keys.delivery, keys.version, keys.response];
}

export type RedeliveryVerdict = { duplicate: true } | { duplicate: false; seenBefore: boolean };

/** `processed`: the keys the store had already recorded before this delivery. */
export function judgeRedelivery(keys: ProcessedKeys, processed: ReadonlySet<string>): RedeliveryVerdict {
	if (processed.has(keys.version) || (keys.delivery !== null && processed.has(keys.delivery))) return { duplicate: true };
	return { duplicate: false, seenBefore: processed.has(keys.response) };
}
