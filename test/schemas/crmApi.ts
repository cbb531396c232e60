/**
 * The CRMs' published request bodies, written down as zod schemas so tests can hold what the
 * mapper produces against them. Sources (read 2026-11):
 * - HubSpot: POST /crm/v3/objects/contacts/batch/upsert, "BatchInputSimplePublicObjectBatchInputUpsert":
 *   { inputs: [{ id, idProperty?, objectWriteTraceId?, properties: { <name>: string } }] }, at most 100 inputs.
 * - Salesforce: PATCH /services/data/vXX.X/composite/sobjects/{SObjectName}/{ExternalIdFieldName}
 *   ("Upsert Records Using sObject Collections"): { allOrNone?, records: [{ attributes: { type }, ...fields }] },
 *   up to 200 records, all of the type in the URI, no Id field, each with the external id field.
 *   Lead field lengths from the Object Reference's Lead table.
 * - Pipedrive: POST /api/v2/persons and PATCH /api/v2/persons/{id} ("PersonRequestBody"): name (required on
 *   POST), owner_id, org_id, add_time, update_time, emails/phones [{ value, primary?, label? }], visible_to,
 *   label_ids, marketing_status, custom_fields keyed by 40-character hashes.
 */
import { z } from 'zod';

export const hubspotBatchUpsertBody = z
	.object({
		inputs: z
			.array(
				z
					.object({
						id: z.string().min(1),
						idProperty: z.string().optional(),
						objectWriteTraceId: z.string().optional(),
						properties: z.record(z.string()),
					})
					.strict(),
			)
			.min(1)
			.max(100),
	})
	.strict();

export const hubspotContactProperties = z
	.object({
		email: z.string().email(),
		firstname: z.string().optional(),
		lastname: z.string().optional(),
		company: z.string().optional(),
		phone: z.string().optional(),
		jobtitle: z.string().optional(),
		industry: z.string().optional(),
		lifecyclestage: z
			.enum(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'])
			.optional(),
		hs_lead_status: z
			.enum(['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'])
			.optional(),
		nps_score: z.string().regex(/^(10|\d)$/).optional(),
		/** Date properties: milliseconds of UTC midnight. */
		nps_survey_date: z
			.string()
			.regex(/^\d+$/)
			.refine((ms) => Number(ms) % 86_400_000 === 0, 'not UTC midnight')
			.optional(),
	})
	.catchall(z.string());

const salesforceValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export function salesforceCollectionUpsertBody(object: string, externalIdField: string) {
	return z
		.object({
			allOrNone: z.boolean().optional(),
			records: z
				.array(
					z
						.object({ attributes: z.object({ type: z.literal(object) }).strict() })
						.catchall(salesforceValue)
						.refine((record) => !('Id' in record), 'records are matched by external id: no Id field')
						.refine((record) => typeof record[externalIdField] === 'string' || typeof record[externalIdField] === 'number', {
							message: `every record needs ${externalIdField}`,
						}),
				)
				.min(1)
				.max(200),
		})
		.strict();
}

export const salesforceLeadRecord = z
	.object({
		FirstName: z.string().max(40).optional(),
		LastName: z.string().min(1).max(80),
		Company: z.string().min(1).max(255),
		Email: z.string().email().max(80).optional(),
		Phone: z.string().max(40).optional(),
		MobilePhone: z.string().max(40).optional(),
		Title: z.string().max(128).optional(),
		Industry: z.string().max(40).optional(),
		LeadSource: z.string().max(40).optional(),
		Country: z.string().max(80).optional(),
		CountryCode: z.string().max(10).optional(),
		State: z.string().max(80).optional(),
		City: z.string().max(40).optional(),
		PostalCode: z.string().max(20).optional(),
		Website: z.string().max(255).optional(),
		NPS_Score__c: z.number().int().min(0).max(10).optional(),
		NPS_Segment__c: z.string().optional(),
		/** Multi-select picklist: values joined with ';'. */
		NPS_Themes__c: z.string().regex(/^[^;]+(;[^;]+)*$/).optional(),
		NPS_Survey_Date__c: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
	})
	.catchall(salesforceValue);

const pipedriveContactPoint = z
	.object({ value: z.string().min(1), primary: z.boolean().optional(), label: z.string().optional() })
	.strict();

const pipedrivePersonFields = {
	owner_id: z.number().int().positive().optional(),
	org_id: z.number().int().positive().optional(),
	add_time: z.string().optional(),
	update_time: z.string().optional(),
	emails: z.array(pipedriveContactPoint).optional(),
	phones: z.array(pipedriveContactPoint).optional(),
	visible_to: z.number().int().optional(),
	label_ids: z.array(z.number().int()).optional(),
	marketing_status: z.enum(['no_consent', 'unsubscribed', 'subscribed', 'archived']).optional(),
	custom_fields: z
		.record(z.string().regex(/^[0-9a-f]{40}$/), z.union([z.string(), z.number(), z.array(z.number().int()), z.null()]))
		.optional(),
};

export const pipedriveCreatePersonBody = z.object({ name: z.string().min(1), ...pipedrivePersonFields }).strict();
export const pipedriveUpdatePersonBody = z.object({ name: z.string().min(1).optional(), ...pipedrivePersonFields }).strict();
