import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { DEDUPE_INPUTS, DEDUPE_OUTPUTS, dedupeProperties, STORE_OPERATIONS } from './actions/properties';
import { router } from './actions/router';
import { POSTGRES_CREDENTIAL } from './transport';

export class Dedupe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dedupe',
		name: 'dedupe',
		icon: { light: 'file:dedupe.svg', dark: 'file:dedupe.dark.svg' },
		group: ['transform'],
		// 1.1: the PostgreSQL record store connects with the Warehouse PostgreSQL credential, not a URL parameter
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Finds the same lead or person within a batch, against existing records or across executions, with fuzzy rules',
		defaults: { name: 'Dedupe' },
		usableAsTool: true,
		inputs: DEDUPE_INPUTS,
		outputs: DEDUPE_OUTPUTS,
		credentials: [
			{
				name: POSTGRES_CREDENTIAL,
				required: true,
				displayOptions: { show: { operation: STORE_OPERATIONS, store: ['postgres'], '@version': [1.1] } },
			},
		],
		properties: dedupeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
