import { pathReader } from '../itemData';
import type { FieldIssue } from '../schema/issue';
import { issue } from '../schema/issue';
import type { NpsSegment } from '../schema/nps';
import { checkField, type CheckContext, type FieldRule } from './fieldRules';
import { HUBSPOT_NPS_FIELDS, hubspotProfile } from './hubspot';
import { pipedriveProfile } from './pipedrive';
import {
	type ConsentFieldNames,
	consentPresets,
	DEFAULT_SEGMENT_LABELS,
	type CanonicalRecord,
	type CrmId,
	type CrmProfile,
	isReturningLead,
	type NpsFieldNames,
	type ProfileOptions,
	type RecordKind,
} from './profile';
import { SALESFORCE_NPS_FIELDS, salesforceProfile, type SalesforceObject } from './salesforce';

/**
 * One user mapping into a CRM field, on top of the presets: a source field of the record
 * (`source`, dots reach into objects), a constant (`value`), or a value the caller computes
 * per record (`perRecord`: an n8n expression, resolved by the node and handed to the mapper).
 */
export interface CustomMapping {
	target: string;
	source?: string;
	value?: unknown;
	perRecord?: boolean;
	/** Only for leads or only for NPS responses; both when absent. */
	recordKind?: RecordKind;
	/** Overrides the CRM's rule for this field (type, max length, allowed values). */
	rule?: Partial<FieldRule>;
}

export interface CrmMapperConfig {
	crm: CrmId;
	/** Salesforce only: Lead (default) or Contact. */
	salesforceObject?: SalesforceObject;
	/** Which canonical record the inputs are; `auto` tells an NPS response by its nps_score and response_id. */
	recordType?: 'auto' | RecordKind;
	/** Fill CRM fields from the canonical record by the built-in table (default true). */
	usePresets?: boolean;
	mappings?: CustomMapping[];
	/**
	 * Values used only when a lead leaves the field empty (e.g. Company: "[not provided]"). Not for NPS
	 * responses: they update records that exist, where a default would overwrite the real value.
	 */
	defaults?: Record<string, unknown>;
	/** Cut over-long text to the CRM's limit with a warning, instead of sending the record to Invalid. */
	truncate?: boolean;
	/** A field every record must carry because requests are addressed by it (upsert key). */
	identityField?: string;
	segmentLabels?: Partial<Record<NpsSegment, string>>;
	npsFields?: Partial<NpsFieldNames>;
	/** Custom fields for the consent's date, source and policy version (leads only); none by default. */
	consentFields?: Partial<ConsentFieldNames>;
	themeValues?: string[];
	segmentOptionIds?: Partial<Record<NpsSegment, number>>;
	themeOptionIds?: Record<string, number>;
	salesforceCountryField?: 'CountryCode' | 'Country';
}

export type CrmMapOutcome =
	| {
			valid: true;
			kind: RecordKind;
			/** The record as the CRM's API takes it. */
			record: Record<string, unknown>;
			/** Value of the identity field, for upsert bodies; null when none is configured. */
			identity: string | null;
			warnings: FieldIssue[];
	  }
	| { valid: false; kind: RecordKind; errors: FieldIssue[]; warnings: FieldIssue[] };

interface Step {
	target: string;
	rule: FieldRule;
	firstTouch?: boolean;
	read: (record: CanonicalRecord, perRecord: Record<string, unknown> | undefined) => unknown;
}

const NO_NPS_FIELDS: NpsFieldNames = { score: '', segment: '', themes: '', surveyDate: '', comment: '' };

function profileFor(config: CrmMapperConfig): CrmProfile {
	const defaultNames = config.crm === 'salesforce' ? SALESFORCE_NPS_FIELDS : config.crm === 'hubspot' ? HUBSPOT_NPS_FIELDS : NO_NPS_FIELDS;
	const options: ProfileOptions = {
		segmentLabels: { ...DEFAULT_SEGMENT_LABELS, ...config.segmentLabels },
		npsFields: { ...defaultNames, ...config.npsFields },
		themeValues: config.themeValues ?? [],
		segmentOptionIds: config.segmentOptionIds ?? {},
		themeOptionIds: config.themeOptionIds ?? {},
		salesforceCountryField: config.salesforceCountryField ?? 'CountryCode',
	};
	if (config.crm === 'salesforce') return salesforceProfile(config.salesforceObject ?? 'Lead', options);
	if (config.crm === 'hubspot') return hubspotProfile(options);
	return pipedriveProfile(options);
}

export function recordKind(record: CanonicalRecord): RecordKind {
	return typeof record.response_id === 'string' && record.nps_score !== undefined ? 'nps' : 'lead';
}

