/**
 * The one "where is the record" parameter of every node that reads records (Normalize Lead, Dedupe, Map to CRM
 * Fields, Warehouse Insert, Dead Letter Queue): the same name, options and wording on each panel, read the
 * same way (lib/itemData.ts recordAt).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { recordAt, type RecordLocation } from '../../lib/itemData';

type DisplayOptions = INodeProperties['displayOptions'];

/** The places a record can be in an item (Normalize Lead 1 offered the same under Lead Data). */
export const RECORD_FROM_OPTIONS: INodeProperties['options'] = [
	{
		name: 'Auto-Detect',
		value: 'auto',
		description: "The request body when the item comes from a Webhook node, otherwise the whole item",
	},
	{ name: 'Whole Item', value: 'item', description: 'Every field of the incoming item' },
	{ name: 'One Field', value: 'field', description: 'An object inside the item, such as body or data.lead' },
];

/** `Record` and its `Record Field`, shown where `displayOptions` says (a node version, an operation). */
export function recordLocationProperties(noun: string, displayOptions?: DisplayOptions): INodeProperties[] {
	const show = displayOptions?.show ?? {};
	return [
		{
			displayName: 'Record',
			name: 'recordFrom',
			type: 'options',
			options: RECORD_FROM_OPTIONS,
			default: 'auto',
			description: `Where in each incoming item the ${noun} is`,
			...(displayOptions ? { displayOptions } : {}),
		},
		{
			displayName: 'Record Field',
			name: 'recordField',
			type: 'string',
			default: 'body',
			placeholder: 'data.lead',
			description: `Path of the object holding the ${noun}; dots reach into nested objects`,
			displayOptions: { ...displayOptions, show: { ...show, recordFrom: ['field'] } },
		},
	];
}

/** The location the user chose; read once per execution, as every item is read the same way. */
export function recordLocationOf(context: IExecuteFunctions): RecordLocation {
	const from = context.getNodeParameter('recordFrom', 0, 'auto') as RecordLocation['from'];
	if (from !== 'field') return { from };
	return { from, field: (context.getNodeParameter('recordField', 0, '') as string).trim() };
}

/**
 * Every item's record, for the nodes that have no per-item error output (Dedupe, Warehouse Insert): an item
 * without a record at the chosen field stops the node with an error naming the item and the field, since
 * the field is the same for every item and a wrong path is a setting to fix.
 */
export function recordsOf(context: IExecuteFunctions, items: INodeExecutionData[]): IDataObject[] {
	const location = recordLocationOf(context);
	return items.map((item, itemIndex) => {
		const found = recordAt(item.json, location);
		if ('record' in found) return found.record as IDataObject;
		throw new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${found.problem.message}`, {
			itemIndex,
			description: "Set Record to where the fields are in each item (Auto-Detect reads a Webhook node's body)",
		});
	});
}
