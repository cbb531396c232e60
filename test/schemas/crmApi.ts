/**
 * The CRMs' published request contracts, written down as zod schemas so tests hold what the mapper and the
 * templates send against them, and the CRM stand-in (test/e2e/vendorRules.ts) refuses what breaks them.
 * Sources (read 2026-11 and 2026-12):
 * - HubSpot (date-based version 2026-09; https://developers.hubspot.com/docs/api-reference/latest/overview):
 *   - POST /crm/objects/2026-09/contacts/batch/upsert, "BatchInputSimplePublicObjectBatchInputUpsert":
 *     { inputs: [{ id, idProperty?, objectWriteTraceId?, properties: { <name>: string } }] }, at most 100 inputs.
 *   - POST /crm/objects/2026-09/contacts/search ("PublicObjectSearchRequest"): at most 5 filterGroups of at most
 *     6 filters, limit at most 200 (https://developers.hubspot.com/docs/api-reference/latest/crm/search).
 *   - PATCH /crm/objects/2026-09/contacts/{contactId} ("SimplePublicObjectInput"): { properties, objectWriteTraceId? }.
 *   - POST /crm/objects/2026-09/tasks: properties with hs_timestamp required; associations
 *     [{ to: { id }, types: [{ associationCategory, associationTypeId }] }], task to contact = 204
 *     (notes likewise: POST /crm/objects/2026-09/notes, hs_timestamp required, note to contact = 202)
 *     (https://developers.hubspot.com/docs/api-reference/latest/crm/activities/tasks/guide).
 *   - PUT /crm/lists/2026-09/{listId}/memberships/add: a JSON array of record ids; MANUAL or SNAPSHOT lists only
 *     (https://developers.hubspot.com/docs/api-reference/latest/crm/lists/memberships/add-to-list);
 *     PUT .../memberships/remove takes the same array.
 *   - POST /communication-preferences/2026-09/statuses/{subscriberIdString} (an email address): { channel: EMAIL |
 *     WHATSAPP, statusState: SUBSCRIBED | NOT_SUBSCRIBED | NOT_SPECIFIED, subscriptionId, legalBasis?,
 *     legalBasisExplanation? } (https://developers.hubspot.com/docs/api-reference/latest/communication-preferences/status/update-subscription).
 *   - POST /crm/objects/2026-09/contacts/gdpr-delete: { objectId, idProperty? }.
 * - Salesforce: PATCH /services/data/vXX.X/composite/sobjects/{SObjectName}/{ExternalIdFieldName}
 *   ("Upsert Records Using sObject Collections"): { allOrNone?, records: [{ attributes: { type }, ...fields }] },
 *   up to 200 records, all of the type in the URI, no Id field, each with the external id field.
 *   Lead field lengths from the Object Reference's Lead table. GET /services/data/vXX.X/query?q=<SOQL>.
 * - Pipedrive (https://developers.pipedrive.com/docs/api/v1, API v2 migration guide):
 *   - POST /api/v2/persons and PATCH /api/v2/persons/{id} ("PersonRequestBody"): name (required on POST),
 *     owner_id, org_id, add_time, update_time, emails/phones [{ value, primary?, label? }], visible_to, label_ids,
 *     marketing_status, custom_fields keyed by 40-character hashes.
 *   - GET /api/v2/persons/search: term (at least 2 characters, 1 with exact_match), fields among custom_fields,
 *     email, notes, phone, name; exact_match; limit at most 500.
 *   - POST /api/v2/activities: person_id is read-only, the person goes in participants [{ person_id, primary }].
 *   - POST /v1/notes (notes have no v2): content, and one of lead_id, deal_id, person_id, org_id, project_id.
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

const hubspotFilter = z
	.object({
		propertyName: z.string().min(1),
		operator: z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']),
		value: z.string().optional(),
		highValue: z.string().optional(),
		values: z.array(z.string()).optional(),
	})
	.strict();

export const hubspotSearchBody = z
	.object({
		filterGroups: z.array(z.object({ filters: z.array(hubspotFilter).max(6) }).strict()).max(5),
		properties: z.array(z.string()).optional(),
		sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']) })])).optional(),
		query: z.string().optional(),
		limit: z.number().int().min(1).max(200).optional(),
		after: z.string().optional(),
	})
	.strict();

export const hubspotUpdateBody = z.object({ properties: z.record(z.string()), objectWriteTraceId: z.string().optional() }).strict();

const hubspotAssociation = z
	.object({
		to: z.object({ id: z.string().regex(/^\d+$/, 'a record id is a number in a string') }).strict(),
		types: z
			.array(
				z
					.object({ associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']), associationTypeId: z.number().int().positive() })
					.strict(),
			)
			.min(1),
	})
	.strict();

export const hubspotTaskCreateBody = z
	.object({
		properties: z
			.object({
				hs_timestamp: z.string().refine((value) => /^\d+$/.test(value) || !Number.isNaN(Date.parse(value)), 'hs_timestamp is a date-time or milliseconds'),
				hs_task_status: z.enum(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']).optional(),
				hs_task_priority: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']).optional(),
				hs_task_type: z.enum(['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE']).optional(),
			})
			.catchall(z.string()),
		associations: z.array(hubspotAssociation).optional(),
	})
	.strict();

/** POST /crm/objects/2026-09/notes: hs_timestamp required, hs_note_body the text; note to contact association = 202. */
export const hubspotNoteCreateBody = z
	.object({
		properties: z
			.object({
				hs_timestamp: z.string().refine((value) => /^\d+$/.test(value) || !Number.isNaN(Date.parse(value)), 'hs_timestamp is a date-time or milliseconds'),
				hs_note_body: z.string().max(65536).optional(),
			})
			.catchall(z.string()),
		associations: z.array(hubspotAssociation).optional(),
	})
	.strict();

