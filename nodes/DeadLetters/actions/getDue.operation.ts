import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { DeadLetterStore, ReplayPolicy } from '../../../lib/deadLetters/store';
import { forOperation } from '../../shared/forOperation';
import { replayItem } from './common';

const MINUTE_MS = 60_000;

export const description: INodeProperties[] = forOperation('getDue', [
	{
		displayName: 'Workflow ID',
		name: 'workflowId',
		type: 'string',
		default: '',
		placeholder: 'yzSbNmnq4XLUhqVW',
		description: 'Replay only the entries this workflow stored (its ID is in its URL). Empty: every workflow’s.',
	},
	{
		displayName: 'Step',
		name: 'step',
		type: 'string',
		default: '',
		placeholder: 'Send to HubSpot',
		description: 'Replay only the entries of this step. Empty: every step’s.',
	},
	{
		displayName: 'First Retry After (Minutes)',
		name: 'firstDelayMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 5,
		description: 'Wait after the first failure; the wait doubles after each failed attempt',
	},
	{
		displayName: 'Longest Wait (Minutes)',
		name: 'maxDelayMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 360,
		description: 'The wait between attempts never grows beyond this',
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description: 'Attempts in all, the original failure included. An entry with this many is given up (Gave Up output) with its last reason.',
	},
	{
		displayName: 'Options',
		name: 'replayOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Hold For (Minutes)',
				name: 'claimMinutes',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 10,
				description:
					'Entries taken are held this long: another replay running meanwhile does not take them again. Mark Resolved and Record Failed Attempt release them; if the replay crashes, they are due again after this.',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
			},
		],
	},
]);

/** Runs once, whatever the input (a Schedule Trigger's one item): outputs Due and Gave Up. */
export async function execute(this: IExecuteFunctions, store: DeadLetterStore): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('replayOptions', 0, {}) as { claimMinutes?: number; limit?: number };
	const policy: ReplayPolicy = {
		firstDelayMs: (this.getNodeParameter('firstDelayMinutes', 0) as number) * MINUTE_MS,
		maxDelayMs: (this.getNodeParameter('maxDelayMinutes', 0) as number) * MINUTE_MS,
		maxAttempts: this.getNodeParameter('maxAttempts', 0) as number,
		claimMs: (options.claimMinutes ?? 10) * MINUTE_MS,
		limit: options.limit ?? 50,
	};
	const scope = {
		workflowId: (this.getNodeParameter('workflowId', 0, '') as string).trim(),
		step: (this.getNodeParameter('step', 0, '') as string).trim(),
	};
	const { due, gaveUp } = await store.claimDue(policy, new Date(), scope);
	return [due.map((entry) => replayItem(entry, 0)), gaveUp.map((entry) => replayItem(entry, 0))];
}
