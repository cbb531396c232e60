import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { DeadLetterStatus, DeadLetterStore } from '../../../lib/deadLetters/store';
import { forOperation } from '../../shared/forOperation';
import { entryFacts } from './common';

export const description: INodeProperties[] = forOperation('list', [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Gave Up', value: 'gave_up' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Resolved', value: 'resolved' },
		],
		default: 'pending',
	},
	{
		displayName: 'Workflow ID',
		name: 'workflowId',
		type: 'string',
		default: '',
		description: 'Only the entries this workflow stored. Empty: every workflow’s.',
	},
	{
		displayName: 'Step',
		name: 'step',
		type: 'string',
		default: '',
		description: 'Only the entries of this step. Empty: every step’s.',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
]);

/** Newest first, one item per entry: its facts and the item as received. */
export async function execute(this: IExecuteFunctions, store: DeadLetterStore): Promise<INodeExecutionData[][]> {
	const status = this.getNodeParameter('status', 0, '') as DeadLetterStatus | '';
	const entries = await store.list({
		status: status === '' ? undefined : status,
		workflowId: (this.getNodeParameter('workflowId', 0, '') as string).trim(),
		step: (this.getNodeParameter('step', 0, '') as string).trim(),
		limit: this.getNodeParameter('limit', 0, 50) as number,
	});
	return [entries.map((entry) => ({ json: { ...entryFacts(entry), item: entry.item as IDataObject }, pairedItem: { item: 0 } }))];
}
