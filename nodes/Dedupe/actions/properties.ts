import type { INodeProperties } from 'n8n-workflow';

import { COMPARATOR_TYPES } from '../../../lib/dedupe/comparators';
import { DEFAULT_B2B_RULES } from '../../../lib/dedupe/rules';
import { recordLocationProperties } from '../../shared/recordLocation';
import { maxAgeDaysProperty } from '../../shared/retention';
import { defaultSqliteFile } from '../transport';
import { operations } from './router';

const COMPARATOR_LABELS: Record<(typeof COMPARATOR_TYPES)[number], { name: string; description: string }> = {
	exact: { name: 'Exact', description: 'Same text after trimming' },
	email: { name: 'Email', description: 'Same address ignoring case, Gmail dots and +tags' },
	emailTypo: { name: 'Email (Typos Allowed)', description: 'Jaro-Winkler of the mailbox at one domain; two free-mail providers, or john.smith and john.smith7, never agree' },
	emailDomain: { name: 'Company Email Domain', description: 'Same email domain, free-mail domains never agree' },
	phone: { name: 'Phone', description: 'Same number in E.164, whatever the formatting' },
	personName: { name: 'Person Name', description: 'Jaro-Winkler with nicknames (Bob = Robert, Zé = José), any word order' },
	company: { name: 'Company', description: 'Same name ignoring legal suffixes, case and punctuation (Acme S.A. = ACME Ltda)' },
	text: { name: 'Text', description: 'Jaro-Winkler similarity of the folded text' },
	date: { name: 'Date', description: 'Same date; day and month swapped scores 0.95' },
	number: { name: 'Number', description: 'Threshold is the largest difference allowed' },
};

/** Where the hold options apply: matching against a SQLite or PostgreSQL history, into Unique and Duplicates. */
const HOLD_OPTION_DISPLAY: INodeProperties['displayOptions'] = { show: { '/operation': ['acrossExecutions'], '/store': ['sqlite', 'postgres'], '/outputMode': ['split'] } };

/** Operations that work on the history kept between executions. */
export const STORE_OPERATIONS = ['acrossExecutions', 'rememberRecords', 'releaseHeld', 'clearHistory'];

/** Against Existing Records adds the second input. */
export const DEDUPE_INPUTS = `={{ $parameter["operation"] === "againstInput" ? [{ type: "main", displayName: "New Records" }, { type: "main", displayName: "Existing Records" }] : ["main"] }}`;

/** Whether new records are held until remembered, which adds the In Progress output (see acrossExecutions.operation.ts holdOptions). */
const HOLDS_EXPRESSION =
	'($parameter["operation"] === "acrossExecutions" && $parameter["store"] !== "n8n" && $parameter["options"]["rememberUnique"] === false && $parameter["options"]["holdNewRecords"] === true)';

/** Outputs per operation and Output mode. */
export const DEDUPE_OUTPUTS = `={{ $parameter["operation"] === "clearHistory" ? [{ type: "main", displayName: "Done" }] : $parameter["operation"] === "rememberRecords" ? [{ type: "main", displayName: "Remembered" }] : $parameter["operation"] === "releaseHeld" ? [{ type: "main", displayName: "Released" }] : $parameter["outputMode"] === "merge" ? [{ type: "main", displayName: "Merged" }] : [{ type: "main", displayName: "Unique" }, { type: "main", displayName: "Duplicates" }].concat(${HOLDS_EXPRESSION} ? [{ type: "main", displayName: "In Progress" }] : []) }}`;

