import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationHelperFunctions, ICheckProcessedOptions, IWebhookFunctions } from 'n8n-workflow';

/** How many delivery keys n8n's processed-data store remembers per trigger node (oldest dropped first). */
export const REMEMBERED_KEYS = 10_000;
const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: REMEMBERED_KEYS };

/**
 * The store reads, appends and writes back one list per node; two deliveries recorded at the
 * same moment would each write their own list and lose the other's keys, so calls for one node
 * are chained.
 */
const pendingByNode = new Map<string, Promise<unknown>>();

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
	const record = async () =>
		helpers.checkProcessedAndRecord
			? await helpers.checkProcessedAndRecord(keys, 'node', OPTIONS)
			: await DataDeduplicationService.getInstance().checkProcessedAndRecord(
					keys,
					'node',
					{ node, workflow: { id: workflow.id ?? '', active: workflow.active } },
					OPTIONS,
				);
	const queueKey = `${workflow.id ?? ''}:${node.id}`;
	const result = (pendingByNode.get(queueKey) ?? Promise.resolve()).catch(() => undefined).then(record);
	pendingByNode.set(queueKey, result);
	try {
		return new Set((await result).processed.map(String));
	} finally {
		if (pendingByNode.get(queueKey) === result) pendingByNode.delete(queueKey);
	}
}
