import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Classified } from '../../../lib/dedupe/dedupe';
import { classifyRecords } from '../../../lib/dedupe/dedupe';
import type { DedupeRecord, Matcher } from '../../../lib/dedupe/matcher';
import { RuleMatcher } from '../../../lib/dedupe/matcher';
import type { DedupeNodeOptions } from './config';
import { splitOutputs, warnUnmatchable } from './output';
import { recordsOf } from '../../shared/recordLocation';

function exactKeyMatcher(context: IExecuteFunctions, matcher: Matcher, outputMode: 'split' | 'merge'): RuleMatcher {
	if (!(matcher instanceof RuleMatcher)) {
		throw new NodeOperationError(context.getNode(), "n8n's deduplication store keeps exact keys only", {
			description: 'Use a SQLite or PostgreSQL record store with the probabilistic preset',
		});
	}
	if (outputMode === 'merge') {
		throw new NodeOperationError(context.getNode(), "n8n's deduplication store keeps keys, not records: there is nothing to merge with", {
			description: 'Use a SQLite or PostgreSQL record store for Merged Records',
		});
	}
	return matcher;
}

/**
 * Matches the input within itself, then its unique records' exact keys (email, phone, ... of the
 * chosen rules' exact-key rules) against n8n's own processed-data store, scoped to this node:
 * a record whose key an earlier execution recorded is a duplicate. Fuzzy rules apply within the
 * input only; the store remembers keys, not records.
 */
export async function matchAgainstProcessedData(
	context: IExecuteFunctions,
	matcher: Matcher,
	items: INodeExecutionData[],
	options: DedupeNodeOptions,
	outputMode: 'split' | 'merge',
	idField: string,
	annotationField: string,
): Promise<INodeExecutionData[][]> {
	const ruleMatcher = exactKeyMatcher(context, matcher, outputMode);
	const input = recordsOf(context, items) as DedupeRecord[];
	const classified = classifyRecords(ruleMatcher, input, [], { idField });
	warnUnmatchable(context, classified);

	const keys = ruleMatcher.exactKeys(input);
	const uniqueKeys = classified.unique.flatMap(({ index }) => keys[index]);
	const historySize = options.historySize ?? 100_000;
	const { processed } = await context.helpers.checkProcessedAndRecord(uniqueKeys, 'node', {
		mode: 'entries',
		maxEntries: historySize > 0 ? historySize : undefined,
	});
	const seen = new Set(processed.map(String));

	const unique: Classified['unique'] = [];
	const duplicates: Classified['duplicates'] = [...classified.duplicates];
	for (const entry of classified.unique) {
		const seenKey = keys[entry.index].find((key) => seen.has(key));
		if (seenKey === undefined) {
			unique.push(entry);
			continue;
		}
		const rule = seenKey.slice(0, seenKey.indexOf(':'));
		duplicates.push({
			index: entry.index,
			annotation: { status: 'duplicate', id: entry.annotation.id, matched_id: null, matched_in: 'history', survivor_id: null, rule, score: 1, fields: [rule] },
		});
	}
	duplicates.sort((a, b) => a.index - b.index);
	return splitOutputs(items, { ...classified, unique, duplicates }, annotationField);
}

export async function clearProcessedData(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	await context.helpers.clearAllProcessedItems('node', { mode: 'entries' });
	return [{ json: { store: 'n8n', cleared: true }, pairedItem: { item: 0 } }];
}
