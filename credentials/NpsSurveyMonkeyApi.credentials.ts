import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** SurveyMonkey API access token: NPS Trigger fetches each response named by a webhook with it. */
export class NpsSurveyMonkeyApi implements ICredentialType {
	name = 'npsSurveyMonkeyApi';

	displayName = 'NPS SurveyMonkey API';

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#surveymonkey';

	icon: Icon = { light: 'file:../nodes/NpsTrigger/npsTrigger.svg', dark: 'file:../nodes/NpsTrigger/npsTrigger.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: "The app's access token (SurveyMonkey developer portal, My Apps, Settings), with the View Responses Details scope",
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.surveymonkey.com',
			description: 'https://api.surveymonkey.com, or the EU/CA data center (https://api.eu.surveymonkey.com, https://api.surveymonkey.ca)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v3/users/me',
		},
	};
}
