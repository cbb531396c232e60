import type { INodeProperties } from 'n8n-workflow';

const showForMapping = { show: { provider: ['fieldMapping'] } };

export const fieldMappingProperties: INodeProperties[] = [
	{
		displayName: 'Response ID Path',
		name: 'responseIdPath',
		type: 'string',
		default: 'response_id',
		required: true,
		displayOptions: showForMapping,
		description: 'Dot path of the unique response identifier in the posted body, e.g. data.response or answers[0].value',
	},
	{
		displayName: 'Score Path',
		name: 'npsScorePath',
		type: 'string',
		default: 'score',
		required: true,
		displayOptions: showForMapping,
		description: 'Dot path of the 0-10 answer',
	},
	{
		displayName: 'Other Fields',
		name: 'fieldPaths',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForMapping,
		options: [
			{ displayName: 'Comment Path', name: 'comment', type: 'string', default: '' },
			{ displayName: 'Customer ID Path', name: 'customer_id', type: 'string', default: '' },
			{ displayName: 'Email Path', name: 'email', type: 'string', default: '', placeholder: 'respondent.email' },
			{ displayName: 'Event Type Path', name: 'event_type', type: 'string', default: '', description: 'Field naming the event; deliveries whose event is not in NPS Event Values are acknowledged and ignored' },
			{ displayName: 'NPS Event Values', name: 'nps_event_values', type: 'string', default: '', description: 'Comma-separated event values that are NPS responses' },
			{ displayName: 'Person ID Path', name: 'person_id', type: 'string', default: '' },
			{ displayName: 'Properties Path', name: 'properties', type: 'string', default: '', description: 'An object of custom dimensions (plan, region, ...)' },
			{ displayName: 'Survey Date Path', name: 'survey_date', type: 'string', default: '', description: 'Empty: the time the delivery is received' },
			{ displayName: 'Survey ID Path', name: 'survey_id', type: 'string', default: '' },
			{ displayName: 'Themes Path', name: 'themes', type: 'string', default: '', description: 'An array of tags' },
			{ displayName: 'Updated At Path', name: 'updated_at', type: 'string', default: '', description: 'A time that changes when the response is edited (tells updates from redeliveries)' },
		],
	},
];
