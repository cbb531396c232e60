import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** PostgreSQL fields shared by the PostgreSQL and Redshift credentials (both speak the PostgreSQL protocol). */
export function postgresProtocolProperties(defaults: { port: number; ssl: string }): INodeProperties[] {
	return [
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost', required: true },
		{ displayName: 'Port', name: 'port', type: 'number', default: defaults.port, required: true },
		{ displayName: 'Database', name: 'database', type: 'string', default: '', required: true },
		{ displayName: 'User', name: 'user', type: 'string', default: '', required: true },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable', description: 'Plain connection (local or private network only)' },
				{ name: 'Require', value: 'require', description: 'Encrypted, without checking the server certificate' },
				{ name: 'Verify Full', value: 'verify-full', description: 'Encrypted, and the server certificate and host name are checked' },
			],
			default: defaults.ssl,
		},
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: 'PEM certificate of the authority that signed the server certificate, when it is not a public one',
			displayOptions: { show: { ssl: ['verify-full'] } },
		},
	];
}

export class WarehousePostgresApi implements ICredentialType {
	name = 'warehousePostgresApi';

	displayName = 'Warehouse PostgreSQL API';

	icon = { light: 'file:../nodes/WarehouseInsert/warehouseInsert.svg', dark: 'file:../nodes/WarehouseInsert/warehouseInsert.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#warehouse-insert';

	properties: INodeProperties[] = postgresProtocolProperties({ port: 5432, ssl: 'disable' });
}
