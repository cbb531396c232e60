import { buildBulkRequests, type MappedRecord } from '../../../lib/crm/bulk';
import { createCrmMapper, type CrmMapOutcome } from '../../../lib/crm/mapper';
import {
	hubspotBatchUpsertBody,
	hubspotContactProperties,
	pipedriveCreatePersonBody,
	pipedriveUpdatePersonBody,
	salesforceCollectionUpsertBody,
	salesforceLeadRecord,
} from '../../schemas/crmApi';
import { lead, npsResponse } from '../../fixtures/canonicalRecords';
import { HUBSPOT_API_VERSION } from '../../../lib/crm/apiVersions';

function valid(outcome: CrmMapOutcome) {
	if (!outcome.valid) throw new Error(`expected a valid record, got ${JSON.stringify(outcome.errors)}`);
	return outcome;
}

function invalid(outcome: CrmMapOutcome) {
	if (outcome.valid) throw new Error(`expected an invalid record, got ${JSON.stringify(outcome.record)}`);
	return outcome;
}

const KEY_SCORE = 'a'.repeat(40);
const KEY_SEGMENT = 'b'.repeat(40);
const KEY_THEMES = 'c'.repeat(40);

describe('Salesforce Lead', () => {
	const map = createCrmMapper({ crm: 'salesforce' });

	it('maps a canonical lead onto the standard Lead fields within their documented lengths', () => {
		const { record, warnings } = valid(map(lead()));
		expect(salesforceLeadRecord.parse(record)).toEqual(record);
		expect(record).toEqual({
			FirstName: 'Maria',
			LastName: 'da Silva',
			Company: 'ACME Ltda',
			Email: 'maria.silva@acme.com.br',
			Phone: '+5511987654321',
			MobilePhone: '+5511987654321',
			Title: 'Head of Marketing',
			Industry: 'Technology',
			LeadSource: 'google',
			CountryCode: 'BR',
			State: 'SP',
			City: 'São Paulo',
			PostalCode: '01310-100',
			Website: 'https://acme.com.br',
			// the fixture lead gave marketing consent
			HasOptedOutOfEmail: false,
		});
		expect(warnings).toEqual([]);
	});

	it('leaves LeadSource, the first touch, alone for a returning lead Dedupe found among the leads sent before', () => {
		const returning = lead({ _dedupe: { matched_id: 'maria.silva@acme.com.br', matched_in: 'existing' } });
		const { record } = valid(map(returning));
		expect(record).not.toHaveProperty('LeadSource');
		expect(record).toMatchObject({ Email: 'maria.silva@acme.com.br', HasOptedOutOfEmail: false });
		// a duplicate within the same batch is not known to the CRM yet: it keeps its source
		expect(valid(map(lead({ _dedupe: { matched_id: 'x', matched_in: 'input' } }))).record).toMatchObject({ LeadSource: 'google' });
		// a mapping the user made on purpose still applies
		const mapWithSource = createCrmMapper({ crm: 'salesforce', mappings: [{ target: 'LeadSource', source: 'attribution.original.campaign' }] });
		expect(valid(mapWithSource(returning)).record).toMatchObject({ LeadSource: 'q1' });
	});

	it('writes when, where and under which policy the lead consented into the consent fields the user named', () => {
		const mapConsent = createCrmMapper({
			crm: 'salesforce',
			usePresets: false,
			mappings: [
				{ target: 'LastName', source: 'last_name' },
				{ target: 'Company', source: 'company' },
			],
			consentFields: { date: 'Consent_Date__c', source: 'Consent_Source__c', policyVersion: '' },
		});
		expect(valid(mapConsent(lead())).record).toEqual({
			LastName: 'da Silva',
			Company: 'ACME Ltda',
			Consent_Date__c: '2026-03-01T10:00:00.000Z',
			Consent_Source__c: 'form',
		});
		// a lead that said nothing leaves them out
		const silent = lead({ consent: { given: null, date: null, source: null, policy_version: null } });
		expect(valid(mapConsent(silent)).record).toEqual({ LastName: 'da Silva', Company: 'ACME Ltda' });
		const badDate = lead({ consent: { given: true, date: 'yesterday', source: 'form', policy_version: null } });
		expect(invalid(mapConsent(badDate)).errors).toEqual([expect.objectContaining({ field: 'Consent_Date__c' })]);
	});

	it('opts a lead out of email when it refused or withdrew consent, and leaves the field alone when it said nothing', () => {
		const withConsent = (given: boolean | null) => lead({ consent: { given, date: null, source: null, policy_version: null } });
		expect(valid(map(withConsent(false))).record).toMatchObject({ HasOptedOutOfEmail: true });
		expect(valid(map(withConsent(true))).record).toMatchObject({ HasOptedOutOfEmail: false });
		expect(valid(map(withConsent(null))).record).not.toHaveProperty('HasOptedOutOfEmail');
	});

	it('lets constants and source-field mappings override presets', () => {
		const mapWithCustom = createCrmMapper({
			crm: 'salesforce',
			salesforceCountryField: 'Country',
			mappings: [
				{ target: 'LeadSource', value: 'n8n webhook' },
				{ target: 'Campaign_Code__c', source: 'attribution.original.campaign' },
			],
		});
		const { record } = valid(mapWithCustom(lead({ phone_type: 'fixed_line' })));
		expect(record).toMatchObject({ LeadSource: 'n8n webhook', Campaign_Code__c: 'q1', Country: 'BR' });
		expect(record).not.toHaveProperty('MobilePhone');
		expect(record).not.toHaveProperty('CountryCode');
	});

	it('sends a lead without LastName and Company to Invalid, or fills them from defaults', () => {
		const incomplete = lead({ last_name: null, company: null });
		const { errors } = invalid(map(incomplete));
		expect(errors).toEqual([
			expect.objectContaining({ field: 'LastName', code: 'required', message: expect.stringContaining('Salesforce Lead') }),
			expect.objectContaining({ field: 'Company', code: 'required' }),
		]);
		const mapWithDefaults = createCrmMapper({ crm: 'salesforce', defaults: { LastName: '[unknown]', Company: '[not provided]' } });
		expect(valid(mapWithDefaults(incomplete)).record).toMatchObject({ LastName: '[unknown]', Company: '[not provided]' });
		// A default never replaces a value the lead has.
		expect(valid(mapWithDefaults(lead())).record).toMatchObject({ LastName: 'da Silva', Company: 'ACME Ltda' });
	});

	it('refuses over-long values unless truncation is allowed, and then says what was cut', () => {
		const title = `${'Senior Vice President of Global Revenue Operations and Marketing Technology, '.repeat(2)}EMEA`;
		expect(invalid(map(lead({ job_title: title }))).errors).toEqual([
			{ field: 'Title', code: 'too_long', message: `Title has ${title.length} characters; Salesforce Lead allows at most 128` },
		]);
		const truncating = createCrmMapper({ crm: 'salesforce', truncate: true });
		const { record, warnings } = valid(truncating(lead({ job_title: title })));
		expect(record.Title).toBe(title.slice(0, 128));
		expect(warnings).toEqual([
			expect.objectContaining({ field: 'Title', code: 'truncated', message: expect.stringContaining(`'${title.slice(128)}'`) }),
		]);
	});

	it('lists every violation of a bad record by field', () => {
		const mapStrict = createCrmMapper({
			crm: 'salesforce',
			mappings: [
				{ target: 'Email', source: 'raw_email' },
				{ target: 'NumberOfEmployees', source: 'employees' },
				{ target: 'Industry', source: 'industry', rule: { values: ['Technology', 'Banking'] } },
			],
		});
		const { errors } = invalid(
			mapStrict({
				...lead({ last_name: null, phone: null, industry: 'Agriculture' }),
				raw_email: 'maria@',
				employees: 'about fifty',
				website: 'not a website',
				phone: '12',
			}),
		);
		expect(errors.map(({ field, code }) => `${field}:${code}`).sort()).toEqual([
			'Email:invalid_email',
			'Industry:not_in_picklist',
			'LastName:required',
			'MobilePhone:invalid_phone',
			'NumberOfEmployees:not_a_number',
			'Phone:invalid_phone',
			'Website:invalid_url',
		]);
		expect(errors.find((error) => error.field === 'Industry')?.message).toBe(
			"Industry 'Agriculture' is not a Salesforce Lead picklist value (Technology, Banking)",
		);
	});

	it('writes NPS responses in the shape NPS-to-Salesforce guides use', () => {
		const mapNps = createCrmMapper({
			crm: 'salesforce',
			npsFields: { score: 'nps_score__c', segment: 'nps_segment__c', themes: 'nps_themes__c', surveyDate: '', comment: '' },
		});
		const { record, kind } = valid(mapNps(npsResponse({ nps_score: 8 })));
		expect(kind).toBe('nps');
		expect(record).toEqual({
			Email: 'customer@acme.com',
			nps_score__c: 8,
			nps_segment__c: 'Passive',
			nps_themes__c: 'Ease of use;Customer support',
		});
	});

	it('uses the default NPS custom fields, the org segment labels and the allowed theme values', () => {
		const mapNps = createCrmMapper({
			crm: 'salesforce',
			segmentLabels: { promoter: 'Promotor', passive: 'Passivo', detractor: 'Detrator' },
			themeValues: ['Ease of use', 'Customer support', 'Pricing'],
		});
		const { record } = valid(mapNps(npsResponse({ nps_score: 3 })));
		expect(salesforceLeadRecord.omit({ LastName: true, Company: true }).parse(record)).toEqual(record);
		expect(record).toMatchObject({
			NPS_Score__c: 3,
			NPS_Segment__c: 'Detrator',
			NPS_Themes__c: 'Ease of use;Customer support',
			NPS_Survey_Date__c: '2026-03-14',
			NPS_Comment__c: 'Great support, but onboarding was slow.',
		});
		const { errors } = invalid(mapNps(npsResponse({ themes: ['Pricing', 'Shipping delays'] })));
		expect(errors).toEqual([expect.objectContaining({ field: 'NPS_Themes__c', code: 'not_in_picklist' })]);
	});

	it('keeps lead-only constants and defaults off NPS responses, which update existing records', () => {
		const mapBoth = createCrmMapper({
			crm: 'salesforce',
			mappings: [
				{ target: 'LeadSource', value: 'n8n webhook', recordKind: 'lead' },
				{ target: 'NPS_Source__c', value: 'Delighted', recordKind: 'nps' },
			],
			defaults: { Company: '[not provided]' },
		});
		expect(valid(mapBoth(lead({ company: null }))).record).toMatchObject({ LeadSource: 'n8n webhook', Company: '[not provided]' });
		expect(valid(mapBoth(lead())).record).not.toHaveProperty('NPS_Source__c');
		const { record } = valid(mapBoth(npsResponse()));
		expect(record).toMatchObject({ NPS_Source__c: 'Delighted', NPS_Score__c: 8 });
		expect(record).not.toHaveProperty('LeadSource');
		expect(record).not.toHaveProperty('Company');
	});

	it('maps Contacts to Mailing address fields and does not require a Company', () => {
		const mapContact = createCrmMapper({ crm: 'salesforce', salesforceObject: 'Contact' });
		const { record } = valid(mapContact(lead({ company: null })));
		expect(record).toMatchObject({ LastName: 'da Silva', MailingCountryCode: 'BR', MailingCity: 'São Paulo' });
		expect(record).not.toHaveProperty('Company');
		expect(record).not.toHaveProperty('Website');
	});

	it('builds sObject Collection upserts of at most 200 records that match the published body', () => {
		const mapBulk = createCrmMapper({
			crm: 'salesforce',
			identityField: 'Lead_Key__c',
			mappings: [{ target: 'Lead_Key__c', source: 'email' }],
		});
		const mapped: MappedRecord[] = Array.from({ length: 450 }, (_, index) => {
			const { record, identity } = valid(mapBulk(lead({ email: `lead${index}@acme.com` })));
			return { index, record, identity };
		});
		const requests = buildBulkRequests(mapped, { crm: 'salesforce', externalIdField: 'Lead_Key__c', salesforceApiVersion: 'v62.0' });
		expect(requests.map((request) => request.indices.length)).toEqual([200, 200, 50]);
		expect(requests.flatMap((request) => request.indices)).toEqual(mapped.map((record) => record.index));
		const schema = salesforceCollectionUpsertBody('Lead', 'Lead_Key__c');
		for (const request of requests) {
			expect(request.method).toBe('PATCH');
			expect(request.path).toBe('/services/data/v62.0/composite/sobjects/Lead/Lead_Key__c');
			expect(schema.parse(request.body)).toEqual(request.body);
		}
		expect((requests[0].body.records as Array<Record<string, unknown>>)[0]).toMatchObject({
			attributes: { type: 'Lead' },
			Lead_Key__c: 'lead0@acme.com',
			LastName: 'da Silva',
		});
		expect(buildBulkRequests(mapped.slice(0, 1), { crm: 'salesforce', externalIdField: 'Lead_Key__c', salesforceApiVersion: '60.0' })[0].path).toBe(
			'/services/data/v60.0/composite/sobjects/Lead/Lead_Key__c',
		);
		expect(() => buildBulkRequests(mapped, { crm: 'salesforce', externalIdField: 'Lead_Key__c', salesforceApiVersion: 'v45.0' })).toThrow(
			/needs v46.0 or later/,
		);
		expect(invalid(mapBulk(lead({ email: null }))).errors).toEqual([
			expect.objectContaining({ field: 'Lead_Key__c', code: 'required' }),
		]);
	});
});

