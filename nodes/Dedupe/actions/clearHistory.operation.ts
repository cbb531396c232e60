import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { withHistory } from '../transport';

/** Its parameters are shared with other operations (properties.ts). */
export const description: INodeProperties[] = [];

/** Forgets the history; one item says what was cleared. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [[{ json: await withHistory(this, async (history) => await history.clear()), pairedItem: { item: 0 } }]];
}
