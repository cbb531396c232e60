import { toCanonicalNps } from '../../../lib/nps/canonical';
import type { NpsDelivery } from '../../../lib/nps/delivery';
import type { ParseOutcome } from '../../../lib/nps/providers/types';
import { receiveDelivery, type Acceptance, type ReceiverConfig, type Rejection } from '../../../lib/nps/receive';
import { TEST_SECRETS, fixtureJson, fixtureText, qualtricsDelivery, signedDelivery, vector, withChanges } from '../../support/npsSenders';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function config(provider: 'surveymonkey' | 'qualtrics', secrets: string[], npsQuestion?: string): ReceiverConfig {
	return { provider, secrets, auth: { kind: 'signature' }, settings: { scale: '0-10', npsQuestion } };
}

function fetchOf(result: Rejection | Acceptance) {
	if (result.kind !== 'accepted' || result.outcome.kind !== 'fetch') throw new Error(`expected a fetch, got ${JSON.stringify(result)}`);
	return result.outcome;
}

function responseOf(outcome: ParseOutcome) {
	if (outcome.kind !== 'response') throw new Error(`expected a response, got ${JSON.stringify(outcome)}`);
	return outcome;
}

describe('SurveyMonkey', () => {
	const webhook = fixtureJson('surveymonkey.response_completed.docs_example.json');
	const details = fixtureJson('surveymonkey.response_details.constructed.json');

	it('verifies the precomputed vector (key = client id & secret) and asks for the response details', () => {
		const v = vector('surveymonkey');
		const delivery: NpsDelivery = {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'sm-apikey': v.extra_headers!['Sm-Apikey'], 'sm-signature': v.value },
			rawBody: Buffer.from(v.body),
		};
		// The secret as SurveyMonkey shows it (client secret alone) and as the vector spells it (id&secret).
		expect(fetchOf(receiveDelivery(delivery, config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW)).request).toEqual({
			path: '/v3/surveys/123456789/responses/123456/details',
			qs: { simple: 'true' },
		});
		fetchOf(receiveDelivery(delivery, config('surveymonkey', [v.secret]), NOW));
		expect(receiveDelivery({ ...delivery, headers: { ...delivery.headers, 'sm-apikey': 'other-client' } }, config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW)).toMatchObject({ status: 401 });
	});

	it('turns the fetched details into the record: the NPS answer by heading, "10 - Extremely likely" read as 10', () => {
		const fetch = fetchOf(receiveDelivery(signedDelivery('surveymonkey', webhook), config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW));
		const response = responseOf(fetch.complete(details));
		const record = toCanonicalNps(response.draft, { provider: 'surveymonkey', receivedAt: new Date(NOW).toISOString(), isUpdate: false });
		expect(record).toMatchObject({
			response_id: '123456',
			survey_id: '123456789',
			email: 'pat@example.com',
			customer_id: 'CUST-42',
			identity_type: 'email',
			survey_date: '2016-01-01T21:55:02.000Z',
			nps_score: 10,
			nps_segment: 'promoter',
			comment: 'Fast answers from support',
			properties: { plan: 'enterprise' },
		});
		expect(response.version).toBe('2016-01-01T21:56:31.000Z');
	});

	it('400s fetched details whose NPS answer is not a score, naming the API field', () => {
		const fetch = fetchOf(receiveDelivery(signedDelivery('surveymonkey', webhook), config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW));
		const broken = withChanges(details, { 'pages[0].questions[0].answers[0].simple_text': 'Very likely' });
		expect(fetch.complete(broken)).toEqual({
			kind: 'invalid',
			problems: [expect.objectContaining({ field: 'api:pages[0].questions[0].answers[0].simple_text', code: 'not_a_number' })],
		});
	});

	it('acknowledges other events, 400s a non-numeric object id, 401s a wrong secret', () => {
		const created = { ...webhook, event_type: 'collector_created' };
		expect(receiveDelivery(signedDelivery('surveymonkey', created), config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW)).toMatchObject({ outcome: { kind: 'ignored' } });
		const bad = { ...webhook, object_id: '../../users/me' };
		expect(receiveDelivery(signedDelivery('surveymonkey', bad), config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW)).toMatchObject({
			status: 400,
			body: { problems: [expect.objectContaining({ field: 'object_id' })] },
		});
		expect(receiveDelivery(signedDelivery('surveymonkey', webhook, { secret: 'other' }), config('surveymonkey', [TEST_SECRETS.surveymonkey]), NOW)).toMatchObject({ status: 401 });
	});
});

