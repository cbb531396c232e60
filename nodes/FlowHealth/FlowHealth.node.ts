import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { FLOW_HEALTH_OUTPUTS, flowHealthProperties } from './actions/properties';
import { router } from './actions/router';
import { POSTGRES_CREDENTIAL } from './transport';

export class FlowHealth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flow Health',
		name: 'flowHealth',
		icon: { light: 'file:flowHealth.svg', dark: 'file:flowHealth.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ {recordOutcome: "Record outcome", checkHealth: "Check health"}[$parameter["operation"]] }}',
		description: 'Counts what every flow received, sent, skipped and lost, by source and with latency, and alerts when errors rise or a source goes silent',
		defaults: { name: 'Flow Health' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: FLOW_HEALTH_OUTPUTS,
		credentials: [{ name: POSTGRES_CREDENTIAL, required: true, displayOptions: { show: { store: ['postgres'] } } }],
		properties: flowHealthProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
