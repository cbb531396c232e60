import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WarehouseSnowflakeApi implements ICredentialType {
	name = 'warehouseSnowflakeApi';

	displayName = 'Warehouse Snowflake API';

	icon = { light: 'file:../nodes/WarehouseInsert/warehouseInsert.svg', dark: 'file:../nodes/WarehouseInsert/warehouseInsert.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#warehouse-insert';

	properties: INodeProperties[] = [
		{
			displayName: 'Account Identifier',
			name: 'account',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'myorg-myaccount',
			description: 'The part before .snowflakecomputing.com in your account URL',
		},
		{ displayName: 'User', name: 'user', type: 'string', default: '', required: true, placeholder: 'N8N_LOADER' },
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			description: 'PEM private key (-----BEGIN PRIVATE KEY----- or ENCRYPTED PRIVATE KEY) whose public key is set on the user',
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'privateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key',
		},
		{ displayName: 'Warehouse', name: 'warehouse', type: 'string', default: '', placeholder: 'LOADING_WH' },
		{ displayName: 'Database', name: 'database', type: 'string', default: '', required: true, placeholder: 'ANALYTICS' },
		{ displayName: 'Schema', name: 'schema', type: 'string', default: 'PUBLIC', required: true },
		{ displayName: 'Role', name: 'role', type: 'string', default: '', placeholder: 'LOADER' },
		{
			displayName: 'Custom Endpoint',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://myorg-myaccount.privatelink.snowflakecomputing.com',
			description: 'Only when the account is reached through another URL, such as PrivateLink',
		},
	];
}
