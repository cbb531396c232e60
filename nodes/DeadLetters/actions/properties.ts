import type { INodeProperties } from 'n8n-workflow';

import { storeChoiceProperties } from '../../shared/storeChoice';
import { DEAD_LETTER_STORE } from '../transport';
import { operations } from './router';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Get Due for Replay',
			value: 'getDue',
			action: 'Get entries due for replay',
			description: 'Take the pending entries whose wait has passed, each as the item it was, for a Schedule Trigger replay',
		},
		{
			name: 'List',
			value: 'list',
			action: 'List entries',
			description: 'The entries, newest first, for a person to look at',
		},
		{
			name: 'Mark Resolved',
			value: 'markResolved',
			action: 'Mark entries resolved',
			description: 'Close the entry each item names, e.g. once the replay went through',
		},
		{
			name: 'Record Failed Attempt',
			value: 'recordFailedAttempt',
			action: 'Record a failed attempt',
			description: 'Count one more failed attempt, with its reason, on the entry each item names',
		},
		{
			name: 'Store Failed Items',
			value: 'store',
			action: 'Store failed items',
			description: 'Keep each incoming item with the reason it failed, at the end of a failure branch',
		},
	],
	default: 'store',
};

const storeProperties = storeChoiceProperties(
	DEAD_LETTER_STORE,
	'Table of the dead letters, optionally schema.table; created when missing',
	'Retention: entries whose last failure is older than this many days are deleted, in any status, each time the node runs. 0 keeps them.',
);

/** Outputs per operation: the ones that change or read entries by item route items naming no entry apart. */
export const DEAD_LETTERS_OUTPUTS = `={{ {
	store: [{ type: "main", displayName: "Stored" }, { type: "main", displayName: "Not Stored" }],
	getDue: [{ type: "main", displayName: "Due" }, { type: "main", displayName: "Gave Up" }],
	markResolved: [{ type: "main", displayName: "Resolved" }, { type: "main", displayName: "Not Found" }],
	recordFailedAttempt: [{ type: "main", displayName: "Recorded" }, { type: "main", displayName: "Not Found" }],
	list: [{ type: "main", displayName: "Entries" }],
}[$parameter["operation"]] }}`;

export const deadLettersProperties: INodeProperties[] = [
	operationProperty,
	...storeProperties,
	...Object.values(operations).flatMap((operation) => operation.description),
];
