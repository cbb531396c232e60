import { readPath } from '../itemData';
import type { NpsSegment } from '../schema/nps';
import type { CheckedValue, FieldRule } from './fieldRules';

export type CrmId = 'salesforce' | 'hubspot' | 'pipedrive';

/** Which canonical record an input is: a lead (lib/schema/lead.ts) or an NPS response (lib/schema/nps.ts). */
export type RecordKind = 'lead' | 'nps';

export type CanonicalRecord = Record<string, unknown>;

/** A preset: one CRM field filled from the canonical record. */
export interface PresetMapping {
	target: string;
	read: (record: CanonicalRecord) => unknown;
	/** A first-touch field (where the lead first came from): written for new leads, never for returning ones. */
	firstTouch?: boolean;
}

/** CRM field names (or Pipedrive keys) the NPS values go to; '' leaves that value out. */
export interface NpsFieldNames {
	score: string;
	segment: string;
	themes: string;
	surveyDate: string;
	comment: string;
}

export interface ProfileOptions {
	/** Picklist value per segment, exactly as the CRM's picklist spells it. */
	segmentLabels: Record<NpsSegment, string>;
	npsFields: NpsFieldNames;
	/** Allowed theme values of the themes multi-select; empty: any theme is accepted. */
	themeValues: string[];
	/** Pipedrive: option id of each segment label in the segment enum field. */
	segmentOptionIds: Partial<Record<NpsSegment, number>>;
	/** Pipedrive: option id of each theme in the themes set field; empty: themes are sent as text. */
	themeOptionIds: Record<string, number>;
	/** Salesforce: `CountryCode` when State and Country Picklists are on, else `Country`. */
	salesforceCountryField: 'CountryCode' | 'Country';
}

export interface CrmProfile {
	crm: CrmId;
	/** API name of the object: Lead, Contact, contacts, persons. */
	object: string;
	/** "Salesforce Lead", for messages. */
	label: string;
	presets(kind: RecordKind): PresetMapping[];
	/** Fields the CRM refuses a record without. */
	required(kind: RecordKind): string[];
	/** Rule of a known field, or the rule for an unknown (custom) field of this CRM. */
	ruleFor(target: string): FieldRule;
	/** Why `target` cannot be a field of this CRM, or null when it can. */
	targetProblem(target: string): string | null;
	/** The checked value as the CRM's API takes it. */
	encode(target: string, value: CheckedValue, rule: FieldRule): unknown;
	/** The record as one API body (Pipedrive nests custom fields under `custom_fields`). */
	shape(fields: Record<string, unknown>): Record<string, unknown>;
}

export const DEFAULT_SEGMENT_LABELS: Record<NpsSegment, string> = {
	promoter: 'Promoter',
	passive: 'Passive',
	detractor: 'Detractor',
};

/** The lead's marketing consent when it stated one (true or false), undefined when it said nothing. */
export function consentGiven(lead: CanonicalRecord): boolean | undefined {
	const given = readPath(lead, 'consent.given');
	return typeof given === 'boolean' ? given : undefined;
}

/**
 * The canonical lead values every CRM preset draws from, by meaning. Each CRM lists which of
 * its fields takes which of these.
 */
