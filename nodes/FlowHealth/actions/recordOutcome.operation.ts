import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { EventLoopTurns } from '../../../lib/eventLoopTurns';
import { outcomeRow, type Outcome, type OutcomeRow } from '../../../lib/health/outcome';
import type { MetricsStore } from '../../../lib/health/store';
import { recordAt } from '../../../lib/itemData';
import { forOperation } from '../../shared/forOperation';
import { recordLocationOf, recordLocationProperties } from '../../shared/recordLocation';

export const description: INodeProperties[] = [
	...recordLocationProperties('record', { show: { operation: ['recordOutcome'] } }),
	...forOperation('recordOutcome', [
		{
			displayName: 'Outcome',
			name: 'outcome',
			type: 'options',
			options: [
				{
					name: 'Auto-Detect',
					value: 'auto',
					description:
						"Read from the item: problems listed in 'errors' (Normalize Lead, Map to CRM Fields) are invalid, a dead-letter entry or a 'failure' failed, Dedupe's duplicate a duplicate, anything else sent",
				},
				{ name: 'Duplicate', value: 'duplicate', description: 'Every item is a record the flow already knew' },
				{ name: 'Failed', value: 'failed', description: 'Every item could not be written (a CRM or database refused it)' },
				{ name: 'Invalid', value: 'invalid', description: 'Every item was refused for its content' },
				{ name: 'Sent', value: 'sent', description: 'Every item reached the CRM or warehouse' },
			],
			default: 'auto',
			description: 'How the items ended, to count them by',
		},
		{
			displayName: 'Source',
			name: 'source',
			type: 'string',
			default: '',
			placeholder: "{{ $('Normalize Lead').item.json.attribution.latest.source }}",
			description:
				"Where the item came from, to count by. Empty: read from the item (an NPS response's provider, a lead's latest touch's source, else source or utm_source). Set it when the item is a CRM's answer rather than the record.",
		},
		{
			displayName: 'Received At',
			name: 'receivedAt',
			type: 'string',
			default: '',
			placeholder: "{{ $('Normalize Lead').item.json.received_at }}",
			description:
				"When the record was received, for the latency from receipt to this step. Empty: the item's received_at (NPS Trigger and Normalize Lead set it).",
		},
	]),
];

/** Records one metrics row per item, then passes the items on unchanged. */
export async function execute(this: IExecuteFunctions, store: MetricsStore, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const workflow = this.getWorkflow();
	// A manual run in the editor may have no execution id yet: its items still count, once.
	const run = { workflowId: workflow.id ?? '', workflowName: workflow.name ?? '', executionId: this.getExecutionId() || `manual-${randomUUID()}` };
	const chosen = this.getNodeParameter('outcome', 0, 'auto') as Outcome | 'auto';
	const now = new Date();
	const location = recordLocationOf(this);
	const turns = new EventLoopTurns();
	const rows: OutcomeRow[] = [];
	for (let index = 0; index < items.length; index++) {
		await turns.pass();
		// An item without a record where Record says is still counted (as the whole item): counting never stops a flow.
		const found = recordAt(items[index].json, location);
		rows.push(
			outcomeRow('record' in found ? found.record : items[index].json, run, now, {
				outcome: chosen === 'auto' ? undefined : chosen,
				// as the expression evaluated (a DateTime, a number): outcomeRow reads each kind
				source: this.getNodeParameter('source', index, ''),
				receivedAt: this.getNodeParameter('receivedAt', index, ''),
			}),
		);
	}
	await store.record(rows);
	return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
}