describe('HubSpot contact', () => {
	const map = createCrmMapper({ crm: 'hubspot', identityField: 'email' });

	it('maps a lead to contact properties, every value a string', () => {
		const { record } = valid(
			map(lead(), undefined),
		);
		expect(hubspotContactProperties.parse(record)).toEqual(record);
		expect(record).toMatchObject({
			email: 'maria.silva@acme.com.br',
			firstname: 'Maria',
			lastname: 'da Silva',
			company: 'ACME Ltda',
			phone: '+5511987654321',
			jobtitle: 'Head of Marketing',
			country: 'BR',
			zip: '01310-100',
		});
	});

	it('writes NPS responses as strings, dates as UTC midnight milliseconds', () => {
		const { record, identity } = valid(map(npsResponse({ nps_score: 10 })));
		// The guides' shape is {"email": "customer@acme.com", "nps_score": 10, ...}; HubSpot's published schema
		// types every property value as a string, and HubSpot reads "10" into the number property.
		expect(record).toMatchObject({ email: 'customer@acme.com', nps_score: '10' });
		expect(identity).toBe('customer@acme.com');
		expect(hubspotContactProperties.parse(record)).toEqual(record);
		expect(record).toEqual({
			email: 'customer@acme.com',
			nps_score: '10',
			nps_segment: 'Promoter',
			nps_themes: 'Ease of use;Customer support',
			nps_survey_date: String(Date.UTC(2026, 2, 14)),
			nps_comment: 'Great support, but onboarding was slow.',
		});
	});

	it('checks enumeration properties against their internal values', () => {
		const mapStage = createCrmMapper({
			crm: 'hubspot',
			mappings: [
				{ target: 'lifecyclestage', value: 'Lead' },
				{ target: 'hs_lead_status', source: 'status' },
			],
		});
		expect(valid(mapStage({ ...lead(), status: 'NEW' })).record).toMatchObject({ lifecyclestage: 'lead', hs_lead_status: 'NEW' });
		expect(invalid(mapStage({ ...lead(), status: 'Hot' })).errors).toEqual([
			expect.objectContaining({ field: 'hs_lead_status', code: 'not_in_picklist' }),
		]);
	});

	it('needs an email to upsert by', () => {
		expect(invalid(map(lead({ email: null }))).errors).toEqual([expect.objectContaining({ field: 'email', code: 'required' })]);
	});

	it('builds batch upserts of at most 100 inputs, never two inputs for one email in a batch', () => {
		const mapped: MappedRecord[] = Array.from({ length: 250 }, (_, index) => {
			// Record 10 repeats record 5's email: it must go to a later batch.
			const email = `c${index === 10 ? 5 : index}@acme.com`;
			const { record, identity } = valid(map(lead({ email })));
			return { index, record, identity };
		});
		const requests = buildBulkRequests(mapped, { crm: 'hubspot' });
		expect(requests.map((request) => request.indices.length)).toEqual([10, 100, 100, 40]);
		expect(requests.flatMap((request) => request.indices)).toEqual(mapped.map((record) => record.index));
		for (const request of requests) {
			expect(request).toMatchObject({ method: 'POST', path: `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert` });
			expect(hubspotBatchUpsertBody.parse(request.body)).toEqual(request.body);
			const emails = (request.body.inputs as Array<{ id: string }>).map((input) => input.id);
			expect(new Set(emails).size).toBe(emails.length);
		}
		expect((requests[0].body.inputs as unknown[])[0]).toEqual({
			id: 'c0@acme.com',
			idProperty: 'email',
			properties: expect.objectContaining({ email: 'c0@acme.com', firstname: 'Maria' }),
		});
	});
});

