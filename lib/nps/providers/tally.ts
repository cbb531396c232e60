import { isRecord, PayloadReader } from '../payload';
import { finishResponse, ignored } from './common';
import { rawBodyHmac } from './rawBodyHmac';
import type { NpsProvider } from './types';
import { setField } from '../../itemData';

const CUSTOMER_ID_LABELS = ['customer_id', 'user_id'];

/** The field named by key or label, else the first field of `fallbackType`. */
function findFieldIndex(fields: unknown[], question: string | undefined, fallbackType: string): number {
	return fields.findIndex((field) =>
		isRecord(field) && (question ? field.key === question || field.label === question : field.type === fallbackType),
	);
}

/**
 * Tally: `Tally-Signature: <base64 HMAC-SHA256 of the raw body>`. Tally has no NPS block; an NPS
 * question is a 0-10 linear scale, so the answer is the first LINEAR_SCALE field unless the node
 * names the field (key or label). Calculated fields such as a quiz "Score" are never read as it.
 */
export const tallyProvider: NpsProvider = {
	id: 'tally',
	authentication: 'signature',
	verify: rawBodyHmac('tally-signature', { algorithm: 'sha256', encoding: 'base64' }),
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const eventType = reader.text('eventType');
		const deliveryId = reader.id('eventId', false);
		if (eventType !== 'FORM_RESPONSE') return ignored(eventType, `event '${eventType ?? '(none)'}' is not a form response`, deliveryId);

		const fields = reader.array('data.fields');
		const npsIndex = findFieldIndex(fields, settings.npsQuestion, 'LINEAR_SCALE');
		if (!reader.ok) return { kind: 'invalid', problems: reader.problems };
		if (npsIndex === -1) return ignored(eventType, 'the response has no NPS (0-10 linear scale) answer', deliveryId);

		const commentIndex = findFieldIndex(fields, settings.commentQuestion, 'TEXTAREA');
		const emailIndex = findFieldIndex(fields, undefined, 'INPUT_EMAIL');
		let customerId: string | null = null;
		const hidden: Record<string, unknown> = {};
		fields.forEach((field, index) => {
			if (!isRecord(field) || field.type !== 'HIDDEN_FIELDS' || typeof field.label !== 'string') return;
			if (CUSTOMER_ID_LABELS.includes(field.label)) customerId ??= reader.id(`data.fields[${index}].value`, false);
			else setField(hidden, field.label, field.value);
		});
		const surveyDate = reader.date('data.createdAt', true);
		return finishResponse(
			reader,
			{
				response_id: reader.id('data.responseId', true),
				survey_id: reader.id('data.formId', false),
				email: emailIndex === -1 ? null : reader.email(`data.fields[${emailIndex}].value`),
				customer_id: customerId,
				person_id: reader.id('data.respondentId', false),
				survey_date: surveyDate,
				nps_score: reader.score(`data.fields[${npsIndex}].value`, settings.scale),
				comment: commentIndex === -1 ? null : reader.text(`data.fields[${commentIndex}].value`),
				themes: [],
				properties: hidden,
			},
			{ version: surveyDate },
		);
	},
};
