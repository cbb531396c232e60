import type { INodeProperties } from 'n8n-workflow';

import { storeChoiceProperties } from '../../shared/storeChoice';
import { METRICS_STORE } from '../transport';
import { operations } from './router';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Check Health',
			value: 'checkHealth',
			action: 'Check the health of the flows',
			description: 'Volume, errors and latency per source over a window, and an alert when a threshold is crossed, for a Schedule Trigger',
		},
		{
			name: 'Record Outcome',
			value: 'recordOutcome',
			action: 'Record the outcome of items',
			description: 'Count each item as sent, duplicate, invalid or failed, by source, at the end of a branch; the items pass on unchanged',
		},
	],
	default: 'recordOutcome',
};

/** Record Outcome passes items on; Check Health sends its report on Alerts only when a threshold is crossed. */
export const FLOW_HEALTH_OUTPUTS = `={{ {
	recordOutcome: [{ type: "main", displayName: "Recorded" }],
	checkHealth: [{ type: "main", displayName: "Alerts" }, { type: "main", displayName: "Report" }],
}[$parameter["operation"]] }}`;

export const flowHealthProperties: INodeProperties[] = [
	operationProperty,
	...storeChoiceProperties(
		METRICS_STORE,
		'Table of the flow metrics, optionally schema.table; created when missing. Every flow and the health check must name the same one',
		'Retention: outcomes recorded more than this many days ago are deleted each time the node runs. 0 keeps them.',
	),
	...Object.values(operations).flatMap((operation) => operation.description),
];
