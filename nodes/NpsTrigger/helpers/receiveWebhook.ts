import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { toCanonicalNps } from '../../../lib/nps/canonical';
import type { NpsDelivery } from '../../../lib/nps/delivery';
import type { IgnoredEvent, ParsedResponse } from '../../../lib/nps/providers/types';
import { invalidPayload, receiveDelivery, type Rejection } from '../../../lib/nps/receive';
import { judgeRedelivery, processedKeys } from '../../../lib/nps/redelivery';
import { issue } from '../../../lib/schema/issue';
import { canonicalNpsResponseSchema } from '../../../lib/schema/nps';
import { fetchFromProvider, type FetchingProvider } from '../transport';
import { checkAndRecord } from './processedDeliveries';
import { readSettings } from './settings';

type Express = ReturnType<IWebhookFunctions['getResponseObject']>;

/** n8n must not answer again: the node has answered the sender itself. */
const ANSWERED: IWebhookResponseData = { noWebhookResponse: true };

function answer(response: Express, status: number, body: IDataObject): void {
	response.status(status).json(body);
}

function refuse(response: Express, rejection: Rejection): IWebhookResponseData {
	answer(response, rejection.status, rejection.body as IDataObject);
	return ANSWERED;
}

/** The exact bytes n8n read off the socket (it keeps them as `rawBody` when it parses the body). */
function deliveryOf(context: IWebhookFunctions): NpsDelivery {
	const request = context.getRequestObject();
	const rawBody = (request as { rawBody?: unknown }).rawBody;
	return { method: request.method, headers: request.headers, rawBody: Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0) };
}

/**
 * Which of `keys` n8n's processed-data store had already recorded. Test-URL deliveries are not
 * remembered, so trying a workflow out does not swallow real ones. If the store cannot be
 * reached, the delivery counts as new: the sender has been answered already, and a possible
 * duplicate execution is better than a lost response.
 */
async function recordedBefore(context: IWebhookFunctions, keys: string[]): Promise<Set<string>> {
	if (context.getMode() === 'manual') return new Set();
	try {
		return await checkAndRecord(context, keys);
	} catch (error) {
		context.logger.warn(`NPS Trigger could not check for redeliveries, so this delivery starts an execution: ${(error as Error).message}`);
		return new Set();
	}
}

async function startOtherEvent(context: IWebhookFunctions, event: IgnoredEvent, body: IDataObject, provider: string, receivedAt: string): Promise<IWebhookResponseData> {
	if (event.deliveryId !== null) {
		const key = `delivery:${event.deliveryId}`;
		if ((await recordedBefore(context, [key])).has(key)) return ANSWERED;
	}
	const item: IDataObject = { provider, event_type: event.eventType, reason: event.reason, delivery_id: event.deliveryId, received_at: receivedAt, raw: body };
	return { noWebhookResponse: true, workflowData: [[], [{ json: item }]] };
}

async function startResponse(context: IWebhookFunctions, record: IDataObject, parsed: ParsedResponse): Promise<IWebhookResponseData> {
	const keys = processedKeys(parsed.draft.response_id, parsed.version);
	const verdict = judgeRedelivery(keys, await recordedBefore(context, [keys.version, keys.response]));
	if (verdict.duplicate) return ANSWERED;
	return { noWebhookResponse: true, workflowData: [[{ json: { ...record, is_update: parsed.updateEvent || verdict.seenBefore } }], []] };
}

/**
 * One delivery, start to end: authenticate and validate it (lib/nps/receive), fetch the response
 * when the provider sends only ids, answer the sender, then drop redeliveries and hand n8n the
 * record to start the workflow with. Every refusal is answered with a 4xx and starts nothing;
 * an accepted delivery is answered before the processed-data lookup, which then decides whether
 * an execution starts.
 */
export async function receiveWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const response = context.getResponseObject();
	if (context.getWebhookName() === 'setup') {
		// SurveyMonkey checks a subscription URL with HEAD before it sends anything to it.
		response.status(200).end();
		return ANSWERED;
	}
	const now = Date.now();
	const receivedAt = new Date(now).toISOString();
	const { config, options } = await readSettings(context);
	const reception = receiveDelivery(deliveryOf(context), config, now);
	if (reception.kind === 'rejected') return refuse(response, reception);

	let outcome = reception.outcome;
	if (outcome.kind === 'fetch') {
		let apiResponse: unknown;
		try {
			// Only the SurveyMonkey and Qualtrics adapters ask for a fetch.
			apiResponse = await fetchFromProvider(context, config.provider as FetchingProvider, outcome.request);
		} catch (error) {
			// Not the sender's fault, and worth a retry: 503 makes the survey tool deliver again later.
			answer(response, 503, { error: 'temporarily unavailable', detail: `the response could not be fetched from the ${config.provider} API (${(error as Error).message}); please retry` });
			return ANSWERED;
		}
		const completed = outcome.complete(apiResponse);
		if (completed.kind === 'invalid' || completed.kind === 'fetch') return refuse(response, invalidPayload(completed.kind === 'invalid' ? completed.problems : []));
		outcome = completed;
	}

	if (outcome.kind === 'ignored') {
		answer(response, 200, { received: true, status: 'ignored', reason: outcome.reason });
		return options.emitOtherEvents ? await startOtherEvent(context, outcome, reception.body as IDataObject, config.provider, receivedAt) : ANSWERED;
	}
	const record = toCanonicalNps(outcome.draft, {
		provider: config.provider,
		receivedAt,
		isUpdate: outcome.updateEvent,
		raw: options.includeRaw ? reception.body : undefined,
	});
	const checked = canonicalNpsResponseSchema.safeParse(record);
	if (!checked.success) {
		return refuse(response, invalidPayload(checked.error.issues.map((problem) => issue(problem.path.join('.'), problem.code, `${problem.path.join('.')}: ${problem.message}`))));
	}
	answer(response, 200, { received: true, response_id: record.response_id });
	return await startResponse(context, record as unknown as IDataObject, outcome);
}
