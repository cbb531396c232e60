/**
 * A small stand-in for n8n's IWebhookFunctions, enough to call NpsTrigger.webhook() in unit tests:
 * node parameters, credentials, the raw request, a response that records what was sent, and an
 * in-memory processed-data store with the semantics of n8n's ('entries' mode: returns the keys
 * already recorded, records the rest). The real webhook path is covered by the e2e test.
 */
import type { IDataObject, IHttpRequestOptions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { NpsDelivery } from '../../lib/nps/delivery';
import { NpsTrigger } from '../../nodes/NpsTrigger/NpsTrigger.node';

export class MemoryProcessedStore {
	readonly keys = new Set<string>();
	failing = false;

	async checkProcessedAndRecord(items: Array<string | number>) {
		if (this.failing) throw new Error('database is locked');
		const processed = items.filter((item) => this.keys.has(String(item)));
		const fresh = items.filter((item) => !this.keys.has(String(item)));
		for (const item of fresh) this.keys.add(String(item));
		return { new: fresh, processed };
	}
}

export interface SentResponse {
	status: number;
	body: unknown;
	ended: boolean;
}

export interface FakeWebhookOptions {
	parameters: IDataObject;
	credentials?: Record<string, IDataObject>;
	store?: MemoryProcessedStore;
	/** Omit to leave the helper out, as n8n 2.41 does for webhook functions. */
	withDedupeHelper?: boolean;
	mode?: 'trigger' | 'webhook' | 'manual';
	webhookName?: 'default' | 'setup';
	httpRequest?: (credentialType: string, options: IHttpRequestOptions) => Promise<unknown>;
	/** Id of the secrets credential on the node (n8n sets it; the node reuses decrypted secrets by it). */
	credentialId?: string;
	/** Counts credential reads across calls. */
	credentialReads?: { count: number };
	/** Collects what the node logs as warnings. */
	warnings?: string[];
}

export interface WebhookCall {
	result: IWebhookResponseData;
	sent: SentResponse;
	httpRequests: Array<{ credentialType: string; options: IHttpRequestOptions }>;
}

const trigger = new NpsTrigger();

export async function callWebhook(delivery: NpsDelivery, options: FakeWebhookOptions): Promise<WebhookCall> {
	const sent: SentResponse = { status: 0, body: undefined, ended: false };
	const response = {
		get headersSent() {
			return sent.ended;
		},
		status(code: number) {
			sent.status = code;
			return response;
		},
		json(body: unknown) {
			sent.body = body;
			sent.ended = true;
			return response;
		},
		end() {
			sent.ended = true;
			return response;
		},
	};
	const httpRequests: WebhookCall['httpRequests'] = [];
	const store = options.store ?? new MemoryProcessedStore();
	const helpers: IDataObject = {
		async httpRequestWithAuthentication(credentialType: string, requestOptions: IHttpRequestOptions) {
			httpRequests.push({ credentialType, options: requestOptions });
			if (!options.httpRequest) throw new Error('no HTTP in this test');
			return await options.httpRequest(credentialType, requestOptions);
		},
	};
	if (options.withDedupeHelper ?? true) helpers.checkProcessedAndRecord = async (items: string[]) => await store.checkProcessedAndRecord(items);
	const context = {
		getNodeParameter(name: string, fallback?: unknown) {
			return name in options.parameters ? options.parameters[name] : fallback;
		},
		async getCredentials(type: string) {
			if (options.credentialReads) options.credentialReads.count++;
			const credential = options.credentials?.[type];
			if (!credential) throw new Error(`Node does not have any credentials set for "${type}"`);
			return credential;
		},
		getRequestObject: () => ({ method: delivery.method, headers: delivery.headers, rawBody: delivery.rawBody }),
		getResponseObject: () => response,
		getWebhookName: () => options.webhookName ?? 'default',
		getMode: () => options.mode ?? 'webhook',
		getWorkflow: () => ({ id: 'wf-1', name: 'NPS', active: true }),
		getNode: () => ({
			id: 'node-1',
			name: 'NPS Trigger',
			type: 'n8n-nodes-revops.npsTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: options.credentialId ? { npsWebhookSecretsApi: { id: options.credentialId, name: 'secrets' } } : undefined,
		}),
		helpers,
		logger: { warn: (message: string) => options.warnings?.push(message), debug() {}, info() {}, error() {} },
	} as unknown as IWebhookFunctions;
	const result = await trigger.webhook.call(context);
	return { result, sent, httpRequests };
}