export const dedupeProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Clear History',
				value: 'clearHistory',
				action: 'Clear history',
				description: 'Forget the records kept from earlier executions',
			},
			{
				name: 'Find Duplicates Within Input',
				value: 'withinInput',
				action: 'Find duplicates within input',
				description: 'Match the incoming items with each other',
			},
			{
				name: 'Match Against Existing Records',
				value: 'againstInput',
				action: 'Match against existing records',
				description: 'Match the items of input 1 with the records on input 2 (a CRM search, a sheet, a query)',
			},
			{
				name: 'Match Against Previous Executions',
				value: 'acrossExecutions',
				action: 'Match against previous executions',
				description: 'Match with the records kept from earlier executions, then remember the new ones (or only match)',
			},
			{
				name: 'Release Held Records',
				value: 'releaseHeld',
				action: 'Release held records',
				description: 'Forget the held records the incoming ones match, e.g. when their write to the CRM failed, and pass them through',
			},
			{
				name: 'Remember Records',
				value: 'rememberRecords',
				action: 'Remember records',
				description: 'Add the incoming records to the history, e.g. once they were written to the CRM, and pass them through',
			},
		],
		default: 'withinInput',
	},
	...recordLocationProperties('record', { show: { operation: ['withinInput', 'againstInput', 'acrossExecutions', 'rememberRecords', 'releaseHeld'] } }),
	{
		displayName:
			'Use the Record Store, History Name and Match Preset (with its rules) of the node that matches: they decide where a record is kept and by which keys it is found',
		name: 'rememberNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['rememberRecords', 'releaseHeld'] } },
	},
	{
		displayName: 'Match Preset',
		name: 'preset',
		type: 'options',
		options: [
			{ name: 'B2B Leads', value: 'b2b', description: 'Email, phone, person + company, person + company email domain' },
			{ name: 'People', value: 'people', description: 'Three of names, date of birth, identifier, email, phone, address, postcode, city' },
			{ name: 'Custom Rules', value: 'custom', description: 'Your own rules: each is a set of field comparisons that must all agree' },
			{
				name: 'People (Probabilistic)',
				value: 'probabilistic',
				description: 'The People fields, weighted by what the data itself shows (Fellegi-Sunter with EM, term-frequency adjusted)',
			},
		],
		default: 'b2b',
		displayOptions: { hide: { operation: ['clearHistory'] } },
	},
	{
		displayName: 'Match Probability',
		name: 'matchProbability',
		type: 'number',
		typeOptions: { minValue: 0.5, maxValue: 0.9999, numberPrecision: 4 },
		default: 0.99,
		description: 'Records match when the model gives them at least this probability of being the same person',
		displayOptions: { show: { preset: ['probabilistic'] }, hide: { operation: ['clearHistory'] } },
	},
	{
		displayName: 'B2B Rules',
		name: 'b2bRules',
		type: 'multiOptions',
		options: [
			{ name: 'Same Company Email Domain (Account Level)', value: 'domain', description: 'Everyone at one company domain is one account' },
			{ name: 'Same Email', value: 'email', description: 'Normalized email: case, Gmail dots and +tags ignored' },
			{ name: 'Same Person at Same Company', value: 'nameCompany', description: 'Name (nicknames, typos) and company without legal suffixes' },
			{ name: 'Same Person at Same Email Domain', value: 'nameDomain', description: 'Name and company email domain; free-mail domains never match' },
			{ name: 'Same Phone', value: 'phone', description: 'E.164 phone number' },
		],
		default: [...DEFAULT_B2B_RULES],
		description: 'Records match when any chosen rule agrees',
		displayOptions: { show: { preset: ['b2b'] }, hide: { operation: ['clearHistory'] } },
	},
	{
		displayName: 'Rules',
		name: 'customRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Rule',
		default: {},
		description: 'Records match when any rule agrees; a rule agrees when all its comparisons do',
		displayOptions: { show: { preset: ['custom'] }, hide: { operation: ['clearHistory'] } },
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'email + company' },
					{
						displayName: 'Comparisons',
						name: 'comparisons',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Comparison',
						default: {},
						options: [
							{
								displayName: 'Comparison',
								name: 'comparison',
								values: [
									{
										displayName: 'Field',
										name: 'field',
										type: 'string',
										default: '',
										placeholder: 'email',
										description: 'Field name; several separated by commas are tried in turn, dots reach into objects',
									},
									{
										displayName: 'Compare As',
										name: 'type',
										type: 'options',
										options: COMPARATOR_TYPES.map((type) => ({ name: COMPARATOR_LABELS[type].name, value: type, description: COMPARATOR_LABELS[type].description })),
										default: 'exact',
									},
									{
										displayName: 'Threshold',
										name: 'threshold',
										type: 'number',
										typeOptions: { numberPrecision: 2 },
										default: -1,
										description: 'Minimum similarity 0-1 (number: largest difference); -1 uses the default of the comparison',
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [
			{ name: 'Unique and Duplicates', value: 'split', description: 'Two outputs: the first of each group, and the rest annotated with whom they match' },
			{ name: 'Merged Records', value: 'merge', description: 'One record per group, combined by the survivorship rule' },
		],
		default: 'split',
		displayOptions: { hide: { operation: ['rememberRecords', 'releaseHeld', 'clearHistory'] } },
	},
	{
		displayName: 'Survivorship',
		name: 'survivorship',
		type: 'options',
		options: [
			{ name: 'Oldest Wins', value: 'oldest', description: 'Keep the first record’s values, fill its blanks from the newer ones' },
			{ name: 'Newest Non-Empty Wins', value: 'newestNonEmpty', description: 'Take each field from the newest record that has it' },
			{ name: 'Longest Wins', value: 'longest', description: 'Take the longest value of each field' },
		],
		default: 'oldest',
		description: 'Which value a merged field keeps; source and campaign fields always keep the original',
		displayOptions: { show: { outputMode: ['merge'] }, hide: { operation: ['rememberRecords', 'releaseHeld', 'clearHistory'] } },
	},
	{
		displayName: 'Record Store',
		name: 'store',
		type: 'options',
		options: [
			{ name: 'SQLite File', value: 'sqlite', description: 'Embedded; for one n8n instance' },
			{ name: 'PostgreSQL', value: 'postgres', description: 'Shared by several n8n workers (queue mode)' },
			{
				name: "N8n's Deduplication Store (Exact Keys)",
				value: 'n8n',
				description: 'Remembers the exact keys (email, phone, ...) in n8n’s own database; fuzzy rules apply within the input only',
			},
		],
		default: 'sqlite',
		displayOptions: { show: { operation: STORE_OPERATIONS } },
	},
	{
		displayName: 'SQLite File',
		name: 'sqlitePath',
		type: 'string',
		default: '',
		// The placeholder is the file used when this stays empty, as the n8n server running the node sees it.
		placeholder: defaultSqliteFile(),
		description: "Path of the database file on the n8n server, created when missing. Empty: revops-dedupe.sqlite in n8n's own data folder (the placeholder).",
		displayOptions: { show: { operation: STORE_OPERATIONS, store: ['sqlite'] } },
	},
	// Version 1 took a connection URL, password included, as a parameter; 1.1 takes the Warehouse PostgreSQL credential.
	{
		displayName: 'PostgreSQL URL',
		name: 'postgresUrl',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'postgres://user:password@host:5432/database',
		displayOptions: { show: { operation: STORE_OPERATIONS, store: ['postgres'], '@version': [1] } },
	},
	{
		displayName: 'History Name',
		name: 'historyName',
		type: 'string',
		default: '={{ $workflow.id }}',
		description: 'Records are kept and matched per name; workflows sharing a name share their history',
		displayOptions: { show: { operation: STORE_OPERATIONS, store: ['sqlite', 'postgres'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { hide: { operation: ['clearHistory'] } },
		options: [
			{
				displayName: 'Annotation Field',
				name: 'annotationField',
				type: 'string',
				default: '_dedupe',
				description: 'Field each output item gets with its status and, for duplicates, the matched record, rule, score and fields',
			},
			{
				displayName: 'Copy From Match',
				name: 'copyFromMatch',
				type: 'string',
				default: '',
				placeholder: 'pipedrive_person_id, hubspot_contact_id',
				description:
					"Fields (comma-separated, dots for nested ones) a duplicate gets from the existing or remembered record it matches, under the annotation's from_match: e.g. the CRM record ID a flow remembered with the lead, so the returning lead updates that record without a search. Not with n8n's Deduplication Store, which keeps keys, not records.",
				displayOptions: { show: { '/operation': ['againstInput', 'acrossExecutions'] } },
			},
			{
				displayName: 'Default Country',
				name: 'defaultCountry',
				type: 'string',
				default: '',
				placeholder: 'BR',
				description:
					"Country of phone numbers written without a country code, for records that carry no country code of their own. Leads from Normalize Lead carry theirs (country, phone_country): after it, leave this empty.",
			},
			{
				displayName: 'History Size',
				name: 'historySize',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 100000,
				description: 'Most records kept from earlier executions; the oldest are forgotten first (above 1,000, checked about every 100 new records). 0 keeps all.',
				displayOptions: { show: { '/operation': ['acrossExecutions', 'rememberRecords'] } },
			},
			{
				displayName: 'Hold New Records Until Remembered',
				name: 'holdNewRecords',
				type: 'boolean',
				default: false,
				description:
					'Whether a new record is held in the history until a Remember Records node remembers it (with Remember Unique Records off). Another execution bringing the same lead meanwhile waits for it, then gets it as a duplicate, so two executions at once never both create it in the CRM. A hold that is not remembered (the write failed, the execution crashed) ends after Hold Time. Adds an In Progress output.',
				displayOptions: HOLD_OPTION_DISPLAY,
			},
			{
				displayName: 'Hold Time (Seconds)',
				name: 'holdSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description:
					'How long a new record stays held before it is new again, when its execution never remembers it. Longer than the slowest write to the CRM, retries included.',
				displayOptions: HOLD_OPTION_DISPLAY,
			},
			{
				displayName: 'ID Field',
				name: 'idField',
				type: 'string',
				default: 'id',
				description: 'Field naming each record in the annotations; records without it are named by position',
			},
			maxAgeDaysProperty(
				'Retention: records not seen for this many days are never matched (a person not seen since is new again) and are deleted when a run remembers someone new. 0 keeps them. SQLite and PostgreSQL stores only.',
				{ show: { '/operation': ['acrossExecutions', 'rememberRecords'], '/store': ['sqlite', 'postgres'] } },
			),
			{
				displayName: 'Max Block Size',
				name: 'maxBlockSize',
				type: 'number',
				typeOptions: { minValue: 10 },
				default: 500,
				description: 'Records sharing a blocking key beyond which each is compared only with this many before it (rules) or the block is skipped (probabilistic, default 50)',
			},
			{
				displayName: 'Remember Unique Records',
				name: 'rememberUnique',
				type: 'boolean',
				default: true,
				description:
					'Whether unique records join the history now. Turn off to match only, and remember them with a Remember Records node once they were written (to the CRM), so a failed write followed by a redelivery is not taken for a duplicate.',
				displayOptions: { show: { '/operation': ['acrossExecutions'], '/store': ['sqlite', 'postgres'] } },
			},
			{
				displayName: 'Source Fields',
				name: 'sourceFields',
				type: 'string',
				default: 'source, lead_source, utm_source, campaign, utm_campaign',
				description: 'Merged records keep the original value of these and add the newest as latest_&lt;field&gt;',
			},
			{
				displayName: 'Timestamp Field',
				name: 'timestampField',
				type: 'string',
				default: '',
				placeholder: 'created_at',
				description: 'Field with when each record was created, ordering merges; empty uses arrival order (existing records first)',
			},
			{
				displayName: 'Wait Time for Held Records (Seconds)',
				name: 'holdWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 20,
				description:
					'How long a record matching one another execution holds waits for that execution to remember it. Still held after it, the record goes to In Progress (store it for a replay) instead of being sent twice.',
				displayOptions: HOLD_OPTION_DISPLAY,
			},
		],
	},
	// Every parameter above serves several operations, with the show and hide rules saved workflows were
	// made with; a parameter of one operation only goes in its file's description.
	...Object.values(operations).flatMap((operation) => operation.description),
];
