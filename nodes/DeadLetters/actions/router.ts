import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { expiryCutoff } from '../../../lib/retention';
import { openChosenStore } from '../../shared/storeChoice';
import { DEAD_LETTER_STORE } from '../transport';
import * as getDue from './getDue.operation';
import * as list from './list.operation';
import * as markResolved from './markResolved.operation';
import * as recordFailedAttempt from './recordFailedAttempt.operation';
import * as store from './store.operation';

export const operations = { store, getDue, markResolved, recordFailedAttempt, list };
export type DeadLettersOperation = keyof typeof operations;

/** Opens the store once per execution of the node, runs the operation, closes the store. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as DeadLettersOperation;
	const items = this.getInputData();
	const deadLetters = await openChosenStore(this, DEAD_LETTER_STORE);
	try {
		const cutoff = expiryCutoff(this.getNodeParameter('maxAgeDays', 0, 0));
		if (cutoff !== undefined) await deadLetters.expire(cutoff);
		return await operations[operation].execute.call(this, deadLetters, items);
	} finally {
		await deadLetters.close();
	}
}
