import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeWithStore } from '../../shared/storeChoice';
import { DEAD_LETTER_STORE } from '../transport';
import * as getDue from './getDue.operation';
import * as list from './list.operation';
import * as markResolved from './markResolved.operation';
import * as recordFailedAttempt from './recordFailedAttempt.operation';
import * as store from './store.operation';

export const operations = { store, getDue, markResolved, recordFailedAttempt, list };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeWithStore(this, DEAD_LETTER_STORE, operations);
}
