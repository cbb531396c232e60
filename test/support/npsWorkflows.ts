/**
 * Workflow and credential JSON for running NPS Trigger in a real n8n (e2e tests and the bench),
 * in the files `n8n import:workflow` / `import:credentials` read.
 */
import type { ProviderId } from '../../lib/nps/providers/types';

export interface NpsWorkflowOptions {
	id: string;
	provider: ProviderId;
	path: string;
	credentialId: string;
	/** Where the workflow posts each record (an HTTP server of the test), or nothing: a No Op ends it. */
	sinkUrl?: string;
	parameters?: Record<string, unknown>;
	/** Further credentials of the trigger by type (the API credential of SurveyMonkey or Qualtrics). */
	apiCredential?: { type: string; id: string };
}

function node(name: string, type: string, typeVersion: number, position: [number, number], parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return { id: `${name.replace(/\W/g, '-').toLowerCase()}-0001`, name, type, typeVersion, position, parameters, ...extra };
}

function endNode(sinkUrl: string | undefined) {
	return sinkUrl
		? node('Sink', 'n8n-nodes-base.httpRequest', 4.2, [300, 0], {
				method: 'POST',
				url: sinkUrl,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify($json) }}',
				options: {},
			})
		: node('Done', 'n8n-nodes-base.noOp', 1, [300, 0], {});
}

export function npsTriggerWorkflow(options: NpsWorkflowOptions) {
	const last = endNode(options.sinkUrl);
	return {
		id: options.id,
		name: `NPS ${options.provider} ${options.path}`,
		nodes: [
			node('NPS Trigger', 'n8n-nodes-revops.npsTrigger', 1, [0, 0], { path: options.path, provider: options.provider, options: {}, ...options.parameters }, {
				webhookId: `${options.id}-webhook`,
				credentials: {
					npsWebhookSecretsApi: { id: options.credentialId, name: `secrets ${options.credentialId}` },
					...(options.apiCredential ? { [options.apiCredential.type]: { id: options.apiCredential.id, name: options.apiCredential.id } } : {}),
				},
			}),
			last,
		],
		connections: { 'NPS Trigger': { main: [[{ node: last.name, type: 'main', index: 0 }], []] } },
		settings: { executionOrder: 'v1' },
	};
}

/** n8n's own Webhook node answering immediately, the baseline the bench compares with. */
export function plainWebhookWorkflow(id: string, path: string) {
	const last = endNode(undefined);
	return {
		id,
		name: `Plain webhook ${path}`,
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', 2.1, [0, 0], { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, { webhookId: `${id}-webhook` }),
			last,
		],
		connections: { Webhook: { main: [[{ node: last.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export function secretsCredential(id: string, secret: string, previousSecrets = '') {
	return { id, name: `secrets ${id}`, type: 'npsWebhookSecretsApi', data: { secret, previousSecrets, basicAuthUser: '' } };
}
