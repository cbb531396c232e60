import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { FieldMap } from '../../../lib/nps/fieldMap';
import type { ProviderId } from '../../../lib/nps/providers/types';
import type { DeliveryAuth, ReceiverConfig } from '../../../lib/nps/receive';
import type { NpsScale } from '../../../lib/nps/score';
import { QUESTION_PROVIDERS } from '../description/provider';
import { commaList } from '../../shared/commaList';

export interface TriggerOptions {
	emitOtherEvents: boolean;
	includeRaw: boolean;
}

interface SecretsCredential {
	secret?: string;
	previousSecrets?: string;
	basicAuthUser?: string;
}

/** The current secret first, then the previous ones (one per line) still accepted while rotating. */
export function secretsOf(credential: SecretsCredential | undefined): string[] {
	if (!credential) return [];
	const previous = (credential.previousSecrets ?? '').split(/\r?\n/);
	return [credential.secret ?? '', ...previous].map((secret) => secret.trim()).filter((secret) => secret !== '');
}

/**
 * How long decrypted secrets are reused. Reading a credential is a database query plus a
 * decryption per delivery, which under load costs more than everything else the node does; a
 * changed or rotated secret takes effect within this time.
 */
const SECRETS_REUSE_MS = 5_000;
const recentSecrets = new Map<string, { until: number; credential: SecretsCredential | undefined }>();

async function secretsCredential(context: IWebhookFunctions): Promise<SecretsCredential | undefined> {
	const credentialId = context.getNode().credentials?.npsWebhookSecretsApi?.id;
	const now = Date.now();
	const recent = credentialId ? recentSecrets.get(credentialId) : undefined;
	if (recent && recent.until > now) return recent.credential;
	let credential: SecretsCredential | undefined;
	try {
		credential = (await context.getCredentials('npsWebhookSecretsApi')) as SecretsCredential;
	} catch {
		// No credential selected: signed providers then refuse every delivery (401), unsigned ones
		// with authentication "None" need none.
		credential = undefined;
	}
	if (credentialId) recentSecrets.set(credentialId, { until: now + SECRETS_REUSE_MS, credential });
	return credential;
}

function deliveryAuthOf(context: IWebhookFunctions, authentication: string, credential: SecretsCredential | undefined): DeliveryAuth {
	if (authentication === 'signature') return { kind: 'signature' };
	if (authentication === 'headerAuth') return { kind: 'header', headerName: context.getNodeParameter('authHeaderName', 'X-Webhook-Secret') as string };
	if (authentication === 'basicAuth') return { kind: 'basicAuth', username: credential?.basicAuthUser ?? '' };
	return { kind: 'none' };
}

function fieldMapOf(context: IWebhookFunctions): FieldMap {
	const paths = context.getNodeParameter('fieldPaths', {}) as IDataObject & { nps_event_values?: string };
	const { nps_event_values: eventValues, ...optional } = paths;
	return {
		...(optional as Omit<FieldMap, 'response_id' | 'nps_score' | 'nps_event_values'>),
		response_id: context.getNodeParameter('responseIdPath') as string,
		nps_score: context.getNodeParameter('npsScorePath') as string,
		nps_event_values: commaList(eventValues),
	};
}

/** Everything the receiver needs from the node's parameters and credential. */
export async function readSettings(context: IWebhookFunctions): Promise<{ config: ReceiverConfig; options: TriggerOptions }> {
	const provider = context.getNodeParameter('provider') as ProviderId;
	const options = context.getNodeParameter('options', {}) as { scale?: NpsScale; emitOtherEvents?: boolean; includeRaw?: boolean };
	const credential = await secretsCredential(context);
	const authentication = context.getNodeParameter('authentication', 'signature') as string;
	const question = (name: string) => (context.getNodeParameter(name, '') as string).trim() || undefined;
	const questionsApply = QUESTION_PROVIDERS.includes(provider);
	return {
		config: {
			provider,
			secrets: authentication === 'none' ? [] : secretsOf(credential),
			auth: deliveryAuthOf(context, authentication, credential),
			settings: {
				scale: options.scale ?? '0-10',
				npsQuestion: questionsApply ? question('npsQuestion') : undefined,
				commentQuestion: questionsApply ? question('commentQuestion') : undefined,
				fieldMap: provider === 'fieldMapping' ? fieldMapOf(context) : undefined,
			},
		},
		options: { emitOtherEvents: options.emitOtherEvents ?? false, includeRaw: options.includeRaw ?? false },
	};
}
