import { PayloadReader } from '../payload';
import { finishResponse, ignored, properties } from './common';
import type { NpsProvider } from './types';

/**
 * SatisMeter: unsigned (protect it with the shared-secret header or basic auth). The 0-10 answer
 * is `response.rating`; a `score` field (SatisMeter's -100..100 NPS of a project) is never read.
 * Events other than `completed` are acknowledged and ignored.
 */
export const satismeterProvider: NpsProvider = {
	id: 'satismeter',
	authentication: 'shared',
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const event = reader.text('event');
		if (event !== 'completed') return ignored(event, `event '${event ?? '(none)'}' is not a completed response`, null);
		if (reader.at('response.rating') === undefined || reader.at('response.rating') === null) {
			return ignored(event, 'the response has no NPS rating (another survey type)', null);
		}
		const surveyDate = reader.date('response.created', true);
		const traits = properties(reader.object('response.user.traits'));
		const country = reader.text('response.location.country');
		if (country !== null) traits.country = country;
		return finishResponse(
			reader,
			{
				response_id: reader.id('response.id', true),
				survey_id: reader.id('response.campaign', false) ?? reader.id('response.project', false),
				email: reader.email('response.user.email'),
				customer_id: reader.id('response.user.userId', false),
				person_id: null,
				survey_date: surveyDate,
				nps_score: reader.score('response.rating', settings.scale),
				comment: reader.text('response.feedback'),
				themes: [],
				properties: traits,
			},
			{ version: reader.date('response.updated', false) ?? surveyDate },
		);
	},
};
