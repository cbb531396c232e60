import { PayloadReader } from '../payload';
import { finishResponse, properties, stringList } from './common';
import { verifyStandardWebhook } from './standardWebhooks';
import type { NpsProvider } from './types';

/**
 * Generic JSON: the sender posts the canonical record's own fields and signs with Standard
 * Webhooks. `updated_at` (optional), when later than `survey_date`, marks an edit of a response.
 */
export const genericProvider: NpsProvider = {
	id: 'generic',
	authentication: 'signature',
	verify: verifyStandardWebhook,
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const surveyDate = reader.date('survey_date', true);
		const updatedAt = reader.date('updated_at', false);
		return finishResponse(
			reader,
			{
				response_id: reader.id('response_id', true),
				survey_id: reader.id('survey_id', false),
				email: reader.email('email'),
				customer_id: reader.id('customer_id', false),
				person_id: reader.id('person_id', false),
				survey_date: surveyDate,
				nps_score: reader.score('nps_score', settings.scale),
				comment: reader.text('comment'),
				themes: stringList(reader.array('themes')),
				properties: properties(reader.object('properties')),
			},
			{ version: updatedAt, updateEvent: updatedAt !== null && updatedAt !== surveyDate },
		);
	},
};
