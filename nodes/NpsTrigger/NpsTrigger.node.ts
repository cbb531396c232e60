import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { testWarehousePostgresCredential } from '../WarehouseInsert/transport';
import { fieldMappingProperties } from './description/fieldMapping';
import { optionsProperties } from './description/options';
import { providerProperties, providerSubtitle } from './description/provider';
import { redeliveryProperties } from './description/redelivery';
import { receiveWebhook } from './helpers/receiveWebhook';
import { secretsOf } from './helpers/settings';

export class NpsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NPS Trigger',
		name: 'npsTrigger',
		icon: { light: 'file:npsTrigger.svg', dark: 'file:npsTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: providerSubtitle,
		description:
			'Starts the workflow on a survey response from Typeform, Delighted, SurveyMonkey, Qualtrics, Wootric, Survicate, SatisMeter, Tally, AskNicely or any sender, verified and turned into one canonical NPS record',
		defaults: { name: 'NPS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['NPS Response', 'Other Events'],
		credentials: [
			{
				name: 'npsWebhookSecretsApi',
				required: true,
				testedBy: 'npsWebhookSecretsFormat',
				displayOptions: { show: { authentication: ['signature', 'headerAuth', 'basicAuth'] } },
			},
			{ name: 'npsSurveyMonkeyApi', required: true, displayOptions: { show: { provider: ['surveymonkey'] } } },
			{ name: 'npsQualtricsApi', required: true, displayOptions: { show: { provider: ['qualtrics'] } } },
			{
				name: 'warehousePostgresApi',
				required: true,
				testedBy: 'warehousePostgresConnection',
				displayOptions: { show: { redeliveryStore: ['postgres'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answered by webhook() itself (status and body per delivery), before the workflow runs.
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				rawBody: true,
			},
			{
				name: 'setup',
				httpMethod: 'HEAD',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties: [...providerProperties, ...fieldMappingProperties, ...redeliveryProperties, ...optionsProperties],
	};

	methods = {
		credentialTest: {
			/** There is no API to call with a webhook secret: check what can be checked locally. */
			async npsWebhookSecretsFormat(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const secrets = secretsOf(credential.data as { secret?: string; previousSecrets?: string });
				if (secrets.length === 0) return { status: 'Error', message: 'Enter the secret from the survey tool' };
				const malformed = secrets.find((secret) => secret.startsWith('whsec_') && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret));
				if (malformed) return { status: 'Error', message: 'A Standard Webhooks secret (whsec_...) must be base64 after the prefix' };
				return { status: 'OK', message: `${secrets.length} secret(s) ready` };
			},
			warehousePostgresConnection: testWarehousePostgresCredential,
		},
	};

	/**
	 * The survey tool is pointed at this URL by hand (its webhook settings), so there is nothing to
	 * register, look up or remove on its side when the workflow is activated or deactivated.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await receiveWebhook(this);
		} catch {
			// A fault of the node, not of the sender (the fuzz tests keep sender input from getting
			// here). Answered here, an exception would also make n8n record a failed execution.
			const response = this.getResponseObject();
			if (!response.headersSent) response.status(500).json({ error: 'internal error' });
			return { noWebhookResponse: true };
		}
	}
}