describe('Pipedrive person (API v2)', () => {
	const npsConfig = {
		crm: 'pipedrive' as const,
		npsFields: { score: KEY_SCORE, segment: KEY_SEGMENT, themes: KEY_THEMES, surveyDate: '', comment: '' },
		segmentOptionIds: { promoter: 11, passive: 12, detractor: 13 },
		themeOptionIds: { 'Ease of use': 21, 'Customer support': 22 },
	};

	it('maps a lead to a v2 person body with emails and phones arrays', () => {
		const map = createCrmMapper({ crm: 'pipedrive', mappings: [{ target: 'org_id', source: 'crm.org' }] });
		const { record } = valid(map({ ...lead(), crm: { org: '77' } }));
		expect(pipedriveCreatePersonBody.parse(record)).toEqual(record);
		expect(record).toEqual({
			name: 'Maria da Silva',
			emails: [{ value: 'maria.silva@acme.com.br', primary: true, label: 'work' }],
			phones: [{ value: '+5511987654321', primary: true, label: 'mobile' }],
			org_id: 77,
			// the fixture lead gave marketing consent
			marketing_status: 'subscribed',
		});
		expect(invalid(map({ ...lead(), crm: { org: 'ACME' } })).errors).toEqual([
			expect.objectContaining({ field: 'org_id', code: 'not_a_number' }),
		]);
	});

	it('sets the marketing status from consent: subscribed, unsubscribed on refusal or withdrawal, untouched when not stated', () => {
		const map = createCrmMapper({ crm: 'pipedrive' });
		const withConsent = (given: boolean | null) => lead({ consent: { given, date: null, source: null, policy_version: null } });
		expect(valid(map(withConsent(true))).record).toMatchObject({ marketing_status: 'subscribed' });
		expect(valid(map(withConsent(false))).record).toMatchObject({ marketing_status: 'unsubscribed' });
		expect(valid(map(withConsent(null))).record).not.toHaveProperty('marketing_status');
	});

	it('checks arrays the user maps into emails and phones', () => {
		const map = createCrmMapper({ crm: 'pipedrive', mappings: [{ target: 'emails', source: 'all_emails' }] });
		const { errors } = invalid(
			map({ ...lead(), all_emails: [{ value: 'not-an-email' }, { value: 'ok@acme.com', primary: 'yes' }, { label: 'home' }] }),
		);
		expect(errors.map(({ field, code }) => `${field}:${code}`)).toEqual([
			'emails[0]:invalid_email',
			'emails[1]:not_boolean',
			'emails[2]:missing_value',
		]);
		const twoPrimaries = [
			{ value: 'a@acme.com', primary: true },
			{ value: 'b@acme.com', primary: true },
		];
		expect(invalid(map({ ...lead(), all_emails: twoPrimaries })).errors).toEqual([
			expect.objectContaining({ field: 'emails', code: 'several_primary' }),
		]);
	});

	it('writes NPS responses to custom fields by key, with option ids for enum and set fields', () => {
		const map = createCrmMapper(npsConfig);
		const { record } = valid(map(npsResponse({ nps_score: 8 })));
		expect(record).toEqual({
			person_id: 54321,
			custom_fields: { [KEY_SCORE]: 8, [KEY_SEGMENT]: 12, [KEY_THEMES]: [21, 22] },
		});
		const [request] = buildBulkRequests([{ index: 0, record, identity: null }], { crm: 'pipedrive' });
		expect(request).toMatchObject({ method: 'PATCH', path: '/api/v2/persons/54321' });
		expect(pipedriveUpdatePersonBody.parse(request.body)).toEqual(request.body);
		expect(request.body).not.toHaveProperty('person_id');
	});

	it('sends NPS responses without a person id or with an unknown theme to Invalid', () => {
		const map = createCrmMapper(npsConfig);
		const { errors } = invalid(map(npsResponse({ customer_id: null, themes: ['Pricing'] })));
		expect(errors.map(({ field, code }) => `${field}:${code}`).sort()).toEqual([`${KEY_THEMES}:not_in_picklist`, 'person_id:required']);
	});

	it('takes consent fields by their 40-character keys, and refuses a name that is not one', () => {
		const map = createCrmMapper({ crm: 'pipedrive', consentFields: { date: KEY_SCORE, source: '', policyVersion: KEY_THEMES } });
		expect(valid(map(lead())).record).toMatchObject({ custom_fields: { [KEY_SCORE]: '2026-03-01T10:00:00.000Z', [KEY_THEMES]: 'v2' } });
		expect(() => createCrmMapper({ crm: 'pipedrive', consentFields: { date: 'consent_date' } })).toThrow(/consent_date/);
	});

	it('rejects configurations Pipedrive cannot take', () => {
		expect(() => createCrmMapper({ ...npsConfig, segmentOptionIds: { promoter: 1 } })).toThrow(/option id of 'Passive'/);
		expect(() => createCrmMapper({ ...npsConfig, npsFields: { score: 'nps_score' } })).toThrow(/40-character/);
		expect(() => createCrmMapper({ crm: 'pipedrive', mappings: [{ target: 'Email', value: 'x' }] })).toThrow(
			/neither a Pipedrive person field/,
		);
	});

	it('creates one request per person: Pipedrive has no batch endpoint', () => {
		const map = createCrmMapper({ crm: 'pipedrive' });
		const mapped = [0, 1, 2].map((index) => ({ index, record: valid(map(lead())).record, identity: null }));
		const requests = buildBulkRequests(mapped, { crm: 'pipedrive' });
		expect(requests).toHaveLength(3);
		for (const request of requests) {
			expect(request).toMatchObject({ method: 'POST', path: '/api/v2/persons' });
			expect(pipedriveCreatePersonBody.parse(request.body)).toEqual(request.body);
		}
	});
});
