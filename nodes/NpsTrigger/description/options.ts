import type { INodeProperties } from 'n8n-workflow';

export const optionsProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emit Other Events',
				name: 'emitOtherEvents',
				type: 'boolean',
				default: false,
				description:
					'Whether authentic deliveries that are not NPS answers (CSAT/CES responses, declines, other event types) start the workflow on the Other Events output. Off: they are acknowledged with 200 and start nothing.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the parsed request body to each record as raw',
			},
			{
				displayName: 'Score Scale',
				name: 'scale',
				type: 'options',
				default: '0-10',
				options: [
					{ name: '0-10 (Standard NPS)', value: '0-10' },
					{ name: '1-10', value: '1-10', description: 'For tools without a 0 button: 0 is then rejected' },
				],
			},
		],
	},
];
