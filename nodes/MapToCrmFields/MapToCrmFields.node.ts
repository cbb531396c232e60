import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { SALESFORCE_API_VERSION } from '../../lib/crm/apiVersions';
import { buildBulkRequests, type BulkRequest, type MappedRecord } from '../../lib/crm/bulk';
import { createCrmMapper, type CrmMapOutcome, type CrmMapper } from '../../lib/crm/mapper';
import type { CrmId } from '../../lib/crm/profile';
import { recordAt, type RecordLocation } from '../../lib/itemData';
import type { SalesforceObject } from '../../lib/crm/salesforce';
import type { FieldIssue } from '../../lib/schema/issue';
import { recordLocationOf } from '../shared/recordLocation';
import { mapToCrmFieldsProperties } from './description';
import { identityFieldOf, toMapperConfig, type MapToCrmFieldsParameters, type MappingParameter } from './helpers/mapperConfig';

/** Version 1 had one Record Field, empty for the whole item; 1.1 has every node's Record. */
function recordLocationV1(context: IExecuteFunctions): RecordLocation {
	const field = (context.getNodeParameter('recordField', 0, '') as string).trim();
	return field === '' ? { from: 'item' } : { from: 'field', field };
}

export class MapToCrmFields implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Map to CRM Fields',
		name: 'mapToCrmFields',
		icon: { light: 'file:mapToCrmFields.svg', dark: 'file:mapToCrmFields.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
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
		const rawMappings = ((this.getNode().parameters.fieldMappings as IDataObject | undefined)?.mapping ?? []) as IDataObject[];
		const parameters: MapToCrmFieldsParameters = {
			crm: this.getNodeParameter('crm', 0) as CrmId,
			output: this.getNodeParameter('output', 0, 'records') as 'records' | 'bulk',
			salesforceObject: this.getNodeParameter('salesforceObject', 0, 'Lead') as SalesforceObject,
			recordType: this.getNodeParameter('recordType', 0, 'auto') as MapToCrmFieldsParameters['recordType'],
			externalIdField: this.getNodeParameter('externalIdField', 0, '') as string,
			idProperty: this.getNodeParameter('idProperty', 0, 'email') as string,
			mappings: this.getNodeParameter('fieldMappings.mapping', 0, []) as MappingParameter[],
			// Values written as expressions can differ per item; everything else is read once.
			perItemMappings: new Set(
				rawMappings
					.map((raw, index) => (raw.from !== 'field' && typeof raw.value === 'string' && raw.value.startsWith('=') ? index : -1))
					.filter((index) => index >= 0),
			),
			defaults: this.getNodeParameter('fieldDefaults.default', 0, []) as MapToCrmFieldsParameters['defaults'],
			npsFields: {},
			segmentOptionIds: {},
			themeOptionIds: '',
			options: this.getNodeParameter('options', 0, {}) as MapToCrmFieldsParameters['options'],
		};
		const { crm, output, salesforceObject } = parameters;
		parameters.npsFields = this.getNodeParameter(`${crm}NpsFields`, 0, {}) as MapToCrmFieldsParameters['npsFields'];
		if (crm === 'pipedrive') {
			parameters.segmentOptionIds = this.getNodeParameter('segmentOptionIds', 0, {}) as MapToCrmFieldsParameters['segmentOptionIds'];
			parameters.themeOptionIds = this.getNodeParameter('themeOptionIds', 0, '') as string;
		}
		const location = this.getNode().typeVersion >= 1.1 ? recordLocationOf(this) : recordLocationV1(this);

		let mapRecord: CrmMapper;
		try {
			mapRecord = createCrmMapper(toMapperConfig(parameters));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, {
				description: 'Check the CRM fields named under Field Mappings, Field Defaults and NPS Fields',
			});
		}
		const identityField = identityFieldOf(parameters);

		const mapped: INodeExecutionData[] = [];
		const invalid: INodeExecutionData[] = [];
		const forBulk: MappedRecord[] = [];
		const bulkWarnings: Array<FieldIssue & { item: number }> = [];
		const refuse = (field: string, code: string, message: string): CrmMapOutcome => ({
			valid: false,
			kind: 'lead',
			errors: [{ field, code, message }],
			warnings: [],
		});
		const mapItem = (itemIndex: number): CrmMapOutcome => {
			const json = items[itemIndex].json;
			const found = recordAt(json, location);
			if ('problem' in found) return refuse(found.problem.field, 'missing_record', found.problem.message);
			const { record } = found;
			let perRecord: Record<string, unknown> | undefined;
			if (parameters.perItemMappings.size > 0) {
				perRecord = {};
				for (const index of parameters.perItemMappings) {
					const target = parameters.mappings[index].target.trim();
					try {
						perRecord[target] = this.getNodeParameter(`fieldMappings.mapping[${index}].value`, itemIndex);
					} catch (error) {
						// One item's failing expression costs that item only: it goes to Invalid with the reason.
						return refuse(target, 'expression_error', `the expression for ${target} failed: ${(error as Error).message}`);
					}
				}
			}
			try {
				return mapRecord(record, perRecord);
			} catch (error) {
				return refuse('*', 'unexpected_error', `the record could not be mapped: ${(error as Error).message}`);
			}
		};
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const json = items[itemIndex].json;
			const outcome = mapItem(itemIndex);
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
			let requests: BulkRequest[];
			try {
				requests = buildBulkRequests(forBulk, {
					crm,
					salesforceObject,
					salesforceApiVersion: this.getNodeParameter('salesforceApiVersion', 0, SALESFORCE_API_VERSION) as string,
					externalIdField: identityField,
					allOrNone: this.getNodeParameter('allOrNone', 0, false) as boolean,
					idProperty: identityField,
				});
			} catch (error) {
				throw new NodeOperationError(this.getNode(), error as Error, { description: 'Check the API Version setting' });
			}
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
