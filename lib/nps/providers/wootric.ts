import { PayloadReader } from '../payload';
import { finishResponse, ignored, properties } from './common';
import { rawBodyHmac } from './rawBodyHmac';
import type { NpsProvider } from './types';

/**
 * Wootric (InMoment): `X-Wootric-Signature: sha1=<hex HMAC-SHA1 of the raw body>`, keyed with the
 * account's webhook token; JSON or urlencoded (`response[score]=7`). Declines and CES/CSAT
 * surveys (`survey_mode` other than NPS) are acknowledged and ignored.
 */
export const wootricProvider: NpsProvider = {
	id: 'wootric',
	authentication: 'signature',
	verify: rawBodyHmac('x-wootric-signature', { algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' }),
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const eventName = reader.text('event_name');
		if (reader.at('response') === undefined) {
			const eventType = reader.at('decline') !== undefined ? 'decline' : eventName;
			return ignored(eventType, `a ${eventType ?? 'delivery'} without a response carries no score`, null);
		}
		const surveyMode = reader.text('survey_mode');
		if (surveyMode !== null && surveyMode.toUpperCase() !== 'NPS') return ignored(eventName, `survey mode '${surveyMode}' is not NPS`, null);
		return finishResponse(
			reader,
			{
				response_id: reader.id('response.id', true),
				survey_id: reader.id('response.survey_id', false),
				email: reader.email('response.email'),
				customer_id: reader.id('response.external_id', false),
				person_id: reader.id('response.end_user_id', false),
				survey_date: reader.date('response.created_at', true),
				nps_score: reader.score('response.score', settings.scale),
				comment: reader.text('response.text'),
				themes: [],
				properties: properties(reader.object('response.end_user_properties')),
			},
			{ version: reader.date('response.updated_at', false), updateEvent: eventName === 'updated' },
		);
	},
};
