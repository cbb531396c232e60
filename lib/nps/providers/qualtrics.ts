import type { NpsDelivery } from '../delivery';
import { isRecord, PayloadReader } from '../payload';
import { hmacMatchesAny } from '../signature';
import { finishResponse, ignored } from './common';
import type { NpsProvider, ParseOutcome, ProviderSettings } from './types';

const API_PREFIX = 'api:';
const NPS_GROUP_KEY = /^(QID\d+)_NPS_GROUP$/;

/**
 * Qualtrics event subscriptions post a form with `Topic`, `MSG` (a JSON string) and `HMAC`: the
 * hex HMAC-SHA512 of the MSG value (not of the whole body), keyed with the subscription's secret.
 */
function verifyQualtrics(delivery: NpsDelivery, secrets: string[]): boolean {
	const form = new URLSearchParams(delivery.rawBody.toString('utf8'));
	const message = form.get('MSG');
	if (message === null) return false;
	return hmacMatchesAny({ algorithm: 'sha512', encoding: 'hex' }, secrets, Buffer.from(message, 'utf8'), form.get('HMAC') ?? undefined);
}

function fromResponse(api: unknown, settings: ProviderSettings, surveyId: string): ParseOutcome {
	const reader = new PayloadReader(api, API_PREFIX);
	const values = reader.object('result.values');
	if (values === null) {
		if (reader.ok) reader.problem('result.values', 'missing', 'is required');
		return { kind: 'invalid', problems: reader.problems };
	}
	const npsQuestion = settings.npsQuestion || Object.keys(values).map((key) => NPS_GROUP_KEY.exec(key)?.[1]).find(Boolean);
	if (!npsQuestion || values[npsQuestion] === undefined) return ignored('completedResponse', 'the response has no answer to an NPS question', null);
	const recordedDate = reader.date('result.values.recordedDate', false);
	return finishResponse(
		reader,
		{
			response_id: reader.id('result.responseId', true),
			survey_id: surveyId,
			email: reader.email('result.values.recipientEmail'),
			customer_id: reader.id('result.values.externalDataReference', false),
			person_id: null,
			survey_date: recordedDate ?? reader.date('result.values.endDate', true),
			nps_score: reader.score(`result.values.${npsQuestion}`, settings.scale),
			comment: settings.commentQuestion ? reader.text(`result.values.${settings.commentQuestion}`) : null,
			themes: [],
			properties: {},
		},
		{ version: recordedDate },
	);
}

/**
 * Qualtrics: the `completedResponse` event names a response; the node fetches
 * `/API/v3/surveys/{survey}/responses/{id}` with the user's API token. The NPS answer is the
 * question the node names (QID), else the question Qualtrics reports an `_NPS_GROUP` for.
 */
export const qualtricsProvider: NpsProvider = {
	id: 'qualtrics',
	authentication: 'signature',
	verify: verifyQualtrics,
	parse(body, settings) {
		const topic = typeof body.Topic === 'string' ? body.Topic : null;
		if (topic === null || !/\.completedResponse\./.test(topic)) return ignored(topic, `topic '${topic ?? '(none)'}' is not a completed response`, null);
		let message: unknown;
		try {
			message = typeof body.MSG === 'string' ? JSON.parse(body.MSG) : undefined;
		} catch {
			message = undefined;
		}
		const reader = new PayloadReader(message, 'MSG.');
		if (!isRecord(message)) {
			reader.problem('(value)', 'invalid_json', 'must be a JSON object');
			return { kind: 'invalid', problems: reader.problems };
		}
		const responseId = reader.id('ResponseID', true);
		const surveyId = reader.id('SurveyID', true);
		if (!reader.ok || responseId === null || surveyId === null) return { kind: 'invalid', problems: reader.problems };
		if (!/^R_\w+$/.test(responseId) || !/^SV_\w+$/.test(surveyId)) {
			reader.problem(/^R_\w+$/.test(responseId) ? 'SurveyID' : 'ResponseID', 'invalid_id', 'is not a Qualtrics id');
			return { kind: 'invalid', problems: reader.problems };
		}
		return {
			kind: 'fetch',
			request: { path: `/API/v3/surveys/${surveyId}/responses/${responseId}` },
			complete: (api) => fromResponse(api, settings, surveyId),
		};
	},
};