export const hubspotListMembershipAddBody = z.array(z.string().regex(/^\d+$/, 'a record id is a number in a string')).min(1).max(100000);

/** HubSpot's legal bases for a subscription status (the API's enum). */
export const HUBSPOT_LEGAL_BASES = [
	'LEGITIMATE_INTEREST_PQL',
	'LEGITIMATE_INTEREST_CLIENT',
	'PERFORMANCE_OF_CONTRACT',
	'CONSENT_WITH_NOTICE',
	'NON_GDPR',
	'PROCESS_AND_STORE',
	'LEGITIMATE_INTEREST_OTHER',
] as const;

export const hubspotSubscriptionStatusBody = z
	.object({
		channel: z.enum(['EMAIL', 'WHATSAPP']),
		statusState: z.enum(['SUBSCRIBED', 'NOT_SUBSCRIBED', 'NOT_SPECIFIED']),
		subscriptionId: z.number().int().positive(),
		legalBasis: z.enum(HUBSPOT_LEGAL_BASES).optional(),
		legalBasisExplanation: z.string().optional(),
	})
	.strict();

export const hubspotGdprDeleteBody = z.object({ objectId: z.string().min(1), idProperty: z.string().optional() }).strict();

/**
 * POST /services/data/vXX.X/sobjects/CampaignMember: CampaignId and one of LeadId or ContactId (Object Reference,
 * CampaignMember); a lead already in the campaign is refused with DUPLICATE_VALUE "Already a campaign member.".
 */
export const salesforceCampaignMemberBody = z
	.object({ CampaignId: z.string().regex(/^701\w{12}(\w{3})?$/, 'CampaignId is a Campaign id (prefix 701)'), LeadId: z.string().optional(), ContactId: z.string().optional(), Status: z.string().optional() })
	.strict()
	.refine((body) => (body.LeadId === undefined) !== (body.ContactId === undefined), 'one of LeadId or ContactId');

export const salesforceQueryParameters = z.object({ q: z.string().regex(/^\s*SELECT\s/i, 'q must be a SOQL SELECT') }).strict();

