import type { INodeProperties } from 'n8n-workflow';

export const redeliveryProperties: INodeProperties[] = [
	{
		displayName: 'Redelivery Check',
		name: 'redeliveryStore',
		type: 'options',
		default: 'n8n',
		options: [
			{
				name: "N8n's Deduplication Store (One Process)",
				value: 'n8n',
				description:
					'Remembers deliveries in n8n’s own database. Not safe across processes: with several webhook processors (queue mode), a retry reaching two of them at once can start two executions.',
			},
			{
				name: 'PostgreSQL (Queue Mode)',
				value: 'postgres',
				description:
					'Claims each response state in a table of your Warehouse PostgreSQL database (revops_nps_deliveries, created when missing), atomically: one execution per response state however many processes receive it',
			},
		],
		description: 'Where the trigger remembers the responses it started executions for, so a redelivered response starts nothing',
	},
];
