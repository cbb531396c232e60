import { isRecord, PayloadReader } from '../payload';
import { finishResponse, ignored } from './common';
import { rawBodyHmac } from './rawBodyHmac';
import type { NpsProvider } from './types';
import { setField } from '../../itemData';

const IDENTITY_HIDDEN_FIELDS = ['email', 'customer_id', 'user_id'];

/** The answer to the question the user named (by field id or ref), else to the form's NPS question. */
function findAnswerIndex(answers: unknown[], definitionFields: unknown[], question: string | undefined, fallbackType: string): number {
	if (question) {
		const byRef = definitionFields.find((field) => isRecord(field) && field.ref === question);
		const fieldId = isRecord(byRef) ? byRef.id : question;
		return answers.findIndex((answer) => isRecord(answer) && isRecord(answer.field) && (answer.field.id === fieldId || answer.field.ref === question));
	}
	return answers.findIndex((answer) => isRecord(answer) && isRecord(answer.field) && answer.field.type === fallbackType);
}

/**
 * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`. The 0-10 answer is
 * the answer to the form's Net Promoter Score question (or the one named in the node); the quiz
 * `calculated.score` and number/rating answers are never taken for it.
 */
export const typeformProvider: NpsProvider = {
	id: 'typeform',
	authentication: 'signature',
	verify: rawBodyHmac('typeform-signature', { algorithm: 'sha256', encoding: 'base64', prefix: 'sha256=' }),
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const eventType = reader.text('event_type');
		const deliveryId = reader.id('event_id', false);
		if (eventType !== 'form_response') return ignored(eventType, `event '${eventType ?? '(none)'}' is not a form response`, deliveryId);

		const answers = reader.array('form_response.answers');
		const definitionFields = reader.array('form_response.definition.fields');
		const npsIndex = findAnswerIndex(answers, definitionFields, settings.npsQuestion, 'nps');
		if (!reader.ok) return { kind: 'invalid', problems: reader.problems };
		if (npsIndex === -1) return ignored(eventType, 'the response has no answer to an NPS question', deliveryId);

		const commentIndex = findAnswerIndex(answers, definitionFields, settings.commentQuestion, 'long_text');
		const emailIndex = answers.findIndex((answer) => isRecord(answer) && answer.type === 'email');
		const hidden = reader.object('form_response.hidden') ?? {};
		const variables = reader.array('form_response.variables');
		const extra: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(hidden)) if (!IDENTITY_HIDDEN_FIELDS.includes(key)) setField(extra, key, value);
		for (const variable of variables) {
			if (isRecord(variable) && typeof variable.key === 'string' && typeof variable.type === 'string') extra[`variable_${variable.key}`] = variable[variable.type];
		}
		const surveyDate = reader.date('form_response.submitted_at', true);
		return finishResponse(
			reader,
			{
				response_id: reader.id('form_response.token', true),
				survey_id: reader.id('form_response.form_id', false),
				email: emailIndex !== -1 ? reader.email(`form_response.answers[${emailIndex}].email`) : reader.email('form_response.hidden.email'),
				customer_id: reader.id('form_response.hidden.customer_id', false) ?? reader.id('form_response.hidden.user_id', false),
				person_id: null,
				survey_date: surveyDate,
				nps_score: reader.score(`form_response.answers[${npsIndex}].number`, settings.scale),
				comment: commentIndex === -1 ? null : reader.text(`form_response.answers[${commentIndex}].text`),
				themes: [],
				properties: extra,
			},
			{ version: surveyDate },
		);
	},
};
