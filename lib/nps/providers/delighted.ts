import { PayloadReader } from '../payload';
import { finishResponse, ignored, properties, stringList } from './common';
import { rawBodyHmac } from './rawBodyHmac';
import type { NpsProvider } from './types';

const RESPONSE_EVENTS = new Set(['survey_response.created', 'survey_response.updated']);
/** Person properties that carry the customer's id in Delighted accounts (the documented examples use both). */
const CUSTOMER_ID_PROPERTIES = ['customer_id', 'Customer ID'];

/**
 * Delighted: `X-Delighted-Webhook-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, keyed
 * with the account's API key. A comment added later arrives as `survey_response.updated`.
 * CSAT/CES/other surveys (`survey_type` other than nps) and non-response events are ignored.
 */
export const delightedProvider: NpsProvider = {
	id: 'delighted',
	authentication: 'signature',
	verify: rawBodyHmac('x-delighted-webhook-signature', { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }),
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const eventType = reader.text('event_type');
		const deliveryId = reader.id('event_id', false);
		if (eventType === null || !RESPONSE_EVENTS.has(eventType)) {
			return ignored(eventType, `event '${eventType ?? '(none)'}' is not a survey response`, deliveryId);
		}
		const surveyType = reader.text('event_data.survey_type');
		if (surveyType !== null && surveyType.toLowerCase() !== 'nps') {
			return ignored(eventType, `survey type '${surveyType}' is not NPS`, deliveryId);
		}
		const personProperties = properties(reader.object('event_data.person_properties'));
		const customerKey = CUSTOMER_ID_PROPERTIES.find((key) => personProperties[key] !== undefined && personProperties[key] !== null);
		const customerId = customerKey === undefined ? null : reader.id(`event_data.person_properties.${customerKey}`, false);
		if (customerKey !== undefined) delete personProperties[customerKey];
		return finishResponse(
			reader,
			{
				response_id: reader.id('event_data.id', true),
				survey_id: null,
				email: reader.email('event_data.person.email'),
				customer_id: customerId,
				person_id: reader.id('event_data.person.id', false),
				survey_date: reader.date('event_data.created_at', true),
				nps_score: reader.score('event_data.score', settings.scale),
				comment: reader.text('event_data.comment'),
				themes: stringList(reader.array('event_data.tags')),
				properties: personProperties,
			},
			{
				version: reader.date('event_data.updated_at', false),
				updateEvent: eventType === 'survey_response.updated',
			},
		);
	},
};