export const LEAD_VALUES = {
	firstName: (lead: CanonicalRecord) => lead.first_name,
	lastName: (lead: CanonicalRecord) => lead.last_name,
	fullName: (lead: CanonicalRecord) =>
		lead.full_name ?? ([lead.first_name, lead.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ') || null),
	company: (lead: CanonicalRecord) => lead.company,
	email: (lead: CanonicalRecord) => lead.email,
	phone: (lead: CanonicalRecord) => lead.phone,
	/** The phone again when Normalize Lead classified it as a mobile number. */
	mobilePhone: (lead: CanonicalRecord) => (lead.phone_type === 'mobile' ? lead.phone : undefined),
	jobTitle: (lead: CanonicalRecord) => lead.job_title,
	industry: (lead: CanonicalRecord) => lead.industry,
	website: (lead: CanonicalRecord) => lead.website,
	country: (lead: CanonicalRecord) => lead.country,
	state: (lead: CanonicalRecord) => lead.state,
	city: (lead: CanonicalRecord) => lead.city,
	postalCode: (lead: CanonicalRecord) => lead.postal_code,
	/** utm_source of the first touch: where the lead came from. */
	leadSource: (lead: CanonicalRecord) => readPath(lead, 'attribution.original.source'),
	/**
	 * Salesforce's "Email Opt Out": true when the lead refused or withdrew marketing consent, false when
	 * it gave it; left out when the payload says nothing, so the CRM keeps what it knew.
	 */
	emailOptOut: (lead: CanonicalRecord) => {
		const given = consentGiven(lead);
		return given === undefined ? undefined : !given;
	},
	/** Pipedrive's marketing status: `subscribed` on consent, `unsubscribed` on refusal or withdrawal. */
	marketingStatus: (lead: CanonicalRecord) => {
		const given = consentGiven(lead);
		return given === undefined ? undefined : given ? 'subscribed' : 'unsubscribed';
	},
} satisfies Record<string, PresetMapping['read']>;

export type LeadValue = keyof typeof LEAD_VALUES;

/** Turns a CRM's `field <- lead value` table into preset mappings. */
export function leadPresets(table: Array<[target: string, value: LeadValue]>): PresetMapping[] {
	return table.map(([target, value]) => ({ target, read: LEAD_VALUES[value], ...(FIRST_TOUCH_VALUES.has(value) && { firstTouch: true }) }));
}

/** Lead values that describe the first touch: a returning lead must not overwrite them in the CRM. */
const FIRST_TOUCH_VALUES = new Set<LeadValue>(['leadSource']);

/**
 * A lead Dedupe found among the leads sent before (`_dedupe.matched_in` is `existing`): the CRM already
 * holds it, with its original source.
 */
export function isReturningLead(record: CanonicalRecord): boolean {
	return readPath(record, '_dedupe.matched_in') === 'existing';
}

/** The NPS presets: score, segment label, themes, survey date and comment into the configured fields. */
export function npsPresets(options: ProfileOptions): PresetMapping[] {
	const { npsFields, segmentLabels } = options;
	const presets: Array<PresetMapping | null> = [
		npsFields.score ? { target: npsFields.score, read: (nps) => nps.nps_score } : null,
		npsFields.segment
			? {
					target: npsFields.segment,
					read: (nps) => segmentLabels[nps.nps_segment as NpsSegment] ?? nps.nps_segment,
				}
			: null,
		npsFields.themes ? { target: npsFields.themes, read: (nps) => nps.themes } : null,
		npsFields.surveyDate ? { target: npsFields.surveyDate, read: (nps) => nps.survey_date } : null,
		npsFields.comment ? { target: npsFields.comment, read: (nps) => nps.comment } : null,
	];
	return presets.filter((preset): preset is PresetMapping => preset !== null);
}

/** CRM fields (custom, named by the user) that keep when, where and under which policy a lead consented; '' leaves it out. */
export interface ConsentFieldNames {
	date: string;
	source: string;
	policyVersion: string;
}

const CONSENT_VALUES: Array<[keyof ConsentFieldNames, string, FieldRule]> = [
	['date', 'consent.date', { type: 'datetime' }],
	['source', 'consent.source', { type: 'text', maxLength: 255 }],
	['policyVersion', 'consent.policy_version', { type: 'text', maxLength: 255 }],
];

/** The consent presets of a lead and their rules, for the fields the user named. */
export function consentPresets(names: Partial<ConsentFieldNames>): Array<PresetMapping & { rule: FieldRule }> {
	return CONSENT_VALUES.filter(([key]) => (names[key] ?? '') !== '').map(([key, path, rule]) => ({
		target: names[key] as string,
		read: (lead: CanonicalRecord) => readPath(lead, path),
		rule,
	}));
}

/** Rules of the NPS fields, wherever the user named them. */
export function npsRules(options: ProfileOptions, commentMaxLength: number): Record<string, FieldRule> {
	const { npsFields } = options;
	const rules: Record<string, FieldRule> = {};
	if (npsFields.score) rules[npsFields.score] = { type: 'number', integer: true, min: 0, max: 10 };
	if (npsFields.segment) rules[npsFields.segment] = { type: 'picklist', values: Object.values(options.segmentLabels), maxLength: 255 };
	if (npsFields.themes) {
		rules[npsFields.themes] = { type: 'multipicklist', values: options.themeValues.length > 0 ? options.themeValues : undefined };
	}
	if (npsFields.surveyDate) rules[npsFields.surveyDate] = { type: 'date' };
	if (npsFields.comment) rules[npsFields.comment] = { type: 'text', maxLength: commentMaxLength };
	return rules;
}
