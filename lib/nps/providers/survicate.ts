import { isRecord, PayloadReader } from '../payload';
import { finishResponse, ignored } from './common';
import { rawBodyHmac } from './rawBodyHmac';
import type { NpsProvider } from './types';

const NPS_QUESTION_TYPE = /nps|net.?promoter/i;
const EMAIL_ATTRIBUTES = ['email'];
const CUSTOMER_ID_ATTRIBUTES = ['customer_id', 'user_id', 'userId'];

/**
 * Survicate: `Hmac: <hex HMAC-SHA256 of the raw body>`; one `questionAnswered` event per answer.
 * For an NPS question the 0-10 value is `choice.id` and `choice.body` is its label ("promoter"),
 * so the label is never read as the score. Answers to other questions are acknowledged and ignored.
 */
export const survicateProvider: NpsProvider = {
	id: 'survicate',
	authentication: 'signature',
	verify: rawBodyHmac('hmac', { algorithm: 'sha256', encoding: 'hex' }),
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const deliveryId = reader.id('messageId', false);
		const answered = reader.object('event.questionAnswered');
		if (answered === null) {
			const eventType = isRecord(body.event) ? (Object.keys(body.event)[0] ?? null) : null;
			return reader.ok ? ignored(eventType, 'only questionAnswered events carry an NPS answer', deliveryId) : { kind: 'invalid', problems: reader.problems };
		}
		const questionId = reader.id('event.questionAnswered.question.id', false);
		const questionType = reader.text('event.questionAnswered.type');
		const isNps = settings.npsQuestion ? questionId === settings.npsQuestion : questionType !== null && NPS_QUESTION_TYPE.test(questionType);
		if (!reader.ok) return { kind: 'invalid', problems: reader.problems };
		if (!isNps) return ignored('questionAnswered', `question ${questionId ?? '(no id)'} is not an NPS question`, deliveryId);

		// Documented as an object of custom attributes; sent as [] when the respondent has none.
		const rawAttributes = reader.at('event.questionAnswered.respondent.attributes');
		const attributes = isRecord(rawAttributes) ? rawAttributes : {};
		const attributePath = (names: string[]) => {
			const name = names.find((candidate) => attributes[candidate] !== undefined && attributes[candidate] !== null);
			return name === undefined ? null : `event.questionAnswered.respondent.attributes.${name}`;
		};
		const emailPath = attributePath(EMAIL_ATTRIBUTES);
		const customerIdPath = attributePath(CUSTOMER_ID_ATTRIBUTES);
		const extra = Object.fromEntries(
			Object.entries(attributes).filter(([key]) => !EMAIL_ATTRIBUTES.includes(key) && !CUSTOMER_ID_ATTRIBUTES.includes(key)),
		);
		const surveyDate = reader.date('event.questionAnswered.timestamp', true);
		return finishResponse(
			reader,
			{
				response_id: reader.id('event.questionAnswered.responseUuid', true),
				survey_id: reader.id('event.questionAnswered.survey.id', false),
				email: emailPath === null ? null : reader.email(emailPath),
				customer_id: customerIdPath === null ? null : reader.id(customerIdPath, false),
				person_id: reader.id('event.questionAnswered.respondent.id', false),
				survey_date: surveyDate,
				nps_score: reader.score('event.questionAnswered.choice.id', settings.scale),
				comment: reader.text('event.questionAnswered.choice.comment'),
				themes: [],
				properties: extra,
			},
			{ version: surveyDate },
		);
	},
};
