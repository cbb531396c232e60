import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { DedupeRecord } from '../../../lib/dedupe/matcher';
import { refuseProcessedDataStore, withHistory } from '../transport';
import { matchingParameters, passedThrough, unannotated } from './common';

/** Its parameters are shared with other operations (properties.ts). */
export const description: INodeProperties[] = [];

/**
 * Forgets the held records the input records match (their execution could not write them: see Hold New Records
 * Until Remembered), so the same lead is new again at once instead of after Hold Time; passes the items through.
 * Only records the matching node annotated unique are released.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	refuseProcessedDataStore(this);
	const { matcher, mergeOptions, input } = matchingParameters(this, items);
	// Only what this execution's matching node took as new was held by it: a lead it found in progress (held
	// by another execution) or never matched must not end someone else's hold.
	const heldHere = (record: DedupeRecord): boolean => (record[mergeOptions.metaKey] as { status?: unknown } | undefined)?.status === 'unique';
	const records = unannotated(input.filter(heldHere), mergeOptions.metaKey);
	if (records.length > 0) await withHistory(this, async (history) => await history.release(matcher, records, mergeOptions.idField));
	return passedThrough(items);
}
