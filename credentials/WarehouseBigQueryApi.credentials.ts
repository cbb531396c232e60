import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class WarehouseBigQueryApi implements ICredentialType {
	name = 'warehouseBigQueryApi';

	displayName = 'Warehouse BigQuery API';

	icon = { light: 'file:../nodes/WarehouseInsert/warehouseInsert.svg', dark: 'file:../nodes/WarehouseInsert/warehouseInsert.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#warehouse-insert';

	properties: INodeProperties[] = [
		{
			displayName: 'Service Account Key (JSON)',
			name: 'privateKeyJson',
			type: 'string',
			typeOptions: { password: true, rows: 8 },
			default: '',
			required: true,
			description: 'The whole JSON key file of the service account (client_email, private_key, project_id, token_uri)',
		},
		{ displayName: 'Dataset', name: 'dataset', type: 'string', default: '', required: true, placeholder: 'revops' },
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description: "Project of the dataset, when it is not the service account's own project",
		},
		{
			displayName: 'Custom Endpoint',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://bigquery.googleapis.com',
			description: 'Only to reach BigQuery through another URL (a private endpoint)',
		},
	];
}
