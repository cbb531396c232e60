import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeWithStore } from '../../shared/storeChoice';
import { METRICS_STORE } from '../transport';
import * as checkHealth from './checkHealth.operation';
import * as recordOutcome from './recordOutcome.operation';

export const operations = { recordOutcome, checkHealth };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeWithStore(this, METRICS_STORE, operations);
}
