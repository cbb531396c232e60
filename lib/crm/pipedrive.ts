import type { NpsSegment } from '../schema/nps';
import { isoDate, type FieldRule } from './fieldRules';
import { leadPresets, npsPresets, npsRules, type CrmProfile, type ProfileOptions } from './profile';

/** Custom fields are addressed by a 40-character hash key, different in every Pipedrive company. */
export const PIPEDRIVE_FIELD_KEY = /^[0-9a-f]{40}$/;

/** Fields of the v2 person body (POST /api/v2/persons), plus the person id an update is addressed to. */
const PERSON_RULES: Record<string, FieldRule> = {
	name: { type: 'text', maxLength: 255 },
	emails: { type: 'emailList' },
	phones: { type: 'phoneList' },
	org_id: { type: 'id' },
	owner_id: { type: 'id' },
	person_id: { type: 'id' },
	visible_to: { type: 'number', integer: true, min: 1 },
	marketing_status: { type: 'picklist', values: ['no_consent', 'unsubscribed', 'subscribed', 'archived'] },
};

/** A custom field the user did not describe: Pipedrive's "Text (up to 255 characters)" type. */
const CUSTOM_TEXT: FieldRule = { type: 'text', maxLength: 255 };

export function pipedriveProfile(options: ProfileOptions): CrmProfile {
	const { npsFields } = options;
	for (const [value, key] of Object.entries(npsFields)) {
		if (key && !PIPEDRIVE_FIELD_KEY.test(key)) {
			throw new Error(`Pipedrive field key for NPS ${value} '${key}' is not a 40-character custom field key`);
		}
	}
	const optionIdOfSegmentLabel = new Map<string, number>();
	if (npsFields.segment) {
		for (const segment of Object.keys(options.segmentLabels) as NpsSegment[]) {
			const id = options.segmentOptionIds[segment];
			if (id === undefined) {
				throw new Error(`Pipedrive needs the option id of '${options.segmentLabels[segment]}' in the NPS segment field`);
			}
			optionIdOfSegmentLabel.set(options.segmentLabels[segment], id);
		}
	}
	const themeIds = options.themeOptionIds;
	const themesAreOptions = Object.keys(themeIds).length > 0;
	const themeOptions = { ...options, themeValues: themesAreOptions ? Object.keys(themeIds) : options.themeValues };
	// Pipedrive's long text type holds 65,535 characters.
	const rules: Record<string, FieldRule> = { ...PERSON_RULES, ...npsRules(themeOptions, 65535) };

	const leadMappings = [
		...leadPresets([
			['name', 'fullName'],
			['marketing_status', 'marketingStatus'],
		]),
		{ target: 'emails', read: (lead: Record<string, unknown>) => lead.email },
		{
			target: 'phones',
			read: (lead: Record<string, unknown>) =>
				lead.phone ? [{ value: lead.phone, primary: true, label: lead.phone_type === 'mobile' ? 'mobile' : 'work' }] : undefined,
		},
	];
	// An NPS response updates the person it came from: PATCH /api/v2/persons/{person_id}.
	const npsMappings = [{ target: 'person_id', read: (nps: Record<string, unknown>) => nps.customer_id }, ...npsPresets(options)];
	return {
		crm: 'pipedrive',
		object: 'persons',
		label: 'Pipedrive person',
		presets: (kind) => (kind === 'lead' ? leadMappings : npsMappings),
		required: (kind) => (kind === 'lead' ? ['name'] : ['person_id']),
		ruleFor: (target) => rules[target] ?? CUSTOM_TEXT,
		targetProblem: (target) =>
			target in PERSON_RULES || PIPEDRIVE_FIELD_KEY.test(target)
				? null
				: `'${target}' is neither a Pipedrive person field (${Object.keys(PERSON_RULES).join(', ')}) nor a 40-character custom field key`,
		encode(target, value, rule) {
			if (value instanceof Date) return rule.type === 'date' ? isoDate(value) : value.toISOString();
			// Enum and set custom fields take option ids, not labels.
			if (target === npsFields.segment && typeof value === 'string') return optionIdOfSegmentLabel.get(value) ?? value;
			if (target === npsFields.themes && Array.isArray(value)) {
				return themesAreOptions ? (value as string[]).map((theme) => themeIds[theme]) : value.join('; ');
			}
			return value;
		},
		shape(fields) {
			let custom: Record<string, unknown> | undefined;
			const body: Record<string, unknown> = {};
			for (const key in fields) {
				if (PIPEDRIVE_FIELD_KEY.test(key)) (custom ??= {})[key] = fields[key];
				else body[key] = fields[key];
			}
			if (custom) body.custom_fields = custom;
			return body;
		},
	};
}
