import { HUBSPOT_API_VERSION, SALESFORCE_API_VERSION } from './apiVersions';
import type { CrmId } from './profile';
import type { SalesforceObject } from './salesforce';

/**
 * Records per request of each CRM's batch endpoint: HubSpot batch upsert takes 100 inputs,
 * Salesforce sObject Collections 200 records; Pipedrive has no batch endpoint for persons.
 */
export const BATCH_LIMITS: Record<CrmId, number> = { hubspot: 100, salesforce: 200, pipedrive: 1 };

export interface MappedRecord {
	/** Position of the record in the input, for pairedItem. */
	index: number;
	record: Record<string, unknown>;
	/** Upsert key (email, external id, person id); records sharing one never share a request. */
	identity: string | null;
}

export interface BulkRequest {
	method: 'POST' | 'PATCH';
	/** Path below the CRM's API base URL. */
	path: string;
	body: Record<string, unknown>;
	/** Input positions of the records in this request, in body order. */
	indices: number[];
}

export interface BulkOptions {
	crm: CrmId;
	salesforceObject?: SalesforceObject;
	/** e.g. v62.0 */
	salesforceApiVersion?: string;
	/** Salesforce: External ID field the collection is upserted by (required for Salesforce). */
	externalIdField?: string;
	/** Salesforce: roll back the whole request when one record fails (default false). */
	allOrNone?: boolean;
	/** HubSpot: unique property the contacts are upserted by (default email). */
	idProperty?: string;
}

/**
 * Splits records into requests of at most `limit`, keeping input order. Two records with the
 * same identity never go in one request: the APIs reject duplicate ids in a batch, and the
 * later record must be applied after the earlier one.
 */
export function chunkRecords(records: MappedRecord[], limit: number): MappedRecord[][] {
	const chunks: MappedRecord[][] = [];
	let current: MappedRecord[] = [];
	let identities = new Set<string>();
	for (const record of records) {
		const duplicate = record.identity !== null && identities.has(record.identity);
		if (current.length === limit || duplicate) {
			chunks.push(current);
			current = [];
			identities = new Set();
		}
		current.push(record);
		if (record.identity !== null) identities.add(record.identity);
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

function hubspotRequest(chunk: MappedRecord[], idProperty: string): Omit<BulkRequest, 'indices'> {
	return {
		method: 'POST',
		path: `/crm/objects/${HUBSPOT_API_VERSION}/contacts/batch/upsert`,
		body: {
			inputs: chunk.map(({ record, identity }) => ({ id: identity ?? '', idProperty, properties: record })),
		},
	};
}

/** "62.0" or "v62.0" -> "v62.0"; sObject Collections upsert exists from API version 46.0. */
function salesforceVersion(version = SALESFORCE_API_VERSION): string {
	const match = /^v?(\d+)\.0$/.exec(version.trim());
	if (!match || Number(match[1]) < 46) {
		throw new Error(`Salesforce API version '${version}' is not usable: sObject Collections upsert needs v46.0 or later (e.g. v62.0)`);
	}
	return `v${match[1]}.0`;
}

function salesforceRequest(chunk: MappedRecord[], options: BulkOptions): Omit<BulkRequest, 'indices'> {
	const object = options.salesforceObject ?? 'Lead';
	return {
		method: 'PATCH',
		path: `/services/data/${salesforceVersion(options.salesforceApiVersion)}/composite/sobjects/${object}/${options.externalIdField}`,
		body: {
			allOrNone: options.allOrNone ?? false,
			records: chunk.map(({ record }) => ({ attributes: { type: object }, ...record })),
		},
	};
}

/** A person update goes to its own URL; a new person is created. */
function pipedriveRequest([{ record }]: MappedRecord[]): Omit<BulkRequest, 'indices'> {
	if (record.person_id === undefined) return { method: 'POST', path: '/api/v2/persons', body: record };
	const { person_id: personId, ...body } = record;
	return { method: 'PATCH', path: `/api/v2/persons/${personId}`, body };
}

export function buildBulkRequests(records: MappedRecord[], options: BulkOptions): BulkRequest[] {
	if (options.crm === 'salesforce' && !options.externalIdField) {
		throw new Error('Salesforce bulk upserts need the External ID field the records are matched by');
	}
	return chunkRecords(records, BATCH_LIMITS[options.crm]).map((chunk) => {
		const request =
			options.crm === 'hubspot'
				? hubspotRequest(chunk, options.idProperty ?? 'email')
				: options.crm === 'salesforce'
					? salesforceRequest(chunk, options)
					: pipedriveRequest(chunk);
		return { ...request, indices: chunk.map((record) => record.index) };
	});
}

