import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { DeadLetterStore } from '../../../lib/deadLetters/store';
import { forOperation } from '../../shared/forOperation';
import { changeNamedEntries, entryIdProperty } from './common';

export const description: INodeProperties[] = forOperation('markResolved', [
	entryIdProperty,
	{
		displayName: 'Resolution',
		name: 'resolution',
		type: 'string',
		default: 'Replayed',
		description: 'What resolved the entry, for the person reading the list later',
	},
]);

/** An entry already resolved stays as it was; a given-up one can be resolved (a person fixed it). */
export async function execute(this: IExecuteFunctions, store: DeadLetterStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = new Date();
	return await changeNamedEntries(this, items, async (id, index) => await store.resolve(id, this.getNodeParameter('resolution', index, '') as string, now));
}
