import type { IWebhookFunctions } from 'n8n-workflow';

import type { ApiRequest } from '../../../lib/nps/providers/types';

/** Credential type used to fetch responses, per provider that sends only ids. */
const API_CREDENTIALS = { surveymonkey: 'npsSurveyMonkeyApi', qualtrics: 'npsQualtricsApi' } as const;

export type FetchingProvider = keyof typeof API_CREDENTIALS;

/** GETs `request` from the provider's API with n8n's HTTP helper and the user's credential. */
export async function fetchFromProvider(context: IWebhookFunctions, provider: FetchingProvider, request: ApiRequest): Promise<unknown> {
	const credentialType = API_CREDENTIALS[provider];
	const credentials = await context.getCredentials(credentialType);
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return await context.helpers.httpRequestWithAuthentication.call(context, credentialType, {
		method: 'GET',
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		json: true,
	});
}
