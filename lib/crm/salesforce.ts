import { isoDate, type FieldRule } from './fieldRules';
import { leadPresets, npsPresets, npsRules, type CrmProfile, type LeadValue, type ProfileOptions } from './profile';

export type SalesforceObject = 'Lead' | 'Contact';

/**
 * Lengths of the standard fields, from Salesforce's Object Reference (Lead and Contact field
 * tables: "Type" and "Length" columns). Phone fields are 40 characters; picklists hold up to 40
 * (255 for restricted custom ones); Country/State codes are 10.
 */
const LEAD_RULES: Record<string, FieldRule> = {
	FirstName: { type: 'text', maxLength: 40 },
	LastName: { type: 'text', maxLength: 80 },
	Company: { type: 'text', maxLength: 255 },
	Email: { type: 'email', maxLength: 80 },
	Phone: { type: 'phone', maxLength: 40 },
	MobilePhone: { type: 'phone', maxLength: 40 },
	Title: { type: 'text', maxLength: 128 },
	Industry: { type: 'picklist', maxLength: 40 },
	LeadSource: { type: 'picklist', maxLength: 40 },
	Status: { type: 'picklist', maxLength: 40 },
	Rating: { type: 'picklist', maxLength: 40 },
	Country: { type: 'text', maxLength: 80 },
	CountryCode: { type: 'picklist', maxLength: 10 },
	State: { type: 'text', maxLength: 80 },
	StateCode: { type: 'picklist', maxLength: 10 },
	City: { type: 'text', maxLength: 40 },
	PostalCode: { type: 'text', maxLength: 20 },
	Street: { type: 'text', maxLength: 255 },
	Website: { type: 'url', maxLength: 255 },
	Description: { type: 'text', maxLength: 32000 },
	NumberOfEmployees: { type: 'number', integer: true, min: 0 },
	AnnualRevenue: { type: 'number' },
	HasOptedOutOfEmail: { type: 'boolean' },
	DoNotCall: { type: 'boolean' },
};

const CONTACT_RULES: Record<string, FieldRule> = {
	FirstName: LEAD_RULES.FirstName,
	LastName: LEAD_RULES.LastName,
	Email: LEAD_RULES.Email,
	Phone: LEAD_RULES.Phone,
	MobilePhone: LEAD_RULES.MobilePhone,
	Title: LEAD_RULES.Title,
	Department: { type: 'text', maxLength: 80 },
	LeadSource: LEAD_RULES.LeadSource,
	MailingCountry: LEAD_RULES.Country,
	MailingCountryCode: LEAD_RULES.CountryCode,
	MailingState: LEAD_RULES.State,
	MailingStateCode: LEAD_RULES.StateCode,
	MailingCity: LEAD_RULES.City,
	MailingPostalCode: LEAD_RULES.PostalCode,
	MailingStreet: LEAD_RULES.Street,
	Description: LEAD_RULES.Description,
	Birthdate: { type: 'date' },
	HasOptedOutOfEmail: LEAD_RULES.HasOptedOutOfEmail,
	DoNotCall: LEAD_RULES.DoNotCall,
};

/** Salesforce's default NPS custom fields: Number(2,0), Picklist, Multi-Select Picklist, Date, Long Text Area(32768). */
export const SALESFORCE_NPS_FIELDS = {
	score: 'NPS_Score__c',
	segment: 'NPS_Segment__c',
	themes: 'NPS_Themes__c',
	surveyDate: 'NPS_Survey_Date__c',
	comment: 'NPS_Comment__c',
};

function leadTable(object: SalesforceObject, countryField: 'CountryCode' | 'Country'): Array<[string, LeadValue]> {
	const address = object === 'Lead' ? '' : 'Mailing';
	const table: Array<[string, LeadValue]> = [
		['FirstName', 'firstName'],
		['LastName', 'lastName'],
		['Email', 'email'],
		['Phone', 'phone'],
		['MobilePhone', 'mobilePhone'],
		['Title', 'jobTitle'],
		['LeadSource', 'leadSource'],
		[`${address}${countryField}`, 'country'],
		[`${address}State`, 'state'],
		[`${address}City`, 'city'],
		[`${address}PostalCode`, 'postalCode'],
		['HasOptedOutOfEmail', 'emailOptOut'],
	];
	// Contacts hang off an Account: company, website and industry live there, not on the Contact.
	if (object === 'Lead') table.push(['Company', 'company'], ['Website', 'website'], ['Industry', 'industry']);
	return table;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function salesforceProfile(object: SalesforceObject, options: ProfileOptions): CrmProfile {
	const rules: Record<string, FieldRule> = {
		...(object === 'Lead' ? LEAD_RULES : CONTACT_RULES),
		...npsRules(options, 32768),
	};
	const leadMappings = leadPresets(leadTable(object, options.salesforceCountryField));
	const npsMappings = [...leadPresets([['Email', 'email']]), ...npsPresets(options)];
	return {
		crm: 'salesforce',
		object,
		label: `Salesforce ${object}`,
		presets: (kind) => (kind === 'lead' ? leadMappings : npsMappings),
		// An NPS response updates a record that already exists, so only leads must carry the create-time fields.
		required: (kind) => (kind === 'nps' ? [] : object === 'Lead' ? ['LastName', 'Company'] : ['LastName']),
		ruleFor: (target) => rules[target] ?? { type: 'text' },
		targetProblem: (target) =>
			API_NAME.test(target) ? null : `'${target}' is not a Salesforce field API name (letters, digits and _; custom fields end in __c)`,
		encode(_target, value, rule) {
			if (value instanceof Date) return rule.type === 'date' ? isoDate(value) : value.toISOString();
			if (Array.isArray(value)) return value.join(';');
			return value;
		},
		shape: (fields) => fields,
	};
}
