import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { postgresProtocolProperties } from './WarehousePostgresApi.credentials';

export class WarehouseRedshiftApi implements ICredentialType {
	name = 'warehouseRedshiftApi';

	displayName = 'Warehouse Amazon Redshift API';

	icon = { light: 'file:../nodes/WarehouseInsert/warehouseInsert.svg', dark: 'file:../nodes/WarehouseInsert/warehouseInsert.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#warehouse-insert';

	// Redshift endpoints listen on 5439 and accept TLS by default.
	properties: INodeProperties[] = postgresProtocolProperties({ port: 5439, ssl: 'require' });
}
