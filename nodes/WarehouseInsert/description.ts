import type { INodeProperties } from 'n8n-workflow';

import { defaultSqlitePath } from '../../lib/warehouse/sqlite';
import { LEADS_TABLE, LOGICAL_TYPES, NPS_TABLE } from '../../lib/warehouse/tables';
import { recordLocationProperties } from '../shared/recordLocation';

const TYPE_LABELS: Record<string, string> = {
	text: 'Text',
	integer: 'Integer',
	number: 'Number',
	boolean: 'Boolean',
	timestamp: 'Timestamp',
	json: 'JSON',
};

/** The warehouses, for every node that reaches them with the warehouse credentials. */
export const TARGET_OPTIONS = [
	{ name: 'Amazon Redshift', value: 'redshift' },
	{ name: 'Google BigQuery', value: 'bigquery', description: 'Streaming inserts, or a load job and MERGE for large executions and updates' },
	{ name: 'PostgreSQL', value: 'postgres' },
	{ name: 'Snowflake', value: 'snowflake' },
	{ name: 'SQLite (Embedded)', value: 'sqlite', description: 'A database file on the n8n server; nothing to set up' },
];

export const warehouseInsertProperties: INodeProperties[] = [
	{
		displayName: 'Target',
		name: 'target',
		type: 'options',
		noDataExpression: true,
		options: TARGET_OPTIONS,
		default: 'sqlite',
		description: 'The database the items are loaded into',
	},
	{
		displayName: 'Database File',
		name: 'databaseFile',
		type: 'string',
		default: '',
		// The placeholder is the file used when this stays empty, as the n8n server running the node sees it.
		placeholder: defaultSqlitePath(),
		description: "Path of the SQLite file on the n8n server, created when missing. Empty: revops-warehouse.sqlite in n8n's own data folder (the placeholder).",
		displayOptions: { show: { target: ['sqlite'] } },
	},
	{
		displayName: 'Table',
		name: 'tableKind',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'NPS Responses', value: 'nps', description: `Canonical NPS responses into ${NPS_TABLE}, keyed on response_id` },
			{ name: 'Leads', value: 'leads', description: `Canonical leads into ${LEADS_TABLE}, keyed on the matching email or phone` },
			{ name: 'Custom Table', value: 'custom', description: 'Your own table and column mapping' },
		],
		default: 'nps',
	},
	{
		displayName: 'Table Name',
		name: 'tableName',
		type: 'string',
		default: '',
		placeholder: NPS_TABLE,
		description: 'Name of the table, optionally schema.table; empty means the preset name',
		displayOptions: { show: { tableKind: ['nps', 'leads'] } },
	},
	{
		displayName: 'Table Name',
		name: 'customTableName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'analytics.accounts',
		description: 'Name of the table, optionally schema.table',
		displayOptions: { show: { tableKind: ['custom'] } },
	},
	{
		displayName: 'Dimension Columns',
		name: 'dimensions',
		type: 'string',
		default: '',
		placeholder: 'plan, region',
		description: 'Keys of the response properties that get a column of their own, to group NPS by (all properties are also kept in the properties column)',
		displayOptions: { show: { tableKind: ['nps'] } },
	},
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Column',
		displayOptions: { show: { tableKind: ['custom'] } },
		options: [
			{
				displayName: 'Column',
				name: 'column',
				values: [
					{ displayName: 'Column Name', name: 'column', type: 'string', default: '', placeholder: 'account_id' },
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: LOGICAL_TYPES.map((type) => ({ name: TYPE_LABELS[type], value: type })),
						default: 'text',
						description: 'Used when the column is created; an existing column keeps its own type',
					},
					{
						displayName: 'Item Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'billing.mrr',
						description: 'Field of the item the column reads; dots reach into objects; empty means the column name',
					},
				],
			},
		],
	},
	{
		displayName: 'Key Columns',
		name: 'keyColumns',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'account_id',
		description: 'Comma-separated columns that identify a row; loading the same key again skips or updates it',
		displayOptions: { show: { tableKind: ['custom'] } },
	},
	...recordLocationProperties('record'),
	{
		displayName: 'On Existing Key',
		name: 'onConflict',
		type: 'options',
		options: [
			{ name: 'Skip', value: 'skip', description: 'Keep the row already stored' },
			{ name: 'Update', value: 'update', description: 'Overwrite it with the incoming values (on BigQuery, through a load job)' },
		],
		default: 'skip',
		description: 'What happens when a row with the same key is already in the table. Either way, replaying an execution adds no rows.',
	},
	{
		displayName: 'Unknown Fields',
		name: 'unknownFields',
		type: 'options',
		options: [
			{ name: 'Keep in the Extra JSON Column', value: 'keep' },
			{ name: 'Send Item to Failed Output', value: 'fail' },
			{ name: 'Ignore', value: 'ignore' },
		],
		default: 'keep',
		description: 'What to do with item fields the table has no column for',
	},
	{
		displayName: 'Create Table If Missing',
		name: 'createTable',
		type: 'boolean',
		default: true,
		description: 'Whether to create the table, or add the columns it lacks, with the proper types for the target',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5000,
				description: 'Rows written per statement and transaction; BigQuery load jobs take 50,000 rows each unless set',
			},
			{
				displayName: 'BigQuery Write Method',
				name: 'bigQueryWriteMethod',
				type: 'options',
				options: [
					{
						name: 'Auto',
						value: 'auto',
						description: 'Streaming inserts, or a load job when the execution has more rows than the Load Job Threshold or On Existing Key is Update',
					},
					{
						name: 'Load Job',
						value: 'loadJob',
						description: 'Upload into a staging table, then MERGE into the table on the key; can update stored rows',
					},
					{ name: 'Streaming Inserts', value: 'streaming', description: 'Through tabledata.insertAll, 500 rows per request; existing keys are skipped' },
				],
				default: 'auto',
				displayOptions: { show: { '/target': ['bigquery'] } },
			},
			{
				displayName: 'Load Job Threshold',
				name: 'loadJobThreshold',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10000,
				description: 'With BigQuery Write Method Auto: executions with more rows than this go through a load job',
				displayOptions: { show: { '/target': ['bigquery'] } },
			},
			{
				displayName: 'Parallel Connections',
				name: 'connections',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 8 },
				default: 2,
				description: 'PostgreSQL and Redshift: batches written at the same time, each on its own connection, so the database works while the next batch is sent',
			},
			{
				displayName: 'Retries',
				name: 'retries',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 9,
				description: 'How many times a batch is retried after a transient failure (connection lost, server restarting, lock conflict), waiting longer each time',
			},
		],
	},
];
