import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The secret(s) NPS Trigger checks deliveries with: the signing secret of providers that sign
 * (Typeform, Delighted, Tally, ...), or the shared secret of those that do not (header value or
 * basic auth password). Older secrets stay accepted while the survey tool is switched over.
 * Tested by the NPS Trigger node (`testedBy`), which checks the secrets' format locally: there is
 * no API to call with a webhook secret.
 */
export class NpsWebhookSecretsApi implements ICredentialType {
	name = 'npsWebhookSecretsApi';

	displayName = 'NPS Webhook Secrets API';

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#nps-trigger';

	icon: Icon = { light: 'file:../nodes/NpsTrigger/npsTrigger.svg', dark: 'file:../nodes/NpsTrigger/npsTrigger.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The signing secret from the survey tool's webhook settings (Standard Webhooks: the whsec_... key; Delighted: the API key; Wootric: the webhook token), or the shared secret you put in its custom header",
		},
		{
			displayName: 'Previous Secrets',
			name: 'previousSecrets',
			type: 'string',
			typeOptions: { password: true, rows: 3 },
			default: '',
			description: 'Secrets still accepted while you rotate, one per line. Remove them once the survey tool uses the new secret.',
		},
		{
			displayName: 'Basic Auth User (Basic Auth Only)',
			name: 'basicAuthUser',
			type: 'string',
			default: '',
			description:
				'Only when the NPS Trigger\'s Authentication is Basic Auth (SatisMeter, AskNicely, Field Mapping): the user name the survey tool sends, with the secret as password. Leave empty otherwise.',
		},
	];
}
