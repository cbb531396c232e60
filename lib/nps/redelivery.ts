/**
 * Keys recorded in n8n's processed-data store for each response delivery. A response in a state
 * already received (same response id and version, i.e. update time) is a redelivery, whatever
 * delivery id it comes with; a new state of a response already seen is an update.
 */
export interface ProcessedKeys {
	version: string;
	response: string;
}

export function processedKeys(responseId: string, version: string): ProcessedKeys {
	return { version: `version:${responseId}@${version}`, response: `response:${responseId}` };
}

export type RedeliveryVerdict = { duplicate: true } | { duplicate: false; seenBefore: boolean };

/** `recordedBefore`: the keys the store had already recorded before this delivery. */
export function judgeRedelivery(keys: ProcessedKeys, recordedBefore: ReadonlySet<string>): RedeliveryVerdict {
	if (recordedBefore.has(keys.version)) return { duplicate: true };
	return { duplicate: false, seenBefore: recordedBefore.has(keys.response) };
}
