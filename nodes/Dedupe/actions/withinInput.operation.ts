import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { matchInput } from './common';

/** Its parameters are shared with other operations (properties.ts). */
export const description: INodeProperties[] = [];

/** The incoming items matched with each other. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	return matchInput(this, items, () => []);
}
