import { toMapperConfig, type MapToCrmFieldsParameters } from '../../../nodes/MapToCrmFields/helpers/mapperConfig';

function parameters(overrides: Partial<MapToCrmFieldsParameters>): MapToCrmFieldsParameters {
	return {
		crm: 'salesforce',
		output: 'records',
		salesforceObject: 'Lead',
		recordType: 'auto',
		externalIdField: '',
		idProperty: 'email',
		mappings: [],
		perItemMappings: new Set(),
		defaults: [],
		npsFields: {},
		segmentOptionIds: {},
		themeOptionIds: '',
		options: {},
		...overrides,
	};
}

describe("Map to CRM Fields' parameters", () => {
	it('keep built-in NPS field names when left empty and drop a value written as -', () => {
		const config = toMapperConfig(parameters({ npsFields: { score: '', segment: 'Segmento_NPS__c', comment: '-' } }));
		expect(config.npsFields).toEqual({ segment: 'Segmento_NPS__c', comment: '' });
	});

	it('pass the consent fields on, trimmed; none unless named', () => {
		const config = toMapperConfig(parameters({ options: { consentFields: { date: ' Consent_Date__c ', source: '' } } }));
		expect(config.consentFields).toEqual({ date: 'Consent_Date__c', source: '' });
		expect(toMapperConfig(parameters({})).consentFields).toEqual({});
	});

	it('read Pipedrive option ids and refuse malformed ones', () => {
		const config = toMapperConfig(
			parameters({ crm: 'pipedrive', themeOptionIds: 'Ease of use=21, Customer support = 22', segmentOptionIds: { promoter: 5, passive: 0 } }),
		);
		expect(config.themeOptionIds).toEqual({ 'Ease of use': 21, 'Customer support': 22 });
		expect(config.segmentOptionIds).toEqual({ promoter: 5 });
		expect(() => toMapperConfig(parameters({ crm: 'pipedrive', themeOptionIds: 'Pricing' }))).toThrow(/'Pricing' is not theme=option ID/);
	});

	it('turn mapping rows into mappings with rule overrides, skipping rows without a field', () => {
		const config = toMapperConfig(
			parameters({
				mappings: [
					{ target: ' LeadSource ', appliesTo: 'lead', from: 'value', value: 'n8n webhook', type: 'picklist', allowedValues: 'Web, n8n webhook' },
					{ target: '', from: 'value', value: 'ignored' },
					{ target: 'Campaign__c', appliesTo: 'all', from: 'field', source: 'attribution.original.campaign', maxLength: 80 },
				],
				perItemMappings: new Set([2]),
			}),
		);
		expect(config.mappings).toEqual([
			{
				target: 'LeadSource',
				value: 'n8n webhook',
				perRecord: false,
				recordKind: 'lead',
				rule: { type: 'picklist', values: ['Web', 'n8n webhook'] },
			},
			{ target: 'Campaign__c', source: 'attribution.original.campaign', perRecord: true, recordKind: undefined, rule: { maxLength: 80 } },
		]);
	});

	it('need an External ID Field for Salesforce bulk bodies', () => {
		expect(() => toMapperConfig(parameters({ output: 'bulk', externalIdField: ' ' }))).toThrow(/External ID Field is empty/);
		const withId = { mappings: [{ target: 'Id', from: 'field' as const, source: 'crm_id' }], externalIdField: 'Lead_Key__c' };
		expect(() => toMapperConfig(parameters({ ...withId, output: 'bulk' }))).toThrow(/remove the Id mapping/);
		expect(toMapperConfig(parameters({ ...withId, output: 'records' })).mappings).toHaveLength(1);
		expect(toMapperConfig(parameters({ output: 'bulk', externalIdField: 'Lead_Key__c' })).identityField).toBe('Lead_Key__c');
		expect(toMapperConfig(parameters({ crm: 'hubspot', idProperty: '' })).identityField).toBe('email');
	});
});
