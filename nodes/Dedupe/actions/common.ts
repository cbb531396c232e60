/** What several operations share: the matching parameters, and how records become output items. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { Classified, DedupeAnnotation } from '../../../lib/dedupe/dedupe';
import { classifyRecords, mergeClusters } from '../../../lib/dedupe/dedupe';
import type { DedupeRecord, Matcher } from '../../../lib/dedupe/matcher';
import type { MergeOptions } from '../../../lib/dedupe/survivorship';
import { recordsOf } from '../../shared/recordLocation';
import { commaList } from '../../shared/commaList';
import { matcherFromParameters, mergeOptionsFromParameters, type DedupeNodeOptions } from './config';

/** The given input items with their annotations under `annotationField`, each paired with its input item. */
export function annotatedItems(
	items: INodeExecutionData[],
	annotated: Array<{ index: number; annotation: DedupeAnnotation }>,
	annotationField: string,
): INodeExecutionData[] {
	return annotated.map(({ index, annotation }) => ({
		json: { ...items[index].json, [annotationField]: annotation as unknown as IDataObject },
		pairedItem: { item: index },
	}));
}

/** Unique and Duplicates outputs: every input item once, in input order, with its annotation. */
export function splitOutputs(items: INodeExecutionData[], classified: Classified, annotationField: string): INodeExecutionData[][] {
	return [annotatedItems(items, classified.unique, annotationField), annotatedItems(items, classified.duplicates, annotationField)];
}

/** The Merged output: one item per group holding input items, paired with all of them. */
export function mergedItems(merged: Array<{ record: DedupeRecord; inputIndices: number[] }>): INodeExecutionData[] {
	return merged.map(({ record, inputIndices }) => ({
		json: record as IDataObject,
		pairedItem: inputIndices.map((item): IPairedItemData => ({ item })),
	}));
}

/** One log warning for the items no rule can apply to (each also carries its own in the annotation). */
export function warnUnmatchable(context: IExecuteFunctions, classified: Classified): void {
	const unmatchable = classified.unique.filter(({ annotation }) => annotation.status === 'unmatchable').length;
	if (unmatchable > 0) {
		context.logger.warn(`Dedupe: ${unmatchable} item(s) lack every field the match rules need; passed to Unique flagged unmatchable`);
	}
}

/** What every operation that matches reads first, in this order (so a mistake in an earlier one is the error shown). */
export interface Matching {
	options: DedupeNodeOptions;
	outputMode: 'split' | 'merge';
	matcher: Matcher;
	mergeOptions: MergeOptions;
	/** Each item's record, where Record says. */
	input: DedupeRecord[];
}

export function matchingParameters(context: IExecuteFunctions, items: INodeExecutionData[]): Matching {
	const options = context.getNodeParameter('options', 0, {}) as DedupeNodeOptions;
	const outputMode = context.getNodeParameter('outputMode', 0, 'split') as 'split' | 'merge';
	const matcher = matcherFromParameters(context, options);
	const mergeOptions = mergeOptionsFromParameters(context, options);
	return { options, outputMode, matcher, mergeOptions, input: recordsOf(context, items) as DedupeRecord[] };
}

/**
 * Find Duplicates Within Input and Match Against Existing Records: the input matched with itself and the
 * `existing` records, into Unique and Duplicates or Merged.
 */
export function matchInput(context: IExecuteFunctions, items: INodeExecutionData[], existingOf: () => DedupeRecord[]): INodeExecutionData[][] {
	const { options, outputMode, matcher, mergeOptions, input } = matchingParameters(context, items);
	const existing = existingOf();
	const classified = classifyRecords(matcher, input, existing, { idField: mergeOptions.idField, copyFromMatch: commaList(options.copyFromMatch ?? '') });
	warnUnmatchable(context, classified);
	if (outputMode === 'merge') return [mergedItems(mergeClusters(classified, input, existing, mergeOptions))];
	return splitOutputs(items, classified, mergeOptions.metaKey);
}

/** The input records without the annotation an earlier Dedupe node added, which is never stored. */
export function unannotated(records: DedupeRecord[], metaKey: string): DedupeRecord[] {
	return records.map((found) => {
		const record = { ...found } as DedupeRecord;
		delete record[metaKey];
		return record;
	});
}

/** The items as they came, each paired with itself: what Remember Records and Release Held Records pass on. */
export function passedThrough(items: INodeExecutionData[]): INodeExecutionData[][] {
	return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
}
