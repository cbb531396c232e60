import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEAD_LETTERS_OUTPUTS, deadLettersProperties } from './actions/properties';
import { router } from './actions/router';
import { POSTGRES_CREDENTIAL } from './transport';

export class DeadLetters implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dead Letter Queue',
		name: 'deadLetters',
		icon: { light: 'file:deadLetters.svg', dark: 'file:deadLetters.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ {store: "Store failed items", getDue: "Get due for replay", markResolved: "Mark resolved", recordFailedAttempt: "Record failed attempt", list: "List"}[$parameter["operation"]] }}',
		description: 'Keeps every item a flow could not finish, with the reason, and replays it later with backoff: nothing lost, nothing unseen',
		defaults: { name: 'Dead Letter Queue' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: DEAD_LETTERS_OUTPUTS,
		credentials: [{ name: POSTGRES_CREDENTIAL, required: true, displayOptions: { show: { store: ['postgres'] } } }],
		properties: deadLettersProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
