import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { buildBulkRequests, type MappedRecord } from '../../lib/crm/bulk';
import type { FieldRule, FieldType } from '../../lib/crm/fieldRules';
import { createCrmMapper, type CrmMapOutcome, type CrmMapperConfig, type CustomMapping } from '../../lib/crm/mapper';
import { readPath, type CrmId, type NpsFieldNames } from '../../lib/crm/profile';
import type { SalesforceObject } from '../../lib/crm/salesforce';
import type { FieldIssue } from '../../lib/schema/issue';
import type { NpsSegment } from '../../lib/schema/nps';
import { mapToCrmFieldsProperties } from './description';

interface MappingParameter {
	target: string;
	from: 'field' | 'value';
	source?: string;
	value?: unknown;
	type?: 'crm' | FieldType;
	maxLength?: number;
	allowedValues?: string;
}

interface MapOptions {
	themeValues?: string;
	salesforceCountryField?: 'CountryCode' | 'Country';
	segmentLabels?: Partial<Record<NpsSegment, string>>;
	truncate?: boolean;
	usePresets?: boolean;
}

function commaList(text: string | undefined): string[] {
	return (text ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
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
			throw new Error(`Theme Option IDs: '${pair}' is not theme=option id`);
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

export class MapToCrmFields implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Map to CRM Fields',
		name: 'mapToCrmFields',
		icon: { light: 'file:mapToCrmFields.svg', dark: 'file:mapToCrmFields.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["crm"] + ": " + ($parameter["output"] === "bulk" ? "bulk bodies" : "records") }}',
		description:
			"Maps canonical leads and NPS responses to Salesforce, HubSpot or Pipedrive fields, checks them against the CRM's rules, and builds bulk request bodies",
		defaults: { name: 'Map to CRM Fields' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Mapped', 'Invalid'],
		properties: mapToCrmFieldsProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const crm = this.getNodeParameter('crm', 0) as CrmId;
		const output = this.getNodeParameter('output', 0, 'records') as 'records' | 'bulk';
		const recordField = (this.getNodeParameter('recordField', 0, '') as string).trim();
		const salesforceObject = this.getNodeParameter('salesforceObject', 0, 'Lead') as SalesforceObject;
		const options = this.getNodeParameter('options', 0, {}) as MapOptions;
		const mappingParameters =
			(this.getNodeParameter('fieldMappings.mapping', 0, []) as MappingParameter[]).filter((m) => m.target.trim() !== '');
		const defaultParameters = this.getNodeParameter('fieldDefaults.default', 0, []) as Array<{ target: string; value: string }>;

		// Values written as expressions can differ per item; everything else is read once.
		const rawMappings = ((this.getNode().parameters.fieldMappings as IDataObject | undefined)?.mapping ?? []) as IDataObject[];
		const perItemMappings = new Set(
			rawMappings
				.map((raw, index) => (typeof raw.value === 'string' && raw.value.startsWith('=') && raw.from !== 'field' ? index : -1))
				.filter((index) => index >= 0),
		);

		const identityField =
			output === 'bulk' && crm === 'salesforce'
				? (this.getNodeParameter('externalIdField', 0, '') as string).trim()
				: crm === 'hubspot'
					? (this.getNodeParameter('idProperty', 0, 'email') as string).trim() || 'email'
					: undefined;
		const mappings: CustomMapping[] = mappingParameters.map((mapping, index) => ({
			target: mapping.target.trim(),
			...(mapping.from === 'field' ? { source: (mapping.source ?? '').trim() } : { value: mapping.value }),
			perRecord: perItemMappings.has(index),
			rule: ruleOverride(mapping),
		}));

		let mapRecord: ReturnType<typeof createCrmMapper>;
		let config: CrmMapperConfig;
		try {
			if (output === 'bulk' && crm === 'salesforce' && !identityField) {
				throw new Error('External ID Field is empty: Salesforce upserts collections by an External ID field');
			}
			config = {
				crm,
				salesforceObject,
				recordType: this.getNodeParameter('recordType', 0, 'auto') as CrmMapperConfig['recordType'],
				usePresets: options.usePresets ?? true,
				mappings,
				defaults: Object.fromEntries(
					defaultParameters.filter((entry) => entry.target.trim() !== '').map((entry) => [entry.target.trim(), entry.value]),
				),
				truncate: options.truncate ?? false,
				identityField,
				segmentLabels: options.segmentLabels,
				npsFields: npsFieldNames(crm, this.getNodeParameter(`${crm}NpsFields`, 0, {}) as Partial<NpsFieldNames>),
				themeValues: commaList(options.themeValues),
				salesforceCountryField: options.salesforceCountryField,
			};
			if (crm === 'pipedrive') {
				const segmentIds = this.getNodeParameter('segmentOptionIds', 0, {}) as Partial<Record<NpsSegment, number>>;
				config.segmentOptionIds = Object.fromEntries(Object.entries(segmentIds).filter(([, id]) => id && id > 0));
				config.themeOptionIds = parseOptionIds(this.getNodeParameter('themeOptionIds', 0, '') as string);
			}
			mapRecord = createCrmMapper(config);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, {
				description: 'Check the CRM fields named under Field Mappings, Field Defaults and NPS Fields',
			});
		}

		const mapped: INodeExecutionData[] = [];
		const invalid: INodeExecutionData[] = [];
		const forBulk: MappedRecord[] = [];
		const bulkWarnings: Array<FieldIssue & { item: number }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const json = items[itemIndex].json;
			const record = recordField === '' ? json : readPath(json, recordField);
			let outcome: CrmMapOutcome;
			if (record === null || typeof record !== 'object' || Array.isArray(record)) {
				outcome = {
					valid: false,
					kind: 'lead',
					errors: [{ field: recordField, code: 'missing_record', message: `field '${recordField}' does not hold a record object` }],
					warnings: [],
				};
			} else {
				let perRecord: Record<string, unknown> | undefined;
				if (perItemMappings.size > 0) {
					perRecord = {};
					for (const index of perItemMappings) {
						perRecord[mappings[index].target] = this.getNodeParameter(`fieldMappings.mapping[${index}].value`, itemIndex);
					}
				}
				outcome = mapRecord(record as Record<string, unknown>, perRecord);
			}
			if (!outcome.valid) {
				// The untouched input travels with every problem, so the user can fix and replay it.
				invalid.push({
					json: { ...json, errors: outcome.errors, warnings: outcome.warnings } as unknown as IDataObject,
					pairedItem: { item: itemIndex },
				});
			} else if (output === 'bulk') {
				forBulk.push({ index: itemIndex, record: outcome.record, identity: outcome.identity });
				for (const warning of outcome.warnings) bulkWarnings.push({ ...warning, item: itemIndex });
			} else {
				const recordJson = outcome.warnings.length > 0 ? { ...outcome.record, warnings: outcome.warnings } : outcome.record;
				mapped.push({ json: recordJson as IDataObject, pairedItem: { item: itemIndex } });
			}
		}

		if (output === 'bulk') {
			const requests = buildBulkRequests(forBulk, {
				crm,
				salesforceObject,
				salesforceApiVersion: this.getNodeParameter('salesforceApiVersion', 0, 'v62.0') as string,
				externalIdField: identityField,
				allOrNone: this.getNodeParameter('allOrNone', 0, false) as boolean,
				idProperty: identityField,
			});
			for (const request of requests) {
				const inRequest = new Set(request.indices);
				mapped.push({
					json: {
						crm,
						method: request.method,
						path: request.path,
						body: request.body,
						records: request.indices.length,
						warnings: bulkWarnings.filter((warning) => inRequest.has(warning.item)),
					} as unknown as IDataObject,
					pairedItem: request.indices.map((item) => ({ item })),
				});
			}
		}
		return [mapped, invalid];
	}
}
