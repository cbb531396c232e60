import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { reasonOf } from '../../../lib/deadLetters/failure';
import type { DeadLetterStore } from '../../../lib/deadLetters/store';
import { forOperation } from '../../shared/forOperation';
import {changeNamedEntries, entryIdProperty, reasonFieldsProperty } from './common';
import { commaList } from '../../shared/commaList';

export const description: INodeProperties[] = forOperation('recordFailedAttempt', [
	entryIdProperty,
	reasonFieldsProperty("Fields the new reason is read from, comma-separated, in order: n8n's error output puts the message in 'error', HTTP Request adds the vendor's words in 'details'"),
]);

/** One more attempt with the reason read from the item; the entry is due again after the doubled wait. */
export async function execute(this: IExecuteFunctions, store: DeadLetterStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = new Date();
	return await changeNamedEntries(this, items, async (id, index) => {
		const fields = commaList(this.getNodeParameter('reasonFields', index, '') as string);
		const reason = reasonOf(items[index].json, fields) ?? `The replay failed with no reason on the item (looked at ${fields.join(', ')})`;
		return await store.recordAttempt(id, reason, now);
	});
}
