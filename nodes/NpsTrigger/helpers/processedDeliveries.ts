import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationHelperFunctions, ICheckProcessedOptions, IWebhookFunctions } from 'n8n-workflow';

import { createBatchedRecorder, type RecordKeys } from '../../../lib/nps/batchedRecorder';
import { PostgresDeliveryClaims } from '../../../lib/nps/deliveryClaims';
import { clientConfig, postgresConnection } from '../../../lib/warehouse/postgres';

/** How many keys n8n's processed-data store remembers per trigger node (oldest dropped first); two per response. */
const REMEMBERED_KEYS = 10_000;
const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: REMEMBERED_KEYS };

/**
 * How long the first delivery after a quiet spell waits for others to share its store call. The
 * sender has been answered by then, so this only delays the execution's start, and under load it
 * turns one read-and-rewrite of the stored list per delivery into one per batch.
 */
const GATHER_MS = 25;

/** One recorder per workflow and node: that is one list in the store. */
const recorders = new Map<string, ReturnType<typeof createBatchedRecorder>>();

/** One claims connection per process and PostgreSQL connection (credential contents), shared by every trigger using it. */
const postgresClaims = new Map<string, PostgresDeliveryClaims>();

async function claimInPostgres(context: IWebhookFunctions, scope: string): Promise<RecordKeys> {
	const credentials = await context.getCredentials('warehousePostgresApi');
	const config = { ...clientConfig(postgresConnection(credentials)), application_name: 'n8n-nodes-revops nps trigger' };
	const connectionKey = JSON.stringify(config);
	let claims = postgresClaims.get(connectionKey);
	if (!claims) postgresClaims.set(connectionKey, (claims = new PostgresDeliveryClaims(config)));
	return claims.recorder(scope);
}

/**
 * Records `keys` and returns those recorded before, in the store the node's Redelivery Check names.
 * PostgreSQL: an atomic claim per key, safe across processes (lib/nps/deliveryClaims).
 * n8n's processed-data store (the one the Remove Duplicates node uses): n8n 2.41 gives webhook
 * functions no dedupe helpers of their own, so this uses the `helpers.checkProcessedAndRecord` of
 * newer hosts when present and the host's DataDeduplicationService otherwise, with the same node
 * scope; its calls are serialised within this process only.
 */
export async function checkAndRecord(context: IWebhookFunctions, keys: string[]): Promise<Set<string>> {
	const workflow = context.getWorkflow();
	const node = context.getNode();
	const storeKey = `${workflow.id ?? ''}:${node.id}`;
	if (context.getNodeParameter('redeliveryStore', 'n8n') === 'postgres') return await (await claimInPostgres(context, storeKey))(keys);
	const helpers = context.helpers as IWebhookFunctions['helpers'] & Partial<DeduplicationHelperFunctions>;
	let recorder = recorders.get(storeKey);
	if (!recorder) recorders.set(storeKey, (recorder = createBatchedRecorder(GATHER_MS)));
	return await recorder(keys, async (batch) => {
		const result = helpers.checkProcessedAndRecord
			? await helpers.checkProcessedAndRecord(batch, 'node', OPTIONS)
			: await DataDeduplicationService.getInstance().checkProcessedAndRecord(
					batch,
					'node',
					{ node, workflow: { id: workflow.id ?? '', active: workflow.active } },
					OPTIONS,
				);
		return new Set(result.processed.map(String));
	});
}
