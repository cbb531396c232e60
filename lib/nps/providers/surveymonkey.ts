import { headerValue, type NpsDelivery } from '../delivery';
import { isRecord, PayloadReader } from '../payload';
import { hmacMatchesAny } from '../signature';
import { finishResponse, ignored } from './common';
import type { NpsProvider, ParseOutcome, ProviderSettings } from './types';

const RESPONSE_EVENTS = new Set(['response_completed', 'response_updated']);
/** Problem paths in a fetched response start here, so they are not mistaken for webhook fields. */
const API_PREFIX = 'api:';

/**
 * `Sm-Signature` is the base64 HMAC-SHA1 of the raw body keyed `<api key>&<api secret>`; the
 * api key (client id) comes in `Sm-Apikey`. A secret entered as `id&secret` is used as it is.
 */
function verifySurveyMonkey(delivery: NpsDelivery, secrets: string[]): boolean {
	const apiKey = headerValue(delivery, 'sm-apikey')?.trim();
	const keys = secrets.map((secret) => (secret.includes('&') ? secret : `${apiKey ?? ''}&${secret}`));
	if (!apiKey && !secrets.some((secret) => secret.includes('&'))) return false;
	return hmacMatchesAny({ algorithm: 'sha1', encoding: 'base64' }, keys, delivery.rawBody, headerValue(delivery, 'sm-signature'));
}

interface Located {
	path: string;
	question: Record<string, unknown>;
}

/** Every question of a response, with its path in the API answer. */
function questionsOf(reader: PayloadReader): Located[] {
	const located: Located[] = [];
	reader.array('pages').forEach((page, pageIndex) => {
		if (!isRecord(page) || !Array.isArray(page.questions)) return;
		page.questions.forEach((question, questionIndex) => {
			if (isRecord(question)) located.push({ path: `pages[${pageIndex}].questions[${questionIndex}]`, question });
		});
	});
	return located;
}

const NPS_HINT = /\bnps\b|net.?promoter/i;
const RECOMMEND = /recommend/i;

function findNpsQuestion(questions: Located[], named: string | undefined): Located | undefined {
	if (named) return questions.find(({ question }) => String(question.id) === named);
	const describes = (question: Record<string, unknown>) =>
		[question.family, question.subtype, isRecord(question.display_options) ? question.display_options.display_type : undefined].some(
			(value) => typeof value === 'string' && NPS_HINT.test(value),
		);
	return (
		questions.find(({ question }) => describes(question)) ??
		questions.find(({ question }) => typeof question.heading === 'string' && RECOMMEND.test(question.heading))
	);
}

/** The 0-10 choice's text (`simple=true`): "9", or "10 - Extremely likely". */
function leadingNumber(text: unknown): unknown {
	if (typeof text !== 'string') return text;
	const match = /^\s*(\d+(?:\.\d+)?)(?:\s*[-–:]\s*.*)?$/.exec(text);
	return match ? match[1] : text;
}

function fromResponseDetails(api: unknown, settings: ProviderSettings, deliveryId: string | null, updateEvent: boolean): ParseOutcome {
	const reader = new PayloadReader(api, API_PREFIX);
	if (!isRecord(api)) {
		reader.problem('(response)', 'not_an_object', 'the API answered with no response object');
		return { kind: 'invalid', problems: reader.problems };
	}
	const status = reader.text('response_status');
	if (status !== null && status !== 'completed') return ignored(status, `response status '${status}' is not completed`, deliveryId);
	const questions = questionsOf(reader);
	const nps = findNpsQuestion(questions, settings.npsQuestion);
	if (!nps) return ignored('response', 'the response has no answer to an NPS question', deliveryId);
	const comment = settings.commentQuestion
		? questions.find(({ question }) => String(question.id) === settings.commentQuestion)
		: questions.find(({ question }) => question.family === 'open_ended');
	const email = reader.text('metadata.contact.email.value') !== null ? 'metadata.contact.email.value' : 'email_address';
	return finishResponse(
		reader,
		{
			response_id: reader.id('id', true),
			survey_id: reader.id('survey_id', false),
			email: reader.email(email),
			customer_id: reader.id('custom_value', false),
			person_id: reader.id('recipient_id', false),
			survey_date: reader.date('date_created', true),
			nps_score: reader.scoreOf(leadingNumber(reader.at(`${nps.path}.answers[0].simple_text`)), `${nps.path}.answers[0].simple_text`, settings.scale),
			comment: comment ? reader.text(`${comment.path}.answers[0].simple_text`) ?? reader.text(`${comment.path}.answers[0].text`) : null,
			themes: [],
			properties: isRecord(api.custom_variables) ? { ...api.custom_variables } : {},
		},
		{ version: reader.date('date_modified', false), updateEvent },
	);
}

/**
 * SurveyMonkey: the webhook names a response (`object_id` in `resources.survey_id`); the node
 * fetches `/v3/surveys/{survey}/responses/{id}/details?simple=true` with the user's token. The NPS
 * question is the one named in the node, else one whose type says NPS, else the first asking
 * "how likely ... recommend".
 */
export const surveymonkeyProvider: NpsProvider = {
	id: 'surveymonkey',
	authentication: 'signature',
	verify: verifySurveyMonkey,
	parse(body, settings) {
		const reader = new PayloadReader(body);
		const eventType = reader.text('event_type');
		const deliveryId = reader.id('event_id', false);
		if (eventType === null || !RESPONSE_EVENTS.has(eventType)) {
			return ignored(eventType, `event '${eventType ?? '(none)'}' is not a completed or updated response`, deliveryId);
		}
		const responseId = reader.id('object_id', true);
		const surveyId = reader.id('resources.survey_id', true);
		if (!reader.ok || responseId === null || surveyId === null) return { kind: 'invalid', problems: reader.problems };
		if (!/^\d+$/.test(responseId) || !/^\d+$/.test(surveyId)) {
			reader.problem(/^\d+$/.test(responseId) ? 'resources.survey_id' : 'object_id', 'invalid_id', 'must be a numeric SurveyMonkey id');
			return { kind: 'invalid', problems: reader.problems };
		}
		return {
			kind: 'fetch',
			request: { path: `/v3/surveys/${surveyId}/responses/${responseId}/details`, qs: { simple: 'true' } },
			complete: (api) => fromResponseDetails(api, settings, deliveryId, eventType === 'response_updated'),
		};
	},
};