describe('Qualtrics', () => {
	const apiResponse = fixtureJson('qualtrics.response.constructed.json');
	const published: NpsDelivery = {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		rawBody: Buffer.from(fixtureText('qualtrics.completedResponse.kyma_example.form.txt').trim()),
	};

	it('verifies the published example (HMAC-SHA512 of the MSG field) and asks for the response', () => {
		const fetch = fetchOf(receiveDelivery(published, config('qualtrics', ['kyma4ever']), NOW));
		expect(fetch.request).toEqual({ path: '/API/v3/surveys/SV_22VlHYNeldrrrkp/responses/R_1l9mcVuXubb4aGm' });
		expect(receiveDelivery(published, config('qualtrics', ['not-kyma']), NOW)).toMatchObject({ status: 401 });
	});

	it('401s a tampered MSG and a missing HMAC field', () => {
		const tampered = { ...published, rawBody: Buffer.from(published.rawBody.toString().replace('R_1l9mcVuXubb4aGm', 'R_2l9mcVuXubb4aGm')) };
		expect(receiveDelivery(tampered, config('qualtrics', ['kyma4ever']), NOW)).toMatchObject({ status: 401 });
		const unsigned = { ...published, rawBody: Buffer.from(published.rawBody.toString().replace(/^HMAC=[0-9a-f]+&/, '')) };
		expect(receiveDelivery(unsigned, config('qualtrics', ['kyma4ever']), NOW)).toMatchObject({ status: 401 });
	});

	it('reads the question with an _NPS_GROUP as the NPS answer', () => {
		const fetch = fetchOf(receiveDelivery(published, config('qualtrics', ['kyma4ever']), NOW));
		const response = responseOf(fetch.complete(apiResponse));
		expect(toCanonicalNps(response.draft, { provider: 'qualtrics', receivedAt: new Date(NOW).toISOString(), isUpdate: false })).toMatchObject({
			response_id: 'R_1l9mcVuXubb4aGm',
			survey_id: 'SV_22VlHYNeldrrrkp',
			email: 'lee@example.com',
			customer_id: 'EXT-7',
			survey_date: '2019-06-26T13:28:11.374Z',
			nps_score: 6,
			nps_segment: 'detractor',
		});
	});

	it('400s a MSG that is not JSON and a ResponseID that is no Qualtrics id', () => {
		expect(receiveDelivery(qualtricsDelivery('{not json'), config('qualtrics', [TEST_SECRETS.qualtrics]), NOW)).toMatchObject({
			status: 400,
			body: { problems: [expect.objectContaining({ field: 'MSG.(value)' })] },
		});
		const badId = { Status: 'Complete', SurveyID: 'SV_1', ResponseID: '../x', CompletedDate: '2019-06-26 13:28:11' };
		expect(receiveDelivery(qualtricsDelivery(badId), config('qualtrics', [TEST_SECRETS.qualtrics]), NOW)).toMatchObject({
			status: 400,
			body: { problems: [expect.objectContaining({ field: 'MSG.ResponseID' })] },
		});
	});

	it('acknowledges other topics', () => {
		const other = qualtricsDelivery({ SurveyID: 'SV_1' }, TEST_SECRETS.qualtrics, 'brand.surveyengine.startedRecipientSession.SV_1');
		expect(receiveDelivery(other, config('qualtrics', [TEST_SECRETS.qualtrics]), NOW)).toMatchObject({ outcome: { kind: 'ignored' } });
	});
});
