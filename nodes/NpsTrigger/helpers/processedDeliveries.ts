import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationHelperFunctions, ICheckProcessedOptions, IWebhookFunctions } from 'n8n-workflow';

import { createBatchedRecorder } from '../../../lib/nps/batchedRecorder';

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

/**
 * Records `keys` in n8n's processed-data store (the one the Remove Duplicates node uses) and
 * returns those it had already seen. n8n 2.41 gives webhook functions no dedupe helpers of their
 * own, so this uses the `helpers.checkProcessedAndRecord` of newer hosts when present and the
 * host's DataDeduplicationService otherwise, with the same node scope.
 */
export async function checkAndRecord(context: IWebhookFunctions, keys: string[]): Promise<Set<string>> {
	const workflow = context.getWorkflow();
	const node = context.getNode();
	const helpers = context.helpers as IWebhookFunctions['helpers'] & Partial<DeduplicationHelperFunctions>;
	const storeKey = `${workflow.id ?? ''}:${node.id}`;
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
