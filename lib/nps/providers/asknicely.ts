import { PayloadReader } from '../payload';
import { finishResponse } from './common';
import type { NpsProvider } from './types';

/** Person fields that become identity or are personal data the record already carries elsewhere. */
const PERSON_FIELDS_NOT_PROPERTIES = new Set(['id', 'email', 'name', 'firstname', 'lastname', 'created', 'customer_id']);

/**
 * AskNicely: unsigned (its webhook app sends custom headers: use the shared-secret header).
 * `question.score` is the 0-10 answer, sent as a string; `count` goes up by one for every
 * webhook about the same response, so count > 1 is an update (score or comment changed).
 */
export const asknicelyProvider: NpsProvider = {
	id: 'asknicely',
	authentication: 'shared',
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const count = reader.id('count', false);
		const person = reader.object('person') ?? {};
		const extra = Object.fromEntries(Object.entries(person).filter(([key]) => !PERSON_FIELDS_NOT_PROPERTIES.has(key)));
		const deliveryMethod = reader.text('question.deliverymethod');
		if (deliveryMethod !== null) extra.delivery_method = deliveryMethod;
		return finishResponse(
			reader,
			{
				response_id: reader.id('question.id', true),
				survey_id: null,
				email: reader.email('person.email'),
				customer_id: reader.id('person.customer_id', false),
				person_id: reader.id('person.id', false),
				survey_date: reader.date('question.responded', true),
				nps_score: reader.score('question.score', settings.scale),
				comment: reader.text('question.comment'),
				themes: [],
				properties: extra,
			},
			{ version: count, updateEvent: count !== null && count !== '1' },
		);
	},
};
