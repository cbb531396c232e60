import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { Classified, DedupeAnnotation } from '../../../lib/dedupe/dedupe';
import type { DedupeRecord } from '../../../lib/dedupe/matcher';

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
