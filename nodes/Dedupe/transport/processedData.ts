import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Classified } from '../../../lib/dedupe/dedupe';
import { classifyRecords } from '../../../lib/dedupe/dedupe';
import type { DedupeRecord, Matcher } from '../../../lib/dedupe/matcher';
import { RuleMatcher } from '../../../lib/dedupe/matcher';
import type { DedupeHistory, MatchOptions } from './index';

/** Remember Records and Release Held Records with n8n's store: n8n keeps processed keys per node, so another node's are out of reach. */
export function otherNodesKeysRefused(context: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(context.getNode(), "n8n's deduplication store keeps each node's keys to itself: Remember Records and Release Held Records cannot reach another node's", {
		description: 'Use a SQLite or PostgreSQL record store, with the same History Name as the node that matches',
	});
}

function exactKeyMatcher(context: IExecuteFunctions, matcher: Matcher, merging: boolean): RuleMatcher {
	if (!(matcher instanceof RuleMatcher)) {
		throw new NodeOperationError(context.getNode(), "n8n's deduplication store keeps exact keys only", {
			description: 'Use a SQLite or PostgreSQL record store with the probabilistic preset',
		});
	}
	if (merging) {
		throw new NodeOperationError(context.getNode(), "n8n's deduplication store keeps keys, not records: there is nothing to merge with", {
			description: 'Use a SQLite or PostgreSQL record store for Merged Records',
		});
	}
	return matcher;
}

/** n8n's own processed-data store, scoped to this node: it keeps the exact keys of the records, not the records. */
export class ProcessedDataHistory implements DedupeHistory {
	constructor(private readonly context: IExecuteFunctions) {}

	/**
	 * Matches the input within itself, then its unique records' exact keys (email, phone, ... of the
	 * chosen rules' exact-key rules) against the keys earlier executions recorded: a record whose key
	 * is there is a duplicate. Fuzzy rules apply within the input only. n8n records the keys as it
	 * checks them, so Remember Unique Records does not apply; nor do Hold New Records and Copy From
	 * Match, which need records.
	 */
	async match(matcher: Matcher, input: DedupeRecord[], options: MatchOptions): Promise<{ classified: Classified; inProgress: [] }> {
		const ruleMatcher = exactKeyMatcher(this.context, matcher, options.merge !== undefined);
		const classified = classifyRecords(ruleMatcher, input, [], { idField: options.idField });

		const keys = ruleMatcher.exactKeys(input);
		const uniqueKeys = classified.unique.flatMap(({ index }) => keys[index]);
		const { processed } = await this.context.helpers.checkProcessedAndRecord(uniqueKeys, 'node', {
			mode: 'entries',
			maxEntries: options.historySize > 0 ? options.historySize : undefined,
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
		return { classified: { ...classified, unique, duplicates }, inProgress: [] };
	}

	async remember(): Promise<void> {
		throw otherNodesKeysRefused(this.context);
	}

	async release(): Promise<void> {
		throw otherNodesKeysRefused(this.context);
	}

	async clear(): Promise<IDataObject> {
		await this.context.helpers.clearAllProcessedItems('node', { mode: 'entries' });
		return { store: 'n8n', cleared: true };
	}

	async close(): Promise<void> {}
}
