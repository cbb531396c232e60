import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { expiryCutoff } from '../../../lib/retention';
import { openChosenStore } from '../../shared/storeChoice';
import { METRICS_STORE } from '../transport';
import * as checkHealth from './checkHealth.operation';
import * as recordOutcome from './recordOutcome.operation';

export const operations = { recordOutcome, checkHealth };
export type FlowHealthOperation = keyof typeof operations;

/** Opens the store once per execution of the node, runs the operation, closes the store. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as FlowHealthOperation;
	const items = this.getInputData();
	const metrics = await openChosenStore(this, METRICS_STORE);
	try {
		const cutoff = expiryCutoff(this.getNodeParameter('maxAgeDays', 0, 0));
		if (cutoff !== undefined) await metrics.expire(cutoff);
		return await operations[operation].execute.call(this, metrics, items);
	} finally {
		await metrics.close();
	}
}
