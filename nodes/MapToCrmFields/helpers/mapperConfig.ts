import type { FieldRule, FieldType } from '../../../lib/crm/fieldRules';
import type { CrmMapperConfig, CustomMapping } from '../../../lib/crm/mapper';
import type { ConsentFieldNames, CrmId, NpsFieldNames, RecordKind } from '../../../lib/crm/profile';
import type { SalesforceObject } from '../../../lib/crm/salesforce';
import type { NpsSegment } from '../../../lib/schema/nps';
import { commaList } from '../../shared/commaList';

export interface MappingParameter {
	target: string;
	from: 'field' | 'value';
	appliesTo?: 'all' | RecordKind;
	source?: string;
	value?: unknown;
	type?: 'crm' | FieldType;
	/** Empty (the parameter's default) or 0: the CRM's own limit. */
	maxLength?: number | '';
	allowedValues?: string;
}

export interface MapOptions {
	themeValues?: string;
	consentFields?: Partial<ConsentFieldNames>;
	salesforceCountryField?: 'CountryCode' | 'Country';
	segmentLabels?: Partial<Record<NpsSegment, string>>;
	truncate?: boolean;
	usePresets?: boolean;
}

/** The node's parameters, read once per execution. */
export interface MapToCrmFieldsParameters {
	crm: CrmId;
	output: 'records' | 'bulk';
	salesforceObject: SalesforceObject;
	recordType: CrmMapperConfig['recordType'];
	externalIdField: string;
	idProperty: string;
	mappings: MappingParameter[];
	/** Positions in `mappings` whose value is an expression, resolved per item by the node. */
	perItemMappings: Set<number>;
	defaults: Array<{ target: string; value: string }>;
	npsFields: Partial<NpsFieldNames>;
	segmentOptionIds: Partial<Record<NpsSegment, number>>;
	themeOptionIds: string;
	options: MapOptions;
}

function ruleOverride({ type, maxLength, allowedValues }: MappingParameter): Partial<FieldRule> | undefined {
	const rule: Partial<FieldRule> = {};
	if (type && type !== 'crm') rule.type = type;
	if (maxLength) rule.maxLength = maxLength;
	const values = commaList(allowedValues);
	if (values.length > 0) rule.values = values;
	return Object.keys(rule).length > 0 ? rule : undefined;
}

/** "Ease of use=21, Customer support=22" -> { 'Ease of use': 21, 'Customer support': 22 } */
function parseOptionIds(text: string): Record<string, number> {
	const ids: Record<string, number> = {};
	for (const pair of commaList(text)) {
		const separator = pair.lastIndexOf('=');
		const id = Number(pair.slice(separator + 1));
		if (separator <= 0 || !Number.isInteger(id) || id <= 0) {
			throw new Error(`Theme Option IDs: '${pair}' is not theme=option ID`);
		}
		ids[pair.slice(0, separator).trim()] = id;
	}
	return ids;
}

/** Salesforce and HubSpot: '' keeps the built-in field name, '-' leaves the value out. Pipedrive: '' leaves it out. */
function npsFieldNames(crm: CrmId, names: Partial<NpsFieldNames>): Partial<NpsFieldNames> {
	const chosen: Partial<NpsFieldNames> = {};
	for (const [key, name] of Object.entries(names) as Array<[keyof NpsFieldNames, string]>) {
		const trimmed = name.trim();
		if (crm === 'pipedrive') chosen[key] = trimmed;
		else if (trimmed === '-') chosen[key] = '';
		else if (trimmed !== '') chosen[key] = trimmed;
	}
	return chosen;
}

/** The field records are upserted by: HubSpot's idProperty, or Salesforce's External ID field for bulk bodies. */
export function identityFieldOf(parameters: MapToCrmFieldsParameters): string | undefined {
	if (parameters.crm === 'hubspot') return parameters.idProperty.trim() || 'email';
	if (parameters.crm === 'salesforce' && parameters.output === 'bulk') return parameters.externalIdField.trim();
	return undefined;
}

/**
 * Turns the node's parameters into the mapper's configuration.
 *
 * @throws Error when a parameter cannot work (empty External ID Field for bulk, bad option ids).
 */
export function toMapperConfig(parameters: MapToCrmFieldsParameters): CrmMapperConfig {
	const { crm, options } = parameters;
	const identityField = identityFieldOf(parameters);
	if (identityField === '') {
		throw new Error('External ID Field is empty: Salesforce upserts collections by an External ID field');
	}
	if (crm === 'salesforce' && parameters.output === 'bulk' && parameters.mappings.some((mapping) => mapping.target.trim() === 'Id')) {
		throw new Error('Salesforce sObject Collections upserts match records by the External ID Field: remove the Id mapping');
	}
	const config: CrmMapperConfig = {
		crm,
		salesforceObject: parameters.salesforceObject,
		recordType: parameters.recordType,
		usePresets: options.usePresets ?? true,
		mappings: parameters.mappings
			.map(
				(mapping, index): CustomMapping => ({
					target: mapping.target.trim(),
					...(mapping.from === 'field' ? { source: (mapping.source ?? '').trim() } : { value: mapping.value }),
					perRecord: parameters.perItemMappings.has(index),
					recordKind: mapping.appliesTo === 'lead' || mapping.appliesTo === 'nps' ? mapping.appliesTo : undefined,
					rule: ruleOverride(mapping),
				}),
			)
			.filter((mapping) => mapping.target !== ''),
		defaults: Object.fromEntries(
			parameters.defaults.filter((entry) => entry.target.trim() !== '').map((entry) => [entry.target.trim(), entry.value]),
		),
		truncate: options.truncate ?? false,
		identityField,
		segmentLabels: options.segmentLabels,
		npsFields: npsFieldNames(crm, parameters.npsFields),
		consentFields: Object.fromEntries(Object.entries(options.consentFields ?? {}).map(([key, name]) => [key, (name ?? '').trim()])),
		themeValues: commaList(options.themeValues),
		salesforceCountryField: options.salesforceCountryField,
	};
	if (crm === 'pipedrive') {
		config.segmentOptionIds = Object.fromEntries(
			Object.entries(parameters.segmentOptionIds).filter(([, id]) => typeof id === 'number' && id > 0),
		);
		config.themeOptionIds = parseOptionIds(parameters.themeOptionIds);
	}
	return config;
}
