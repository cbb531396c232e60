import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_ITEM_BYTES, readFailure } from '../../../lib/deadLetters/failure';
import type { DeadLetterStore, Failure } from '../../../lib/deadLetters/store';
import { EventLoopTurns } from '../../../lib/eventLoopTurns';
import { forOperation } from '../../shared/forOperation';
import {annotated, reasonFieldsProperty, refusedItem } from './common';
import { commaList } from '../../shared/commaList';

export const description: INodeProperties[] = forOperation('store', [
	reasonFieldsProperty(
		"Fields the reason is read from, comma-separated, in order (all that are present are kept): n8n's error output puts the message in 'error', HTTP Request adds the vendor's words in 'details', invalid items of this pack list 'errors'. These fields are left out of the stored item.",
	),
	{
		displayName: 'Key Field',
		name: 'keyField',
		type: 'string',
		default: '',
		placeholder: 'email_match_key',
		description:
			'Field that identifies the item (e.g. email_match_key, response_ID): the same key failing again at the same step is one entry with one more attempt. Empty, or missing on an item: a hash of the item’s content.',
	},
	{
		displayName: 'Item Field',
		name: 'itemField',
		type: 'string',
		default: '',
		placeholder: 'item',
		description:
			"Where the item as received is inside the failed item, when the failing node wraps it (Warehouse Insert's Failed output: 'item'). Empty: the failed item itself, without the reason fields.",
	},
	{
		displayName: 'Step',
		name: 'step',
		type: 'string',
		default: '',
		placeholder: 'Send to HubSpot',
		description: 'Name of the step that failed. Empty: the node the items came from.',
	},
	{
		displayName: 'Options',
		name: 'storeOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Max Item Size (KB)',
				name: 'maxItemKb',
				type: 'number',
				typeOptions: { minValue: 1 },
				// DEFAULT_MAX_ITEM_BYTES / 1024 (the lint rule wants a literal)
				default: 1024,
				description: 'Larger items are not stored: they leave on the Not Stored output, saying so',
			},
		],
	},
]);

/** The node the items came from, as n8n records it for this run. */
function previousStep(context: IExecuteFunctions): string {
	try {
		return context.getInputSourceData(0)?.previousNode ?? '';
	} catch {
		return '';
	}
}

export async function execute(this: IExecuteFunctions, store: DeadLetterStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const workflow = this.getWorkflow();
	const fallbackStep = previousStep(this) || this.getNode().name;
	const notStored: INodeExecutionData[] = [];
	const failures: Failure[] = [];
	const failedIndexes: number[] = [];
	const turns = new EventLoopTurns();
	for (let index = 0; index < items.length; index++) {
		await turns.pass();
		const options = this.getNodeParameter('storeOptions', index, {}) as { maxItemKb?: number };
		const outcome = readFailure(items[index].json, {
			reasonFields: commaList(this.getNodeParameter('reasonFields', index, '') as string),
			keyField: (this.getNodeParameter('keyField', index, '') as string).trim(),
			itemField: (this.getNodeParameter('itemField', index, '') as string).trim(),
			maxItemBytes: (options.maxItemKb ?? DEFAULT_MAX_ITEM_BYTES / 1024) * 1024,
		});
		if (!outcome.ok) {
			notStored.push(refusedItem(items[index].json, index, outcome.error));
			continue;
		}
		const { key, keySource, reason, itemJson } = outcome.failure;
		const step = (this.getNodeParameter('step', index, '') as string).trim() || fallbackStep;
		failures.push({ workflowId: workflow.id ?? '', workflowName: workflow.name ?? '', step, key, keySource, reason, itemJson });
		failedIndexes.push(index);
	}
	const entries = await store.recordAll(failures, new Date());
	const stored = entries.map((entry, position) => annotated(items[failedIndexes[position]].json, entry, failedIndexes[position]));
	return [stored, notStored];
}
