import type { INodeProperties } from 'n8n-workflow';

/** "Max Age (Days)": the retention of a store a node keeps (lib/retention.ts reads it); 0 keeps everything. */
export function maxAgeDaysProperty(description: string, displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Max Age (Days)',
		name: 'maxAgeDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}
