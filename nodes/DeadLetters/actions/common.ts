/** What several operations share: how an entry becomes an item, the entry id an item names, the reason fields. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DEFAULT_REASON_FIELDS, META_FIELD } from '../../../lib/deadLetters/failure';
import type { DeadLetterEntry } from '../../../lib/deadLetters/store';
import { isPlainObject, readPath } from '../../../lib/itemData';

export { META_FIELD };

/** Everything about the entry but the item: the `_dead_letter` annotation and a List row. */
export function entryFacts(entry: DeadLetterEntry): IDataObject {
	return {
		id: entry.id,
		status: entry.status,
		attempts: entry.attempts,
		workflowId: entry.workflowId,
		workflowName: entry.workflowName,
		step: entry.step,
		reason: entry.reason,
		key: entry.key,
		keySource: entry.keySource,
		firstFailedAt: entry.firstFailedAt,
		lastFailedAt: entry.lastFailedAt,
		resolution: entry.resolution,
		resolvedAt: entry.resolvedAt,
	};
}

/** The item as received, annotated: what a replay sends on through the same chain. */
export function replayItem(entry: DeadLetterEntry, pairedItem: number): INodeExecutionData {
	const item = isPlainObject(entry.item) ? (entry.item as IDataObject) : { item: entry.item as IDataObject };
	return { json: { ...item, [META_FIELD]: entryFacts(entry) }, pairedItem: { item: pairedItem } };
}

/** `json` with the entry's current facts as its annotation. */
export function annotated(json: IDataObject, entry: DeadLetterEntry, index: number): INodeExecutionData {
	return { json: { ...json, [META_FIELD]: entryFacts(entry) }, pairedItem: { item: index } };
}

/** The item for the Not Found / Not Stored output: the item as it came, and what went wrong. */
export function refusedItem(json: IDataObject, index: number, error: string): INodeExecutionData {
	return { json: { error, item: json }, pairedItem: { item: index } };
}

export const entryIdProperty: INodeProperties = {
	displayName: 'Entry ID',
	name: 'entryId',
	type: 'string',
	default: '',
	// The field is named `id` in the item: the rules' 'ID' would be a wrong path.
	// eslint-disable-next-line n8n-nodes-base/node-param-placeholder-miscased-id
	placeholder: "{{ $('Get Due for Replay').item.json._dead_letter.id }}",
	// eslint-disable-next-line n8n-nodes-base/node-param-description-miscased-id, n8n-nodes-base/node-param-description-miscased-json
	description:
		"Empty: the _dead_letter.id the item carries (from Get Due for Replay). When a node in between replaced the item (HTTP Request's response), point at the replayed item: {{ $('Get Due for Replay').item.json._dead_letter.id }}. Or type an ID to handle one entry by hand.",
};

/** The entry id of item `index`: the Entry ID parameter, else the item's `_dead_letter.id`; undefined when there is none. */
export function entryIdOf(context: IExecuteFunctions, item: INodeExecutionData, index: number): number | undefined {
	const given = context.getNodeParameter('entryId', index, '') as string | number;
	const raw = given === '' || given === null || given === undefined ? readPath(item.json, `${META_FIELD}.id`) : given;
	const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export function reasonFieldsProperty(description: string): INodeProperties {
	return {
		displayName: 'Reason Fields',
		name: 'reasonFields',
		type: 'string',
		default: DEFAULT_REASON_FIELDS.join(', '),
		description,
	};
}

/**
 * Applies `change` to the entry each item names (see entryIdOf): the changed entries' items on the
 * first output, items naming no entry, or one that does not exist, on the second.
 */
export async function changeNamedEntries(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	change: (id: number, index: number) => Promise<DeadLetterEntry | undefined>,
): Promise<INodeExecutionData[][]> {
	const changed: INodeExecutionData[] = [];
	const notFound: INodeExecutionData[] = [];
	for (let index = 0; index < items.length; index++) {
		const { json } = items[index];
		const id = entryIdOf(context, items[index], index);
		if (id === undefined) {
			notFound.push(refusedItem(json, index, `The item names no dead-letter entry (Entry ID is empty and the item has no ${META_FIELD}.id)`));
			continue;
		}
		const entry = await change(id, index);
		if (entry) changed.push(annotated(json, entry, index));
		else notFound.push(refusedItem(json, index, `No dead-letter entry ${id}`));
	}
	return [changed, notFound];
}
