import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ProviderId } from '../../../lib/nps/providers/types';

/** Providers whose deliveries are signed: the secret credential is the signing secret. */
const SIGNED_PROVIDERS: ProviderId[] = ['generic', 'delighted', 'typeform', 'surveymonkey', 'wootric', 'qualtrics', 'survicate', 'tally'];
/** Providers that do not sign: an optional shared-secret header or basic auth protects the URL. */
const UNSIGNED_PROVIDERS: ProviderId[] = ['satismeter', 'asknicely', 'fieldMapping'];
/** Providers whose payloads can hold several questions, so the node may name the NPS one. */
export const QUESTION_PROVIDERS: ProviderId[] = ['typeform', 'tally', 'survicate', 'surveymonkey', 'qualtrics'];

const PROVIDER_OPTIONS: INodePropertyOptions[] = [
	{ name: 'AskNicely', value: 'asknicely', description: 'Webhooks app; protect it with a custom header' },
	{ name: 'Delighted', value: 'delighted', description: 'Signed with your API key' },
	{ name: 'Field Mapping (Any Sender)', value: 'fieldMapping', description: 'Your own JSON or form template (Retently, Medallia, Google Forms via Apps Script, ...)' },
	{ name: 'Generic JSON (Standard Webhooks)', value: 'generic', description: 'The canonical NPS fields, signed per standardwebhooks.com' },
	{ name: 'Qualtrics', value: 'qualtrics', description: 'Event subscription; the response is fetched from the Qualtrics API' },
	{ name: 'SatisMeter', value: 'satismeter', description: 'Unsigned; protect it with a shared secret or basic auth' },
	{ name: 'SurveyMonkey', value: 'surveymonkey', description: 'Signed webhook; the response is fetched from the SurveyMonkey API' },
	{ name: 'Survicate', value: 'survicate', description: 'Signed (Hmac header)' },
	{ name: 'Tally', value: 'tally', description: 'Signed (Tally-Signature header)' },
	{ name: 'Typeform', value: 'typeform', description: 'Signed (Typeform-Signature header)' },
	{ name: 'Wootric (InMoment)', value: 'wootric', description: 'Signed with your webhook token' },
];

/** The canvas subtitle: the chosen provider's name, as the Provider list shows it. */
export const providerSubtitle = `={{ ${JSON.stringify(Object.fromEntries(PROVIDER_OPTIONS.map(({ value, name }) => [value, name])))}[$parameter["provider"]] }}`;

export const providerProperties: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'nps',
		required: true,
		placeholder: 'nps/typeform',
		description: 'Webhook path: the production URL to paste into the survey tool is shown above, ending with this path',
	},
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		default: 'typeform',
		options: PROVIDER_OPTIONS,
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { provider: SIGNED_PROVIDERS } },
		// "None" also keeps n8n's editor from treating Authentication as the node's main auth field,
		// which it would move into the credential dialog, hiding Provider with it.
		options: [
			{ name: 'None (Not Recommended)', value: 'none', description: 'Accepts unsigned deliveries: anyone who knows the URL can post. For trying a form before it has a secret.' },
			{ name: 'Signature', value: 'signature', description: "Checks the provider's signature with the secret(s) in the credential" },
		],
		default: 'signature',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { provider: UNSIGNED_PROVIDERS } },
		options: [
			{ name: 'Basic Auth', value: 'basicAuth', description: 'User from the credential, password = the secret' },
			{ name: 'None', value: 'none', description: 'Anyone who knows the URL can post' },
			{ name: 'Shared Secret Header', value: 'headerAuth', description: 'A custom header the survey tool sends with the secret' },
		],
		default: 'headerAuth',
	},
	{
		displayName: 'Header Name',
		name: 'authHeaderName',
		type: 'string',
		default: 'X-Webhook-Secret',
		displayOptions: { show: { provider: UNSIGNED_PROVIDERS, authentication: ['headerAuth'] } },
		description: 'Name of the header carrying the secret',
	},
	{
		displayName: 'NPS Question',
		name: 'npsQuestion',
		type: 'string',
		default: '',
		displayOptions: { show: { provider: QUESTION_PROVIDERS } },
		description:
			"The question holding the 0-10 answer, when the form has more than one scale: Typeform field ref or ID, Tally field key or label, Survicate/SurveyMonkey question ID, Qualtrics QID. Empty: the form's NPS question.",
	},
	{
		displayName: 'Comment Question',
		name: 'commentQuestion',
		type: 'string',
		default: '',
		displayOptions: { show: { provider: ['typeform', 'tally', 'surveymonkey', 'qualtrics'] } },
		description: 'The question holding the reason for the score (same kinds of IDs). Empty: the first long-text answer (Qualtrics: none).',
	},
];
