import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** Qualtrics API token: NPS Trigger fetches each response named by an event subscription with it. */
export class NpsQualtricsApi implements ICredentialType {
	name = 'npsQualtricsApi';

	displayName = 'NPS Qualtrics API';

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#qualtrics';

	icon: Icon = { light: 'file:../nodes/NpsTrigger/npsTrigger.svg', dark: 'file:../nodes/NpsTrigger/npsTrigger.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Account Settings, Qualtrics IDs, API Token',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://yourdatacenterid.qualtrics.com',
			description: 'Your data center URL (Account Settings, Qualtrics IDs, Datacenter ID)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-API-TOKEN': '={{$credentials.apiToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/API/v3/whoami',
		},
	};
}
