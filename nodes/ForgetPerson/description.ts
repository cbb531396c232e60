import type { INodeProperties } from 'n8n-workflow';

import { AUDIT_TABLE } from '../../lib/privacy/warehouse';
import { LEADS_TABLE, NPS_TABLE } from '../../lib/warehouse/tables';
import { TARGET_OPTIONS } from '../WarehouseInsert/description';

const inWarehouse = { show: { eraseIn: ['warehouse'] } };

export const forgetPersonProperties: INodeProperties[] = [
	{
		displayName:
			'Deletes each person the items name from the stores this pack writes, and outputs what was removed where, with an audit record that holds no personal data. The CRM, email tools and n8n’s execution history are not reached: see the Privacy section of the README.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		placeholder: 'name@email.com',
		description: 'The person’s email address (or a list of them). Matched as Normalize Lead matches: "Maria.Silva+promo@gmail.com" finds "mariasilva@gmail.com".',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '={{ $json.phone }}',
		description: 'The person’s phone (or a list), matched in E.164',
	},
	{
		displayName: 'Identity Key',
		name: 'identityKey',
		type: 'string',
		default: '',
		description: 'A customer ID or identity key (NPS identity_key, customer_id; the leads table’s lead_key), matched exactly',
	},
	{
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: '',
		placeholder: 'BR',
		description: 'Country of phone numbers written without a country code (the request’s and stored records without a country of their own)',
	},
	{
		displayName: 'Erase In',
		name: 'eraseIn',
		type: 'multiOptions',
		options: [
			{ name: 'Dead Letter Queue', value: 'deadLetters', description: 'Entries whose item, key or reason names the person, in any status' },
			{ name: 'Dedupe History (PostgreSQL)', value: 'dedupePostgres', description: 'Every history of a Dedupe PostgreSQL record store' },
			{ name: 'Dedupe History (SQLite)', value: 'dedupeSqlite', description: 'Every history of a Dedupe SQLite record store' },
			{
				name: 'NPS Trigger Redelivery Keys (PostgreSQL)',
				value: 'npsRedelivery',
				description: 'The keys of the person’s NPS responses (found in the warehouse’s NPS table: choose Warehouse too)',
			},
			{ name: 'Warehouse', value: 'warehouse', description: `Rows of the ${LEADS_TABLE} and ${NPS_TABLE} tables Warehouse Insert writes` },
		],
		default: ['dedupeSqlite', 'warehouse', 'deadLetters'],
	},
	{
		displayName: 'Dedupe SQLite File',
		name: 'dedupeSqliteFile',
		type: 'string',
		default: '',
		placeholder: '/home/node/.n8n/revops-dedupe.sqlite',
		description: 'The Dedupe node’s SQLite File; empty means its default, revops-dedupe.sqlite in the n8n user folder',
		displayOptions: { show: { eraseIn: ['dedupeSqlite'] } },
	},
	{
		displayName: 'Dedupe PostgreSQL URL',
		name: 'dedupePostgresUrl',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: 'postgres://user:password@host:5432/database',
		description: 'The Dedupe node’s PostgreSQL URL',
		// version 1 only: 1.1 uses the Warehouse PostgreSQL credential, as Dedupe 1.1 does
		displayOptions: { show: { eraseIn: ['dedupePostgres'], '@version': [1] } },
	},
	{
		displayName: 'Warehouse',
		name: 'target',
		type: 'options',
		noDataExpression: true,
		options: TARGET_OPTIONS,
		default: 'sqlite',
		displayOptions: inWarehouse,
	},
	{
		displayName: 'Warehouse Database File',
		name: 'databaseFile',
		type: 'string',
		default: '',
		placeholder: '/home/node/.n8n/revops-warehouse.sqlite',
		description: 'Warehouse Insert’s Database File; empty means its default',
		displayOptions: { show: { eraseIn: ['warehouse'], target: ['sqlite'] } },
	},
	{
		displayName: 'Leads Table',
		name: 'leadsTable',
		type: 'string',
		default: LEADS_TABLE,
		description: 'Optionally schema.table (BigQuery: dataset.table); empty skips the leads table',
		displayOptions: inWarehouse,
	},
	{
		displayName: 'NPS Table',
		name: 'npsTable',
		type: 'string',
		default: NPS_TABLE,
		description: 'Optionally schema.table (BigQuery: dataset.table); empty skips the NPS table',
		displayOptions: inWarehouse,
	},
	{
		displayName: 'Write Audit Record',
		name: 'writeAudit',
		type: 'boolean',
		default: true,
		description: `Whether to add each request’s audit record to the ${AUDIT_TABLE} table of the warehouse (created when missing)`,
		displayOptions: inWarehouse,
	},
	{
		displayName: 'Audit Table',
		name: 'auditTable',
		type: 'string',
		default: AUDIT_TABLE,
		displayOptions: { show: { eraseIn: ['warehouse'], writeAudit: [true] } },
	},
	{
		displayName: 'Dead Letter Store',
		name: 'deadLetterStore',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'SQLite (Embedded)', value: 'sqlite' },
			{ name: 'PostgreSQL', value: 'postgres', description: 'With the Warehouse PostgreSQL credential' },
		],
		default: 'sqlite',
		displayOptions: { show: { eraseIn: ['deadLetters'] } },
	},
	{
		displayName: 'Dead Letter Database File',
		name: 'deadLetterFile',
		type: 'string',
		default: '',
		placeholder: '/home/node/.n8n/revops-dead-letters.sqlite',
		description: 'The Dead Letter Queue node’s Database File; empty means its default',
		displayOptions: { show: { eraseIn: ['deadLetters'], deadLetterStore: ['sqlite'] } },
	},
	{
		displayName: 'Dead Letter Table',
		name: 'deadLetterTable',
		type: 'string',
		default: 'revops_dead_letters',
		displayOptions: { show: { eraseIn: ['deadLetters'], deadLetterStore: ['postgres'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Salt File',
				name: 'saltFile',
				type: 'string',
				default: '',
				description:
					'File holding this install’s secret salt for the audit hash (created on first use); empty means revops-privacy.salt in the n8n user folder. Every n8n process of the install must see the same file.',
			},
		],
	},
];
