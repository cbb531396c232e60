import type { INodeProperties } from 'n8n-workflow';

import { SALESFORCE_API_VERSION } from '../../lib/crm/apiVersions';
import { HUBSPOT_NPS_FIELDS } from '../../lib/crm/hubspot';
import type { NpsFieldNames } from '../../lib/crm/profile';
import { SALESFORCE_NPS_FIELDS } from '../../lib/crm/salesforce';
import { recordLocationProperties } from '../shared/recordLocation';

type Crm = 'salesforce' | 'hubspot' | 'pipedrive';

const NPS_VALUES: Array<{ key: keyof NpsFieldNames; label: string; what: string }> = [
	{ key: 'score', label: 'Score Field', what: 'the 0-10 score (Number)' },
	{ key: 'segment', label: 'Segment Field', what: 'Promoter/Passive/Detractor (Picklist)' },
	{ key: 'themes', label: 'Themes Field', what: 'the themes (Multi-Select)' },
	{ key: 'surveyDate', label: 'Survey Date Field', what: 'the survey date (Date)' },
	{ key: 'comment', label: 'Comment Field', what: 'the comment (Long Text)' },
];

/** Records settings for NPS responses apply to: Leads never use them. */
const NPS_RECORD_TYPES = ['auto', 'nps'];

/** One collection of NPS field names per CRM, since each CRM has its own defaults and naming rules. */
function npsFieldNames(crm: Crm, defaults: NpsFieldNames | null): INodeProperties {
	const pipedrive = defaults === null;
	return {
		displayName: 'NPS Fields',
		name: `${crm}NpsFields`,
		type: 'collection',
		placeholder: 'Set Field',
		default: {},
		description: pipedrive
			? "40-character keys of the person custom fields for NPS values (Pipedrive shows them under Company settings → Data fields → ... → Copy API key). Values without a key are not sent."
			: 'Where NPS values go; leave a field empty to keep the built-in name, or type - to leave that value out',
		displayOptions: { show: { crm: [crm], recordType: NPS_RECORD_TYPES } },
		options: NPS_VALUES.map(({ key, label, what }) => ({
			displayName: label,
			name: key,
			type: 'string',
			default: '',
			placeholder: pipedrive ? 'dcf558aac1ae4e8c4f849ba5e668430d8df9be12' : defaults[key],
			description: `CRM field for ${what}`,
		})),
	};
}

const segmentLabel = (segment: string, placeholder: string): INodeProperties => ({
	displayName: `${placeholder} Label`,
	name: segment,
	type: 'string',
	default: placeholder,
	description: `Value of the segment picklist for ${segment}s, exactly as your CRM spells it (e.g. Promotor, Passivo, Detrator)`,
});

const segmentOptionId = (segment: string): INodeProperties => ({
	displayName: `${segment[0].toUpperCase()}${segment.slice(1)} Option ID`,
	name: segment,
	type: 'number',
	default: 0,
	description: `ID of the ${segment} option of the segment field (GET /api/v2/personFields lists them)`,
});