/**
 * Builds the per-record mapper once (profile, rules, mapping plan per record kind), so the work
 * per record is reading, checking and encoding its fields.
 *
 * @throws Error when the configuration itself is wrong (a target the CRM cannot have, a bad key).
 */
export function createCrmMapper(config: CrmMapperConfig) {
	const profile = profileFor(config);
	const mappings = config.mappings ?? [];
	const consent = consentPresets(config.consentFields ?? {});
	const problems = [...mappings, ...consent].map((mapping) => profile.targetProblem(mapping.target)).filter(Boolean);
	for (const target of Object.keys(config.defaults ?? {})) {
		const problem = profile.targetProblem(target);
		if (problem) problems.push(problem);
	}
	if (problems.length > 0) throw new Error(problems.join('; '));

	const ruleFor = (target: string): FieldRule => {
		const base = consent.find((preset) => preset.target === target)?.rule ?? profile.ruleFor(target);
		const override = mappings.find((mapping) => mapping.target === target && mapping.rule)?.rule;
		return override ? { ...base, ...override } : base;
	};

	function plan(kind: RecordKind): { steps: Step[]; defaults: Step[]; required: string[] } {
		const ownMappings = mappings.filter((mapping) => mapping.recordKind === undefined || mapping.recordKind === kind);
		const custom = new Set(ownMappings.map((mapping) => mapping.target));
		// the consent fields are named by the user, so they apply with the built-in table off too
		const presets = [...(config.usePresets === false ? [] : profile.presets(kind)), ...(kind === 'lead' ? consent : [])].filter(
			(preset) => !custom.has(preset.target),
		);
		const steps: Step[] = presets.map((preset) => ({
			target: preset.target,
			rule: ruleFor(preset.target),
			read: preset.read,
			firstTouch: preset.firstTouch,
		}));
		for (const mapping of ownMappings) {
			const { target, source, value } = mapping;
			const read: Step['read'] = mapping.perRecord
				? (_record, perRecord) => perRecord?.[target]
				: source !== undefined && source !== ''
					? pathReader(source)
					: () => value;
			steps.push({ target, rule: ruleFor(target), read });
		}
		const defaults = Object.entries(kind === 'lead' ? (config.defaults ?? {}) : {}).map(([target, value]) => ({
			target,
			rule: ruleFor(target),
			read: () => value,
		}));
		const required = [...profile.required(kind)];
		if (config.identityField && !required.includes(config.identityField)) required.push(config.identityField);
		return { steps, defaults, required };
	}
	const plans = { lead: plan('lead'), nps: plan('nps') };
	const truncate = config.truncate ?? false;
	const identityField = config.identityField;

	return function mapRecord(record: CanonicalRecord, perRecord?: Record<string, unknown>): CrmMapOutcome {
		const kind = config.recordType && config.recordType !== 'auto' ? config.recordType : recordKind(record);
		const { steps, defaults, required } = plans[kind];
		const ctx: CheckContext = { errors: [], warnings: [], truncate, crmLabel: profile.label };
		const fields: Record<string, unknown> = {};
		const failed = new Set<string>();
		const returning = kind === 'lead' && isReturningLead(record);

		const apply = (step: Step, raw: unknown) => {
			const errorsBefore = ctx.errors.length;
			const checked = checkField(step.target, raw, step.rule, ctx);
			if (ctx.errors.length > errorsBefore) failed.add(step.target);
			else if (checked !== undefined) fields[step.target] = profile.encode(step.target, checked, step.rule);
			// A later mapping that yields nothing does not erase an earlier value (e.g. a preset).
		};
		for (const step of steps) {
			if (returning && step.firstTouch) continue;
			let raw: unknown;
			try {
				raw = step.read(record, perRecord);
			} catch (error) {
				ctx.errors.push(issue(step.target, 'unreadable', `${step.target} could not be read: ${(error as Error).message}`));
				failed.add(step.target);
				continue;
			}
			apply(step, raw);
		}
		for (const step of defaults) {
			if (fields[step.target] === undefined && !failed.has(step.target)) apply(step, step.read(record, perRecord));
		}
		for (const field of required) {
			if (fields[field] === undefined && !failed.has(field)) {
				ctx.errors.push(
					issue(field, 'required', `${field} is required by ${profile.label}: map a value to it or give it a default`),
				);
			}
		}
		if (ctx.errors.length > 0) return { valid: false, kind, errors: ctx.errors, warnings: ctx.warnings };
		return {
			valid: true,
			kind,
			record: profile.shape(fields),
			identity: identityField ? String(fields[identityField]) : null,
			warnings: ctx.warnings,
		};
	};
}

export type CrmMapper = ReturnType<typeof createCrmMapper>;
