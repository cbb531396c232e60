import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { HoldOptions } from '../../../lib/dedupe/remember';
import { maxAgeMs } from '../../../lib/retention';
import { withHistory } from '../transport';
import { annotatedItems, matchingParameters, mergedItems, splitOutputs, warnUnmatchable } from './common';
import { commaList } from '../../shared/commaList';
import type { DedupeNodeOptions } from './config';

/** Its parameters are shared with other operations (properties.ts). */
export const description: INodeProperties[] = [];

/**
 * Holds (the In Progress output): only when matching without remembering, in Unique and Duplicates mode,
 * as the node's outputs expression (HOLDS_EXPRESSION in properties.ts) shows them.
 */
function holdOptions(options: DedupeNodeOptions, outputMode: 'split' | 'merge'): HoldOptions | undefined {
	if (options.rememberUnique !== false || options.holdNewRecords !== true || outputMode !== 'split') return undefined;
	return { holdMs: (options.holdSeconds ?? 300) * 1000, waitMs: (options.holdWaitSeconds ?? 20) * 1000 };
}

/** Matches the input with the history (see lib/dedupe/remember dedupeAgainstStore, or n8n's exact keys). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { options, outputMode, matcher, mergeOptions, input } = matchingParameters(this, items);
	const hold = holdOptions(options, outputMode);
	const { classified, merged, inProgress } = await withHistory(this, async (history) =>
		await history.match(matcher, input, {
			idField: mergeOptions.idField,
			merge: outputMode === 'merge' ? mergeOptions : undefined,
			historySize: options.historySize ?? 100_000,
			maxAgeMs: maxAgeMs(options.maxAgeDays),
			remember: options.rememberUnique ?? true,
			copyFromMatch: commaList(options.copyFromMatch ?? ''),
			hold,
		}),
	);
	warnUnmatchable(this, classified);
	if (merged !== undefined) return [mergedItems(merged)];
	const outputs = splitOutputs(items, classified, mergeOptions.metaKey);
	return hold === undefined ? outputs : [...outputs, annotatedItems(items, inProgress, mergeOptions.metaKey)];
}