/** sObject Collections upsert whatever the object: at most 200 records of one type, none with an Id. */
export const salesforceCollectionUpsertEnvelope = z
	.object({
		allOrNone: z.boolean().optional(),
		records: z
			.array(z.object({ attributes: z.object({ type: z.string() }).strict() }).catchall(salesforceValue).refine((record) => !('Id' in record), 'records are matched by external id: no Id field'))
			.min(1)
			.max(200)
			.refine((records) => new Set(records.map(({ attributes }) => attributes.type)).size === 1, 'all records must be of the object in the URI'),
	})
	.strict();

const pipedriveBoolean = z.enum(['true', 'false']);

export const pipedrivePersonSearchQuery = z
	.object({
		term: z.string().min(1),
		fields: z
			.string()
			.refine((fields) => fields.split(',').every((field) => ['custom_fields', 'email', 'notes', 'phone', 'name'].includes(field)), 'fields: custom_fields, email, notes, phone, name')
			.optional(),
		exact_match: pipedriveBoolean.optional(),
		organization_id: z.string().regex(/^\d+$/).optional(),
		include_fields: z.string().optional(),
		limit: z
			.string()
			.regex(/^\d+$/)
			.refine((limit) => Number(limit) >= 1 && Number(limit) <= 500, 'limit is 1 to 500')
			.optional(),
		cursor: z.string().optional(),
		api_token: z.string().optional(),
	})
	.strict()
	.refine(({ term, exact_match }) => term.length >= (exact_match === 'true' ? 1 : 2), 'term must be at least 2 characters (1 with exact_match)');

const pipedriveActivityFields = z
	.object({
		subject: z.string().optional(),
		type: z.string().optional(),
		owner_id: z.number().int().optional(),
		deal_id: z.number().int().optional(),
		lead_id: z.string().optional(),
		org_id: z.number().int().optional(),
		project_id: z.number().int().optional(),
		due_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
		due_time: z.string().regex(/^\d{2}:\d{2}$/).optional(),
		duration: z.string().regex(/^\d{2}:\d{2}$/).optional(),
		busy: z.boolean().optional(),
		done: z.boolean().optional(),
		participants: z.array(z.object({ person_id: z.number().int().positive(), primary: z.boolean() }).strict()).optional(),
		public_description: z.string().optional(),
		priority: z.number().int().optional(),
		note: z.string().optional(),
	})
	.strict();

/** API v2 refuses person_id on an activity: the person is a participant (the migration guide's "person_id is read-only"). */
export const pipedriveActivityCreateBody = z
	.unknown()
	.superRefine((body, context) => {
		if (typeof body === 'object' && body !== null && 'person_id' in body) {
			context.addIssue({ code: z.ZodIssueCode.custom, fatal: true, message: "'person_id' is a read-only field. Add a primary participant to set 'person_id' instead." });
		}
	})
	.pipe(pipedriveActivityFields);

export const pipedriveNoteCreateBody = z
	.object({
		content: z.string().min(1),
		lead_id: z.string().optional(),
		deal_id: z.number().int().optional(),
		person_id: z.number().int().optional(),
		org_id: z.number().int().optional(),
		project_id: z.number().int().optional(),
		user_id: z.number().int().optional(),
		add_time: z.string().optional(),
		pinned_to_lead_flag: z.union([z.literal(0), z.literal(1)]).optional(),
		pinned_to_deal_flag: z.union([z.literal(0), z.literal(1)]).optional(),
		pinned_to_organization_flag: z.union([z.literal(0), z.literal(1)]).optional(),
		pinned_to_person_flag: z.union([z.literal(0), z.literal(1)]).optional(),
		pinned_to_project_flag: z.union([z.literal(0), z.literal(1)]).optional(),
	})
	.strict()
	.refine(
		(note) => ['lead_id', 'deal_id', 'person_id', 'org_id', 'project_id'].some((key) => note[key as keyof typeof note] !== undefined),
		'a note needs one of lead_id, deal_id, person_id, org_id, project_id',
	);