export const mapToCrmFieldsProperties: INodeProperties[] = [
	{
		displayName: 'CRM',
		name: 'crm',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'HubSpot', value: 'hubspot', description: 'Contacts' },
			{ name: 'Pipedrive', value: 'pipedrive', description: 'Persons (API v2)' },
			{ name: 'Salesforce', value: 'salesforce', description: 'Leads or Contacts' },
		],
		default: 'salesforce',
	},
	{
		displayName: 'Object',
		name: 'salesforceObject',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Lead', value: 'Lead' },
			{ name: 'Contact', value: 'Contact' },
		],
		default: 'Lead',
		displayOptions: { show: { crm: ['salesforce'] } },
	},
	{
		displayName: 'Records',
		name: 'recordType',
		type: 'options',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'NPS responses by their nps_score and response_id, leads otherwise' },
			{ name: 'Leads', value: 'lead', description: 'Canonical leads, as Normalize Lead outputs them' },
			{ name: 'NPS Responses', value: 'nps', description: 'Canonical NPS responses' },
		],
		default: 'auto',
	},
	{
		displayName: 'Record Field',
		name: 'recordField',
		type: 'string',
		default: '',
		placeholder: 'body',
		description: 'Path of the object holding the record (body when the item comes from a Webhook node); empty for the whole item',
		displayOptions: { show: { '@version': [1] } },
	},
	...recordLocationProperties('record', { show: { '@version': [{ _cnd: { gte: 1.1 } }] } }),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Item per Record',
				value: 'records',
				description: "Each record with the CRM's field names, for n8n's Salesforce, HubSpot and Pipedrive nodes",
			},
			{
				name: 'Bulk Request Bodies',
				value: 'bulk',
				description: "Ready-to-send bodies for the CRM's batch endpoint, for the HTTP Request node",
			},
		],
		default: 'records',
	},
	{
		displayName: 'External ID Field',
		name: 'externalIdField',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Lead_Key__c',
		description: 'API name of the External ID field the records are upserted by; map a value to it under Field Mappings',
		displayOptions: { show: { crm: ['salesforce'], output: ['bulk'] } },
	},
	{
		displayName: 'API Version',
		name: 'salesforceApiVersion',
		type: 'string',
		default: SALESFORCE_API_VERSION,
		description: 'Salesforce REST API version in the request path (46.0 or later)',
		displayOptions: { show: { crm: ['salesforce'], output: ['bulk'] } },
	},
	{
		displayName: 'All or None',
		name: 'allOrNone',
		type: 'boolean',
		default: false,
		description: 'Whether Salesforce rolls back the whole request when one record fails',
		displayOptions: { show: { crm: ['salesforce'], output: ['bulk'] } },
	},
	{
		displayName: 'Match Contacts By',
		name: 'idProperty',
		type: 'string',
		default: 'email',
		description: 'Unique HubSpot property the contacts are upserted by',
		displayOptions: { show: { crm: ['hubspot'] } },
	},
	{
		displayName: 'Field Mappings',
		name: 'fieldMappings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mapping',
		default: {},
		description: 'CRM fields to fill on top of (or instead of) the built-in presets',
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				// In fill-in order, not alphabetical (the rule's order put CRM Field third and Value before Value
				// From): what to fill, where its value comes from, the value, then the optional type and checks.
				// eslint-disable-next-line n8n-nodes-base/node-param-fixed-collection-type-unsorted-items
				values: [
					{
						displayName: 'CRM Field',
						name: 'target',
						type: 'string',
						default: '',
						placeholder: 'LeadSource',
						description: 'API name of the CRM field (Salesforce API name, HubSpot internal name, Pipedrive field or 40-character key)',
					},
					{
						displayName: 'Value From',
						name: 'from',
						type: 'options',
						options: [
							{ name: 'Record Field', value: 'field', description: 'A field of the record; dots reach into objects' },
							{ name: 'Value', value: 'value', description: 'A constant, or an expression evaluated per item' },
						],
						default: 'value',
					},
					{
						displayName: 'Record Field',
						name: 'source',
						type: 'string',
						default: '',
						placeholder: 'attribution.original.campaign',
						displayOptions: { show: { from: ['field'] } },
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'n8n webhook',
						displayOptions: { show: { from: ['value'] } },
					},
					{
						displayName: 'Field Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Boolean', value: 'boolean' },
							{ name: "CRM's Rule", value: 'crm', description: 'The rule of the known field; text for custom fields' },
							{ name: 'Date', value: 'date' },
							{ name: 'Date and Time', value: 'datetime' },
							{ name: 'Email', value: 'email' },
							{ name: 'Multi-Select Picklist', value: 'multipicklist' },
							{ name: 'Number', value: 'number' },
							{ name: 'Phone', value: 'phone' },
							{ name: 'Picklist', value: 'picklist' },
							{ name: 'Text', value: 'text' },
							{ name: 'URL', value: 'url' },
						],
						default: 'crm',
						description: 'How the value is checked and written',
					},
					{
						displayName: 'Max Length',
						name: 'maxLength',
						type: 'number',
						typeOptions: { minValue: 0 },
						// Empty, not 0: an empty box reads as "no limit of my own", a 0 reads as "nothing fits".
						default: '',
						placeholder: "CRM's limit",
						description: "Most characters the field holds; empty keeps the CRM's limit",
					},
					{
						displayName: 'Allowed Values',
						name: 'allowedValues',
						type: 'string',
						default: '',
						placeholder: 'Web, Partner, n8n webhook',
						description: 'Comma-separated picklist values; empty accepts any value',
					},
					{
						displayName: 'Apply To',
						name: 'appliesTo',
						type: 'options',
						options: [
							{ name: 'All Records', value: 'all' },
							{ name: 'Leads Only', value: 'lead' },
							{
								name: 'NPS Responses Only',
								value: 'nps',
								description: 'NPS responses update existing CRM records: a constant here overwrites what the CRM has',
							},
						],
						default: 'all',
					},
				],
			},
		],
	},
	{
		displayName: 'Field Defaults',
		name: 'fieldDefaults',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Default',
		default: {},
		description: 'Values for fields a lead leaves empty, e.g. Company "[not provided]" for Salesforce Leads (not used for NPS responses, which update existing records)',
		options: [
			{
				displayName: 'Default',
				name: 'default',
				values: [
					{ displayName: 'CRM Field', name: 'target', type: 'string', default: '', placeholder: 'Company' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '[not provided]' },
				],
			},
		],
	},
	npsFieldNames('salesforce', SALESFORCE_NPS_FIELDS),
	npsFieldNames('hubspot', HUBSPOT_NPS_FIELDS),
	npsFieldNames('pipedrive', null),
	{
		displayName: 'Segment Option IDs',
		name: 'segmentOptionIds',
		type: 'collection',
		placeholder: 'Set Option ID',
		default: {},
		description: 'Pipedrive single-option fields take option IDs: the ID of each segment option',
		displayOptions: { show: { crm: ['pipedrive'], recordType: NPS_RECORD_TYPES } },
		options: ['promoter', 'passive', 'detractor'].map(segmentOptionId),
	},
	{
		displayName: 'Theme Option IDs',
		name: 'themeOptionIds',
		type: 'string',
		default: '',
		placeholder: 'Ease of use=21, Customer support=22',
		description: 'Pipedrive multiple-option field: theme=option ID pairs; empty sends the themes as text',
		displayOptions: { show: { crm: ['pipedrive'], recordType: NPS_RECORD_TYPES } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Themes',
				name: 'themeValues',
				type: 'string',
				default: '',
				placeholder: 'Ease of use, Customer support, Pricing',
				description: 'Comma-separated values of the themes multi-select; a response with another theme goes to Invalid',
				displayOptions: { show: { '/recordType': NPS_RECORD_TYPES } },
			},
			{
				displayName: 'Consent Fields',
				name: 'consentFields',
				type: 'collection',
				placeholder: 'Set Field',
				default: {},
				description:
					"Your CRM's custom fields that keep when, where and under which policy a lead consented (Pipedrive: their 40-character keys). Each is written when the lead states it; the consent itself goes to HasOptedOutOfEmail (Salesforce) or marketing_status (Pipedrive).",
				displayOptions: { show: { '/recordType': ['auto', 'lead'] } },
				options: [
					{
						displayName: 'Consent Date Field',
						name: 'date',
						type: 'string',
						default: '',
						placeholder: 'Consent_Date__c',
						description: 'Date and time field for when consent was given or withdrawn',
					},
					{
						displayName: 'Consent Policy Version Field',
						name: 'policyVersion',
						type: 'string',
						default: '',
						placeholder: 'Consent_Policy_Version__c',
						description: 'Text field for the privacy policy version consented to',
					},
					{
						displayName: 'Consent Source Field',
						name: 'source',
						type: 'string',
						default: '',
						placeholder: 'Consent_Source__c',
						description: 'Text field for where consent was captured (a form, a page)',
					},
				],
			},
			{
				displayName: 'Country Field',
				name: 'salesforceCountryField',
				type: 'options',
				options: [
					{ name: 'CountryCode (State and Country Picklists On)', value: 'CountryCode' },
					{ name: 'Country (Free Text)', value: 'Country' },
				],
				default: 'CountryCode',
				description: 'Salesforce field that takes the ISO country code',
				displayOptions: { show: { '/crm': ['salesforce'], '/recordType': ['auto', 'lead'] } },
			},
			{
				displayName: 'Segment Labels',
				name: 'segmentLabels',
				type: 'collection',
				placeholder: 'Set Label',
				default: {},
				displayOptions: { show: { '/recordType': NPS_RECORD_TYPES } },
				options: [segmentLabel('promoter', 'Promoter'), segmentLabel('passive', 'Passive'), segmentLabel('detractor', 'Detractor')],
			},
			{
				displayName: 'Truncate Long Values',
				name: 'truncate',
				type: 'boolean',
				default: false,
				description:
					"Whether to cut text longer than the CRM's limit (the record carries a warning listing what was cut) instead of sending the record to Invalid",
			},
			{
				displayName: 'Use Presets',
				name: 'usePresets',
				type: 'boolean',
				default: true,
				description: 'Whether to fill CRM fields from the canonical lead and NPS fields by the built-in table',
			},
		],
	},
];
