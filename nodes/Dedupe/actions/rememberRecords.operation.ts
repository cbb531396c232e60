import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { maxAgeMs } from '../../../lib/retention';
import { refuseProcessedDataStore, withHistory } from '../transport';
import { matchingParameters, passedThrough, unannotated } from './common';

/** Its parameters are shared with other operations (properties.ts). */
export const description: INodeProperties[] = [];

/**
 * Adds the input records to the history a "Match Against Previous Executions" node with the same
 * store, history name and rules matches against (one already there is marked seen again), and
 * passes the items through unchanged. The annotation an earlier Dedupe node added is not stored.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	refuseProcessedDataStore(this);
	const { options, matcher, mergeOptions, input } = matchingParameters(this, items);
	const records = unannotated(input, mergeOptions.metaKey);
	await withHistory(this, async (history) =>
		await history.remember(matcher, records, {
			idField: mergeOptions.idField,
			historySize: options.historySize ?? 100_000,
			maxAgeMs: maxAgeMs(options.maxAgeDays),
		}),
	);
	return passedThrough(items);
}
