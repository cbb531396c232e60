/**
 * What NPS Trigger emits, run through the n8n engine: the records webhook() hands n8n for three
 * deliveries feed a Set node whose expressions read the canonical fields, as a workflow after
 * the trigger would.
 */
import { callWebhook } from '../support/fakeWebhookContext';
import { TEST_SECRETS, fixtureJson, signedDelivery, withChanges } from '../support/npsSenders';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const delighted = fixtureJson('delighted.survey_response_updated.zulip.json');

async function triggerRecords(scores: number[]) {
	const items = [];
	for (const [index, score] of scores.entries()) {
		const body = withChanges(delighted, { event_id: `e-${index}`, 'event_data.id': `r-${index}`, 'event_data.score': score });
		const { result } = await callWebhook(signedDelivery('delighted', body), {
			parameters: { path: 'nps', provider: 'delighted', authentication: 'signature', options: {} },
			credentials: { npsWebhookSecretsApi: { secret: TEST_SECRETS.delighted } },
		});
		items.push(...(result.workflowData?.[0] ?? []));
	}
	return items;
}

describe('NPS Trigger records inside the n8n engine', () => {
	it('are read by expressions of the nodes after the trigger', async () => {
		const records = await triggerRecords([3, 8, 10]);
		expect(records).toHaveLength(3);
		const workflow = {
			nodes: [
				node('NPS Trigger', INPUT_NODE_TYPE),
				node(
					'Route',
					'n8n-nodes-base.set',
					{
						mode: 'manual',
						assignments: {
							assignments: [
								{ id: 'a1', name: 'follow_up', value: "={{ $json.nps_segment === 'detractor' }}", type: 'boolean' },
								{ id: 'a2', name: 'who', value: '={{ $json.identity_type }}:{{ $json.identity_key }}', type: 'string' },
							],
						},
						includeOtherFields: true,
						options: {},
					},
					3.4,
				),
			],
			connections: chain([['NPS Trigger', 'Route']]),
		};
		const { output, error } = await runWorkflow(workflow, records);
		expect(error).toBeUndefined();
		expect(output('Route').map((item) => [item.json.response_id, item.json.nps_segment, item.json.follow_up, item.json.who])).toEqual([
			['r-0', 'detractor', true, 'email:charlie_gravis@example.com'],
			['r-1', 'passive', false, 'email:charlie_gravis@example.com'],
			['r-2', 'promoter', false, 'email:charlie_gravis@example.com'],
		]);
	});
});
