import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { toCanonicalNps } from '../../../lib/nps/canonical';
import type { NpsDelivery } from '../../../lib/nps/delivery';
import type { IgnoredEvent, ParsedResponse } from '../../../lib/nps/providers/types';
import { invalidPayload, receiveDelivery, type Acceptance } from '../../../lib/nps/receive';
import { judgeRedelivery, processedKeys } from '../../../lib/nps/redelivery';
import { issue } from '../../../lib/schema/issue';
import { canonicalNpsResponseSchema } from '../../../lib/schema/nps';
import { fetchFromProvider, type FetchingProvider } from '../transport';
import { checkAndRecord } from './processedDeliveries';
import { readSettings, type TriggerOptions } from './settings';

type Express = ReturnType<IWebhookFunctions['getResponseObject']>;

/** Answers the sender ourselves (status and JSON body) and tells n8n not to answer again. */
function reply(response: Express, status: number, body: IDataObject, workflowData?: INodeExecutionData[][]): IWebhookResponseData {
	response.status(status).json(body);
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}

/** The exact bytes n8n read off the socket (it keeps them as `rawBody` when it parses the body). */
function deliveryOf(context: IWebhookFunctions): NpsDelivery {
	const request = context.getRequestObject();
	const rawBody = (request as { rawBody?: unknown }).rawBody;
	return { method: request.method, headers: request.headers, rawBody: Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0) };
}

const unavailable = (what: string) => ({ error: 'temporarily unavailable', detail: `${what}; the delivery was not processed, please retry` });

async function startOtherEvent(
	context: IWebhookFunctions,
	response: Express,
	event: IgnoredEvent,
	accepted: Acceptance,
	provider: string,
	receivedAt: string,
): Promise<IWebhookResponseData> {
	if (event.deliveryId !== null && context.getMode() !== 'manual') {
		const key = `delivery:${event.deliveryId}`;
		if ((await checkAndRecord(context, [key])).has(key)) return reply(response, 200, { received: true, status: 'duplicate' });
	}
	const item: IDataObject = { provider, event_type: event.eventType, reason: event.reason, delivery_id: event.deliveryId, received_at: receivedAt, raw: accepted.body };
	return reply(response, 200, { received: true, status: 'started' }, [[], [{ json: item }]]);
}

async function startResponse(
	context: IWebhookFunctions,
	response: Express,
	parsed: ParsedResponse,
	accepted: Acceptance,
	provider: string,
	receivedAt: string,
	options: TriggerOptions,
): Promise<IWebhookResponseData> {
	const keys = processedKeys(parsed.draft.response_id, parsed.version);
	// Test-URL deliveries are not remembered, so trying a workflow out does not swallow real ones.
	const verdict =
		context.getMode() === 'manual'
			? { duplicate: false as const, seenBefore: false }
			: judgeRedelivery(keys, await checkAndRecord(context, [keys.version, keys.response]));
	if (verdict.duplicate) return reply(response, 200, { received: true, status: 'duplicate' });
	const record = toCanonicalNps(parsed.draft, {
		provider,
		receivedAt,
		isUpdate: parsed.updateEvent || verdict.seenBefore,
		raw: options.includeRaw ? accepted.body : undefined,
	});
	const checked = canonicalNpsResponseSchema.safeParse(record);
	if (!checked.success) {
		const problems = checked.error.issues.map((problem) => issue(problem.path.join('.'), problem.code, `${problem.path.join('.')}: ${problem.message}`));
		const rejection = invalidPayload(problems);
		return reply(response, rejection.status, rejection.body as IDataObject);
	}
	return reply(response, 200, { received: true, status: 'started', response_id: record.response_id }, [[{ json: record as unknown as IDataObject }], []]);
}

/**
 * One delivery, start to end: authenticate and validate it (lib/nps/receive), fetch the response
 * when the provider sends only ids, drop redeliveries, answer the sender, and hand n8n the record
 * to start the workflow with. Every refusal is answered here with a 4xx and starts nothing.
 */
export async function receiveWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const response = context.getResponseObject();
	if (context.getWebhookName() === 'setup') {
		// SurveyMonkey checks a subscription URL with HEAD before it sends anything to it.
		response.status(200).end();
		return { noWebhookResponse: true };
	}
	const now = Date.now();
	const receivedAt = new Date(now).toISOString();
	const { config, options } = await readSettings(context);
	const reception = receiveDelivery(deliveryOf(context), config, now);
	if (reception.kind === 'rejected') return reply(response, reception.status, reception.body as IDataObject);

	let outcome = reception.outcome;
	if (outcome.kind === 'fetch') {
		let apiResponse: unknown;
		try {
			// Only the SurveyMonkey and Qualtrics adapters ask for a fetch.
			apiResponse = await fetchFromProvider(context, config.provider as FetchingProvider, outcome.request);
		} catch (error) {
			return reply(response, 503, unavailable(`the response could not be fetched from the ${config.provider} API (${(error as Error).message})`));
		}
		const completed = outcome.complete(apiResponse);
		if (completed.kind === 'invalid' || completed.kind === 'fetch') {
			const rejection = invalidPayload(completed.kind === 'invalid' ? completed.problems : []);
			return reply(response, rejection.status, rejection.body as IDataObject);
		}
		outcome = completed;
	}
	try {
		if (outcome.kind === 'ignored') {
			if (!options.emitOtherEvents) return reply(response, 200, { received: true, status: 'ignored', reason: outcome.reason });
			return await startOtherEvent(context, response, outcome, reception, config.provider, receivedAt);
		}
		return await startResponse(context, response, outcome, reception, config.provider, receivedAt, options);
	} catch (error) {
		return reply(response, 503, unavailable(`n8n's processed-data store could not be reached (${(error as Error).message})`));
	}
}
