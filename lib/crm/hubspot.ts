import { utcMidnightMs, type FieldRule } from './fieldRules';
import { leadPresets, npsPresets, npsRules, type CrmProfile, type ProfileOptions } from './profile';

/** HubSpot stores at most 65,536 characters in a text property. */
const TEXT: FieldRule = { type: 'text', maxLength: 65536 };

/** Internal values of HubSpot's default contact lifecycle stages and lead statuses. */
export const HUBSPOT_LIFECYCLE_STAGES = [
	'subscriber',
	'lead',
	'marketingqualifiedlead',
	'salesqualifiedlead',
	'opportunity',
	'customer',
	'evangelist',
	'other',
] as const;
export const HUBSPOT_LEAD_STATUSES = [
	'NEW',
	'OPEN',
	'IN_PROGRESS',
	'OPEN_DEAL',
	'UNQUALIFIED',
	'ATTEMPTED_TO_CONTACT',
	'CONNECTED',
	'BAD_TIMING',
] as const;

const CONTACT_RULES: Record<string, FieldRule> = {
	email: { type: 'email', maxLength: 254 },
	firstname: TEXT,
	lastname: TEXT,
	company: TEXT,
	phone: { type: 'phone' },
	mobilephone: { type: 'phone' },
	jobtitle: TEXT,
	industry: TEXT,
	website: { type: 'url', maxLength: 65536 },
	country: TEXT,
	state: TEXT,
	city: TEXT,
	zip: TEXT,
	address: TEXT,
	lifecyclestage: { type: 'picklist', values: HUBSPOT_LIFECYCLE_STAGES },
	hs_lead_status: { type: 'picklist', values: HUBSPOT_LEAD_STATUSES },
};

export const HUBSPOT_NPS_FIELDS = {
	score: 'nps_score',
	segment: 'nps_segment',
	themes: 'nps_themes',
	surveyDate: 'nps_survey_date',
	comment: 'nps_comment',
};

const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;

export function hubspotProfile(options: ProfileOptions): CrmProfile {
	const rules: Record<string, FieldRule> = { ...CONTACT_RULES, ...npsRules(options, 65536) };
	const leadMappings = leadPresets([
		['email', 'email'],
		['firstname', 'firstName'],
		['lastname', 'lastName'],
		['company', 'company'],
		['phone', 'phone'],
		['mobilephone', 'mobilePhone'],
		['jobtitle', 'jobTitle'],
		['industry', 'industry'],
		['website', 'website'],
		['country', 'country'],
		['state', 'state'],
		['city', 'city'],
		['zip', 'postalCode'],
	]);
	const npsMappings = [...leadPresets([['email', 'email']]), ...npsPresets(options)];
	return {
		crm: 'hubspot',
		object: 'contacts',
		label: 'HubSpot contact',
		presets: (kind) => (kind === 'lead' ? leadMappings : npsMappings),
		// Contacts are upserted by email (idProperty), so every record needs one.
		required: () => ['email'],
		ruleFor: (target) => rules[target] ?? TEXT,
		targetProblem: (target) =>
			PROPERTY_NAME.test(target) ? null : `'${target}' is not a HubSpot property internal name (lower case, digits and _)`,
		// HubSpot takes every property value as a string; dates as UTC midnight in milliseconds.
		encode(_target, value, rule) {
			if (value instanceof Date) return String(rule.type === 'date' ? utcMidnightMs(value) : value.getTime());
			if (Array.isArray(value)) return value.join(';');
			return String(value);
		},
		shape: (fields) => fields,
	};
}
