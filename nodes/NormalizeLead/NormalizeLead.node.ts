import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { recordAt, type RecordLocation } from '../../lib/itemData';
import { createLeadNormalizer, type LeadNormalizerConfig, type LeadOutcome } from '../../lib/lead/normalizeLead';
import { recordLocationOf } from '../shared/recordLocation';
import { normalizeLeadProperties } from './description';
import { commaList } from '../shared/commaList';

interface NormalizeLeadOptions {
	fieldAliases?: { alias?: Array<{ alias: string; field: string }> };
	industryPicklist?: { industry?: Array<{ value: string; synonyms: string }> };
	keepUnknownFields?: boolean;
	requireEmailOrPhone?: boolean;
}

function toNormalizerConfig(defaultCountry: string, options: NormalizeLeadOptions): LeadNormalizerConfig {
	const industries = options.industryPicklist?.industry;
	return {
		defaultCountry,
		fieldAliases: options.fieldAliases?.alias?.filter((entry) => entry.alias.trim() !== ''),
		industryPicklist: industries?.length
			? industries.map(({ value, synonyms }) => ({
					value,
					synonyms: commaList(synonyms),
				}))
			: undefined,
		keepUnknownFields: options.keepUnknownFields,
		requireEmailOrPhone: options.requireEmailOrPhone,
	};
}

/** Version 1 named the record's place Lead Data (leadSource) and Field (leadField); 1.1 has every node's Record. */
function recordLocationV1(context: IExecuteFunctions): RecordLocation {
	const from = context.getNodeParameter('leadSource', 0, 'auto') as RecordLocation['from'];
	if (from !== 'field') return { from };
	return { from, field: context.getNodeParameter('leadField', 0, '') as string };
}

export class NormalizeLead implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Normalize Lead',
		name: 'normalizeLead',
		icon: { light: 'file:normalizeLead.svg', dark: 'file:normalizeLead.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: 'Clean and standardize leads',
		description:
			'Cleans leads from forms, ads, events and CSVs: field names, emails, E.164 phones, countries, names, companies, industries, UTM attribution and consent',
		defaults: { name: 'Normalize Lead' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Valid', 'Invalid'],
		properties: normalizeLeadProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const defaultCountry = this.getNodeParameter('defaultCountry', 0, '') as string;
		const location = this.getNode().typeVersion >= 1.1 ? recordLocationOf(this) : recordLocationV1(this);
		const options = this.getNodeParameter('options', 0, {}) as NormalizeLeadOptions;

		let normalizeLead: ReturnType<typeof createLeadNormalizer>;
		try {
			normalizeLead = createLeadNormalizer(toNormalizerConfig(defaultCountry, options));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, {
				description: 'Check the Default Country and Field Aliases settings',
			});
		}

		const valid: INodeExecutionData[] = [];
		const invalid: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const found = recordAt(items[itemIndex].json, location);
			const input = 'record' in found ? found.record : items[itemIndex].json;
			let outcome: LeadOutcome;
			try {
				outcome =
					'problem' in found
						? { valid: false, errors: [{ ...found.problem, code: 'missing_lead_data' }], warnings: [] }
						: normalizeLead(found.record);
			} catch (error) {
				// A parser bug must not cost the lead: it goes to Invalid with the reason.
				outcome = {
					valid: false,
					errors: [{ field: '*', code: 'unexpected_error', message: `the lead could not be read: ${(error as Error).message}` }],
					warnings: [],
				};
			}
			if (outcome.valid) {
				valid.push({ json: outcome.lead as unknown as IDataObject, pairedItem: { item: itemIndex } });
			} else {
				// The untouched input travels with its problems, so the user can fix and replay it.
				invalid.push({
					json: { ...input, errors: outcome.errors, warnings: outcome.warnings } as unknown as IDataObject,
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [valid, invalid];
	}
}
