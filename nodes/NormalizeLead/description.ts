import type { INodeProperties } from 'n8n-workflow';

import { CANONICAL_INPUT_FIELDS } from '../../lib/lead/aliases';
import { RECORD_FROM_OPTIONS, recordLocationProperties } from '../shared/recordLocation';

const canonicalFieldOptions = CANONICAL_INPUT_FIELDS.map((field) => ({ name: field, value: field }));

export const normalizeLeadProperties: INodeProperties[] = [
	{
		displayName: 'Lead Data',
		name: 'leadSource',
		type: 'options',
		options: RECORD_FROM_OPTIONS,
		default: 'auto',
		description: 'Where in each incoming item the lead fields are',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Field',
		name: 'leadField',
		type: 'string',
		default: 'body',
		placeholder: 'data.lead',
		description: 'Path of the object holding the lead fields; dots reach into nested objects',
		displayOptions: { show: { '@version': [1], leadSource: ['field'] } },
	},
	...recordLocationProperties('lead', { show: { '@version': [{ _cnd: { gte: 1.1 } }] } }),
	{
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: '',
		placeholder: 'BR',
		description:
			"Country for phone numbers written without a country code when the lead's own country is missing. An ISO code (BR, US) or a name in any common language. Set it here once: the lead's country and phone_country go on to Dedupe and the CRM.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Field Aliases',
				name: 'fieldAliases',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description:
					"Your own names for lead fields (e.g. a form's 'whatsapp_number' is the phone). They are checked before the built-in English, Portuguese and Spanish names.",
				options: [
					{
						displayName: 'Alias',
						name: 'alias',
						values: [
							{
								displayName: 'Incoming Field Name',
								name: 'alias',
								type: 'string',
								default: '',
								placeholder: 'whatsapp_number',
								description: 'Name of the field in the incoming item; dots reach into objects (contact.email)',
							},
							{
								displayName: 'Lead Field',
								name: 'field',
								type: 'options',
								options: canonicalFieldOptions,
								default: 'email',
								description: 'The lead field it fills',
							},
						],
					},
				],
			},
			{
				displayName: 'Industry Picklist',
				name: 'industryPicklist',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description:
					"Your CRM's industry values with the words that mean them. When set, it replaces the built-in picklist.",
				options: [
					{
						displayName: 'Industry',
						name: 'industry',
						values: [
							{
								displayName: 'Picklist Value',
								name: 'value',
								type: 'string',
								default: '',
								placeholder: 'Technology',
								description: 'Exactly as the CRM picklist spells it',
							},
							{
								displayName: 'Synonyms',
								name: 'synonyms',
								type: 'string',
								default: '',
								placeholder: 'software, SaaS, tecnologia, tecnología',
								description: 'Comma-separated words that should become this value',
							},
						],
					},
				],
			},
			{
				displayName: 'Keep Unknown Fields',
				name: 'keepUnknownFields',
				type: 'boolean',
				default: true,
				description: 'Whether to keep fields that are not lead fields (form IDs, custom answers) beside the normalized ones',
			},
			{
				displayName: 'Require Email or Phone',
				name: 'requireEmailOrPhone',
				type: 'boolean',
				default: true,
				description: 'Whether a lead with neither a usable email nor a usable phone goes to the Invalid output',
			},
		],
	},
];
