import type { INodeProperties } from 'n8n-workflow';

/** Shows the properties for one operation only (a node with several operations, as n8n's Postgres v2). */
export function forOperation(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({ ...property, displayOptions: { show: { operation: [operation] } } }));
}
