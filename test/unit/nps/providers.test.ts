import { toCanonicalNps } from '../../../lib/nps/canonical';
import type { NpsDelivery } from '../../../lib/nps/delivery';
import { PROVIDERS } from '../../../lib/nps/providers';
import type { ProviderId, ProviderSettings } from '../../../lib/nps/providers/types';
import { receiveDelivery, type Acceptance, type ReceiverConfig, type Rejection } from '../../../lib/nps/receive';
import { canonicalNpsResponseSchema } from '../../../lib/schema/nps';
import {
	SHARED_SECRET_HEADER,
	TEST_SECRETS,
	fixtureJson,
	fixtureText,
	signedDelivery,
	vector,
	withChanges,
} from '../../support/npsSenders';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function config(provider: ProviderId, settings: Partial<ProviderSettings> = {}, secrets = [TEST_SECRETS[provider]]): ReceiverConfig {
	const auth: ReceiverConfig['auth'] =
		PROVIDERS[provider]?.authentication === 'shared' ? { kind: 'header', headerName: SHARED_SECRET_HEADER } : { kind: 'signature' };
	return { provider, secrets, auth, settings: { scale: '0-10', ...settings } };
}

function receive(provider: ProviderId, delivery: NpsDelivery, settings: Partial<ProviderSettings> = {}, secrets?: string[]) {
	return receiveDelivery(delivery, config(provider, settings, secrets), NOW);
}

function accepted(result: Rejection | Acceptance): Acceptance {
	if (result.kind !== 'accepted') throw new Error(`expected acceptance, got ${result.status} ${JSON.stringify(result.body)}`);
	return result;
}

/** The canonical record a valid delivery turns into (first delivery of the response). */
function recordOf(provider: ProviderId, result: Rejection | Acceptance) {
	const { outcome } = accepted(result);
	if (outcome.kind !== 'response') throw new Error(`expected a response, got ${outcome.kind}`);
	const record = toCanonicalNps(outcome.draft, { provider, receivedAt: new Date(NOW).toISOString(), isUpdate: outcome.updateEvent });
	expect(canonicalNpsResponseSchema.safeParse(record).success).toBe(true);
	return { record, outcome };
}

function rejectedWith(result: Rejection | Acceptance, status: number): Rejection {
	if (result.kind !== 'rejected') throw new Error(`expected ${status}, got an acceptance`);
	expect(result.status).toBe(status);
	return result;
}

function problemFields(result: Rejection | Acceptance): string[] {
	return rejectedWith(result, 400).body.problems?.map((problem) => problem.field) ?? [];
}

describe('signature schemes against published and precomputed vectors', () => {
	const rawVector = (provider: string, headers: Record<string, string>): NpsDelivery => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(vector(provider).body, 'utf8'),
	});

	it.each([
		['typeform', 'typeform'],
		['delighted', 'delighted'],
		['wootric', 'wootric'],
		['survicate', 'survicate'],
		['tally', 'tally'],
	] as Array<[string, ProviderId]>)('%s vector verifies', (name, provider) => {
		const v = vector(name);
		const delivery = rawVector(name, { [v.header!.toLowerCase()]: v.value });
		expect(PROVIDERS[provider]!.verify!(delivery, [v.secret], NOW)).toBe(true);
		expect(PROVIDERS[provider]!.verify!(delivery, ['not-the-secret'], NOW)).toBe(false);
	});

	it('Standard Webhooks published vector verifies at its own timestamp and not 6 minutes later', () => {
		const v = vector('standard-webhooks');
		const delivery = rawVector('standard-webhooks', { ...v.headers, 'webhook-signature': v.value });
		const signedAt = Number(v.headers!['webhook-timestamp']) * 1000;
		expect(PROVIDERS.generic!.verify!(delivery, [v.secret], signedAt + 1000)).toBe(true);
		expect(PROVIDERS.generic!.verify!(delivery, [v.secret], signedAt + 6 * 60 * 1000)).toBe(false);
		expect(PROVIDERS.generic!.verify!(delivery, [v.secret], signedAt - 6 * 60 * 1000)).toBe(false);
	});
});

describe('generic JSON (Standard Webhooks)', () => {
	const body = {
		response_id: 'r-1',
		survey_id: 's-1',
		email: ' Ana@Example.COM ',
		customer_id: 42,
		survey_date: '2026-02-28T10:00:00-03:00',
		nps_score: '9',
		comment: 'Great support',
		themes: ['support', ' speed ', 3],
		properties: { plan: 'pro' },
	};

	it('turns a signed delivery into the canonical record', () => {
		const { record, outcome } = recordOf('generic', receive('generic', signedDelivery('generic', body, { nowMs: NOW, webhookId: 'msg_1' })));
		expect(record).toEqual({
			response_id: 'r-1',
			provider: 'generic',
			survey_id: 's-1',
			identity_key: 'ana@example.com',
			identity_type: 'email',
			email: 'ana@example.com',
			customer_id: '42',
			survey_date: '2026-02-28T13:00:00.000Z',
			nps_score: 9,
			nps_segment: 'promoter',
			comment: 'Great support',
			themes: ['support', 'speed'],
			properties: { plan: 'pro' },
			received_at: '2026-03-01T12:00:00.000Z',
			is_update: false,
		});
		expect(outcome.version).toBe('2026-02-28T13:00:00.000Z');
	});

	it('401s a replayed delivery whose signed timestamp is older than five minutes', () => {
		const old = signedDelivery('generic', body, { nowMs: NOW - 5 * 60 * 1000 - 1000 });
		rejectedWith(receive('generic', old), 401);
	});

	it('401s a delivery whose timestamp header was moved forward after signing', () => {
		const delivery = signedDelivery('generic', body, { nowMs: NOW - 10 * 60 * 1000 });
		delivery.headers['webhook-timestamp'] = String(Math.floor(NOW / 1000));
		rejectedWith(receive('generic', delivery), 401);
	});

	it('accepts a delivery signed with a previous secret while it is still listed (rotation)', () => {
		const oldSecret = 'whsec_' + Buffer.from('an older secret key').toString('base64');
		const delivery = signedDelivery('generic', body, { nowMs: NOW, secret: oldSecret });
		accepted(receive('generic', delivery, {}, [TEST_SECRETS.generic, oldSecret]));
		rejectedWith(receive('generic', delivery, {}, [TEST_SECRETS.generic]), 401);
	});

	it('marks a later updated_at as an update', () => {
		const { record } = recordOf('generic', receive('generic', signedDelivery('generic', { ...body, updated_at: '2026-03-01T11:00:00Z' }, { nowMs: NOW })));
		expect(record.is_update).toBe(true);
	});

	it.each([
		[{ nps_score: 9.5 }, 'nps_score', 'not_an_integer'],
		[{ nps_score: '11' }, 'nps_score', 'out_of_range'],
		[{ nps_score: -1 }, 'nps_score', 'out_of_range'],
		[{ nps_score: true }, 'nps_score', 'not_a_number'],
		[{ nps_score: null }, 'nps_score', 'missing'],
		[{ response_id: '' }, 'response_id', 'missing'],
		[{ survey_date: 'yesterday' }, 'survey_date', 'invalid_date'],
		[{ survey_date: '2026-02-30T10:00:00Z' }, 'survey_date', 'invalid_date'],
		[{ email: 'not an email' }, 'email', 'invalid_email'],
		[{ properties: 'plan=pro' }, 'properties', 'not_an_object'],
	])('400 for %j naming %s', (change, field, code) => {
		const result = rejectedWith(receive('generic', signedDelivery('generic', { ...body, ...change }, { nowMs: NOW })), 400);
		expect(result.body.problems).toEqual([expect.objectContaining({ field, code })]);
		expect(result.body.problems![0].message).toContain(field);
	});

	it('reports every bad field at once', () => {
		expect(problemFields(receive('generic', signedDelivery('generic', { nps_score: 'x' }, { nowMs: NOW })))).toEqual([
			'survey_date',
			'response_id',
			'nps_score',
		]);
	});

	it('on the 1-10 scale rejects 0 and accepts 1 and 10', () => {
		const at = (score: number) => receive('generic', signedDelivery('generic', { ...body, nps_score: score }, { nowMs: NOW }), { scale: '1-10' });
		expect(problemFields(at(0))).toEqual(['nps_score']);
		expect(recordOf('generic', at(1)).record.nps_segment).toBe('detractor');
		expect(recordOf('generic', at(10)).record.nps_segment).toBe('promoter');
	});

	it('400s malformed JSON and 415s a body it cannot read', () => {
		expect(problemFields(receive('generic', signedDelivery('generic', '{"response_id": ', { nowMs: NOW })))).toEqual(['(body)']);
		expect(problemFields(receive('generic', signedDelivery('generic', '[1,2]', { nowMs: NOW })))).toEqual(['(body)']);
		const xml = signedDelivery('generic', '<nps score="9"/>', { nowMs: NOW, contentType: 'application/xml' });
		expect(rejectedWith(receive('generic', xml), 415).body.problems?.[0].field).toBe('content-type');
	});

	it('reads vendor JSON content types', () => {
		accepted(receive('generic', signedDelivery('generic', body, { nowMs: NOW, contentType: 'application/vnd.acme.nps+json; charset=utf-8' })));
	});
});

describe('Typeform', () => {
	const official = fixtureJson('typeform.form_response.official_example.json');
	/** The official example plus a Net Promoter Score question answered 3 (a detractor). */
	const withNps = withChanges(official, {
		'form_response.definition.fields[]': { id: 'npsFieldId', title: 'How likely...', type: 'nps', ref: 'nps_ref' },
		'form_response.answers[]': { type: 'number', number: 3, field: { id: 'npsFieldId', type: 'nps' } },
	});

	it('verifies the official example against its precomputed signature', () => {
		const v = vector('typeform');
		const delivery: NpsDelivery = { method: 'POST', headers: { 'content-type': 'application/json', 'typeform-signature': v.value }, rawBody: Buffer.from(v.body) };
		expect(accepted(receive('typeform', delivery)).outcome.kind).toBe('ignored');
	});

	it('reads the NPS question answer, never calculated.score (9) or other number answers', () => {
		const { record } = recordOf('typeform', receive('typeform', signedDelivery('typeform', withNps)));
		expect(record).toMatchObject({
			response_id: 'a3a12ec67a1365927098a606107fac15',
			survey_id: 'lT4Z3j',
			email: 'laura@example.com',
			identity_type: 'email',
			customer_id: 'abc123456',
			survey_date: '2018-01-18T18:17:02.000Z',
			nps_score: 3,
			nps_segment: 'detractor',
			comment: expect.stringContaining("It's cold right now"),
			properties: { variable_score: 4, variable_name: 'typeform' },
		});
	});

	it('reads the question the node names by ref', () => {
		const { record } = recordOf('typeform', receive('typeform', signedDelivery('typeform', official), { npsQuestion: 'readable_ref_opinion_scale' }));
		expect(record.nps_score).toBe(2);
	});

	it('acknowledges a response without an NPS answer without starting anything', () => {
		expect(accepted(receive('typeform', signedDelivery('typeform', official))).outcome).toMatchObject({ kind: 'ignored' });
	});

	it('400s an out-of-range NPS answer naming the answer', () => {
		const bad = withChanges(withNps, { 'form_response.answers[13].number': 12 });
		expect(problemFields(receive('typeform', signedDelivery('typeform', bad)))).toEqual(['form_response.answers[13].number']);
	});

	it('401s a tampered body, a wrong secret and a missing signature', () => {
		const delivery = signedDelivery('typeform', withNps);
		rejectedWith(receive('typeform', { ...delivery, rawBody: Buffer.from(delivery.rawBody.toString().replace('"number":3', '"number":10')) }), 401);
		rejectedWith(receive('typeform', signedDelivery('typeform', withNps, { secret: 'wrong' })), 401);
		rejectedWith(receive('typeform', { ...delivery, headers: { 'content-type': 'application/json' } }), 401);
	});
});

describe('Delighted', () => {
	const fixture = fixtureJson('delighted.survey_response_updated.zulip.json');

	it('turns the documented survey_response.updated into an update record', () => {
		const { record, outcome } = recordOf('delighted', receive('delighted', signedDelivery('delighted', fixture)));
		expect(record).toEqual({
			response_id: '5435',
			provider: 'delighted',
			survey_id: null,
			identity_key: 'charlie_gravis@example.com',
			identity_type: 'email',
			email: 'charlie_gravis@example.com',
			customer_id: null,
			survey_date: '2016-12-24T14:23:29.000Z',
			nps_score: 9,
			nps_segment: 'promoter',
			comment: 'Your service is fast and flawless!',
			themes: [],
			properties: {},
			received_at: '2026-03-01T12:00:00.000Z',
			is_update: true,
		});
		expect(outcome.version).toBe('2016-12-24T14:33:29.000Z');
	});

	it('reads the customer id from person properties and keeps the others', () => {
		const body = withChanges(fixture, { 'event_data.person_properties': { 'Customer ID': 'C-9', Plan: 'Pro' } });
		const { record } = recordOf('delighted', receive('delighted', signedDelivery('delighted', body)));
		expect(record).toMatchObject({ customer_id: 'C-9', properties: { Plan: 'Pro' } });
	});

	it('acknowledges CSAT/CES responses and non-response events without a record', () => {
		const csat = withChanges(fixture, { 'event_data.survey_type': 'csat' });
		expect(accepted(receive('delighted', signedDelivery('delighted', csat))).outcome).toMatchObject({ kind: 'ignored' });
		const unsubscribe = { event_type: 'unsubscribe.created', event_id: 'e1', event_data: {} };
		expect(accepted(receive('delighted', signedDelivery('delighted', unsubscribe))).outcome).toMatchObject({ kind: 'ignored', eventType: 'unsubscribe.created' });
	});

	it('400s a decimal score naming event_data.score', () => {
		const bad = withChanges(fixture, { 'event_data.score': 8.5 });
		expect(problemFields(receive('delighted', signedDelivery('delighted', bad)))).toEqual(['event_data.score']);
	});

	it('401s a wrong secret and a missing signature', () => {
		rejectedWith(receive('delighted', signedDelivery('delighted', fixture, { secret: 'other-key' })), 401);
		rejectedWith(receive('delighted', { ...signedDelivery('delighted', fixture), headers: { 'content-type': 'application/json' } }), 401);
	});
});

describe('Wootric', () => {
	const fixture = fixtureJson('wootric.response_created.docs_example.json');
	const expected = {
		response_id: '1128',
		survey_id: '1146',
		email: 'nps@example.com',
		customer_id: '123abc',
		identity_type: 'email',
		survey_date: '2016-08-04T20:57:26.558Z',
		nps_score: 7,
		nps_segment: 'passive',
		comment: null,
		properties: { pricing_plan: 'Enterprise', product_plan: 'Web App' },
		is_update: false,
	};

	it('reads the JSON delivery', () => {
		expect(recordOf('wootric', receive('wootric', signedDelivery('wootric', fixture))).record).toMatchObject(expected);
	});

	it('reads the urlencoded delivery to the same record', () => {
		const form = fixtureText('wootric.response_created.docs_example.urlencoded.txt').trim();
		const { record } = recordOf('wootric', receive('wootric', signedDelivery('wootric', form, { contentType: 'application/x-www-form-urlencoded' })));
		expect(record).toMatchObject({ ...expected, survey_date: '2016-08-04T20:57:26.000Z' });
	});

	it('acknowledges declines and CES surveys', () => {
		const decline = { decline: { id: 1, end_user_id: 30 }, event_name: 'created', survey_mode: 'NPS' };
		expect(accepted(receive('wootric', signedDelivery('wootric', decline))).outcome).toMatchObject({ kind: 'ignored', eventType: 'decline' });
		expect(accepted(receive('wootric', signedDelivery('wootric', { ...fixture, survey_mode: 'CES' }))).outcome.kind).toBe('ignored');
	});

	it('400s a missing response id', () => {
		const bad = withChanges(fixture, { 'response.id': undefined });
		expect(problemFields(receive('wootric', signedDelivery('wootric', bad)))).toEqual(['response.id']);
	});

	it('401s a tampered body', () => {
		const delivery = signedDelivery('wootric', fixture);
		rejectedWith(receive('wootric', { ...delivery, rawBody: Buffer.from(delivery.rawBody.toString().replace('"score":7', '"score":10')) }), 401);
	});
});

describe('Survicate', () => {
	const docs = fixtureJson('survicate.questionAnswered.docs_example.json');
	const npsChoice = fixtureJson('survicate.nps_choice_snippet.json').choice;
	const nps = withChanges(docs, {
		'event.questionAnswered.type': 'nps',
		'event.questionAnswered.choice': npsChoice,
		'event.questionAnswered.respondent.attributes': { email: 'ana@example.com', plan: 'pro' },
	});

	it('takes the score from choice.id and never from the label in choice.body', () => {
		const { record } = recordOf('survicate', receive('survicate', signedDelivery('survicate', nps)));
		expect(record).toMatchObject({
			response_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
			survey_id: 'b92b6ecae6dd7207',
			email: 'ana@example.com',
			survey_date: '2019-05-10T06:46:02.000Z',
			nps_score: 9,
			nps_segment: 'promoter',
			properties: { plan: 'pro' },
		});
	});

	it('acknowledges answers to other questions (the documented example is a choice question)', () => {
		expect(accepted(receive('survicate', signedDelivery('survicate', docs))).outcome.kind).toBe('ignored');
	});

	it('400s a named NPS question whose choice id is no 0-10 score', () => {
		expect(problemFields(receive('survicate', signedDelivery('survicate', docs), { npsQuestion: '12123' }))).toEqual([
			'event.questionAnswered.choice.id',
		]);
	});

	it('401s a missing Hmac header', () => {
		rejectedWith(receive('survicate', { ...signedDelivery('survicate', nps), headers: { 'content-type': 'application/json' } }), 401);
	});
});

describe('Tally', () => {
	const fixture = fixtureJson('tally.form_response.official_example.json');
	const linearScaleIndex = (fixture.data as { fields: Array<{ type: string }> }).fields.findIndex((field) => field.type === 'LINEAR_SCALE');

	it('reads the linear scale answer, never the calculated Score (20)', () => {
		const { record } = recordOf('tally', receive('tally', signedDelivery('tally', fixture)));
		expect(record).toMatchObject({
			response_id: '2wgx4n',
			survey_id: 'VwbNEw',
			email: 'alice@example.com',
			survey_date: '2023-06-28T15:00:21.000Z',
			nps_score: 7,
			nps_segment: 'passive',
			comment: 'Hello world',
			properties: { utm_campaign: 'newsletter' },
		});
	});

	it('reads a field named by label', () => {
		expect(recordOf('tally', receive('tally', signedDelivery('tally', fixture), { npsQuestion: 'Number' })).record.nps_score).toBe(10);
	});

	it('400s a named field holding a decimal', () => {
		const bad = withChanges(fixture, { [`data.fields[${linearScaleIndex}].value`]: 7.5 });
		expect(problemFields(receive('tally', signedDelivery('tally', bad)))).toEqual([expect.stringMatching(/^data\.fields\[\d+\]\.value$/)]);
	});

	it('401s a wrong secret', () => {
		rejectedWith(receive('tally', signedDelivery('tally', fixture, { secret: 'nope' })), 401);
	});
});

describe('SatisMeter (unsigned, shared-secret header)', () => {
	const fixture = fixtureJson('satismeter.completed.docs_example.json');

	it('reads rating as the score and never a -100..100 score field', () => {
		const body = withChanges(fixture, { 'response.score': -40 });
		const { record } = recordOf('satismeter', receive('satismeter', signedDelivery('satismeter', body)));
		expect(record).toMatchObject({
			response_id: '00000000000000',
			email: 'homer@simpson.com',
			customer_id: '1234',
			survey_date: '2015-07-31T19:48:07.648Z',
			nps_score: 9,
			nps_segment: 'promoter',
			comment: 'You are awesome!',
			properties: { country: 'US' },
		});
	});

	it('acknowledges a response without a rating (another survey type)', () => {
		const body = withChanges(fixture, { 'response.rating': undefined });
		expect(accepted(receive('satismeter', signedDelivery('satismeter', body))).outcome.kind).toBe('ignored');
	});

	it('401s a missing or wrong shared secret when one is configured, and accepts any delivery when auth is off', () => {
		const delivery = signedDelivery('satismeter', fixture);
		rejectedWith(receive('satismeter', { ...delivery, headers: { 'content-type': 'application/json' } }), 401);
		rejectedWith(receive('satismeter', signedDelivery('satismeter', fixture, { secret: 'guess' })), 401);
		const open = receiveDelivery({ ...delivery, headers: { 'content-type': 'application/json' } }, { ...config('satismeter'), auth: { kind: 'none' } }, NOW);
		accepted(open);
	});

	it('checks a signed provider\'s signature unless the user chose no authentication', () => {
		const delighted = fixtureJson('delighted.survey_response_updated.zulip.json');
		const unsigned: NpsDelivery = { ...signedDelivery('delighted', delighted), headers: { 'content-type': 'application/json' } };
		rejectedWith(receive('delighted', unsigned), 401);
		accepted(receiveDelivery(unsigned, { ...config('delighted'), secrets: [], auth: { kind: 'none' } }, NOW));
	});

	it('accepts basic auth with the configured user and a listed secret', () => {
		const basic = (user: string, password: string): NpsDelivery => ({
			...signedDelivery('satismeter', fixture),
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
		});
		const basicConfig: ReceiverConfig = { ...config('satismeter'), auth: { kind: 'basicAuth', username: 'satismeter' } };
		accepted(receiveDelivery(basic('satismeter', TEST_SECRETS.satismeter), basicConfig, NOW));
		rejectedWith(receiveDelivery(basic('someone', TEST_SECRETS.satismeter), basicConfig, NOW), 401);
		rejectedWith(receiveDelivery(basic('satismeter', 'wrong'), basicConfig, NOW), 401);
	});
});

describe('AskNicely (unsigned, shared-secret header)', () => {
	const fixture = fixtureJson('asknicely.response.docs_example.json');

	it('reads the string score and the Unix timestamps', () => {
		const { record, outcome } = recordOf('asknicely', receive('asknicely', signedDelivery('asknicely', fixture)));
		expect(record).toMatchObject({
			response_id: '345094',
			email: 'tester@asknice.ly',
			survey_date: new Date(1774990125 * 1000).toISOString(),
			nps_score: 10,
			comment: 'The gym was great, love it!',
			properties: { segment: 'general', delivery_method: 'email' },
			is_update: false,
		});
		expect(outcome.version).toBe('1');
	});

	it('treats a higher count as an update of the same response', () => {
		const { record, outcome } = recordOf('asknicely', receive('asknicely', signedDelivery('asknicely', { ...fixture, count: 2 })));
		expect(record.is_update).toBe(true);
		expect(outcome.version).toBe('2');
	});

	it('400s a score of "ten"', () => {
		const bad = withChanges(fixture, { 'question.score': 'ten' });
		expect(problemFields(receive('asknicely', signedDelivery('asknicely', bad)))).toEqual(['question.score']);
	});
});

describe('field mapping', () => {
	const fieldMap = {
		response_id: 'submission.id',
		nps_score: 'submission.answers[0].value',
		email: 'submission.respondent',
		comment: 'submission.answers[1].value',
		survey_id: 'form',
		event_type: 'kind',
		nps_event_values: ['nps_response'],
	};
	const body = {
		kind: 'nps_response',
		form: 'google-form-1',
		submission: { id: 'row-17', respondent: 'bo@example.com', answers: [{ value: '6' }, { value: 'Too slow' }] },
	};

	it('reads the paths the user mapped and dates the response at receipt when no date is mapped', () => {
		const { record } = recordOf('fieldMapping', receive('fieldMapping', signedDelivery('fieldMapping', body), { fieldMap }));
		expect(record).toMatchObject({
			response_id: 'row-17',
			survey_id: 'google-form-1',
			email: 'bo@example.com',
			nps_score: 6,
			nps_segment: 'detractor',
			comment: 'Too slow',
			survey_date: '2026-03-01T12:00:00.000Z',
		});
	});

	it('ignores events not listed as NPS responses', () => {
		expect(accepted(receive('fieldMapping', signedDelivery('fieldMapping', { ...body, kind: 'ping' }), { fieldMap })).outcome.kind).toBe('ignored');
	});

	it('400s a missing mapped score, naming the mapped path', () => {
		const bad = withChanges(body, { 'submission.answers': [] });
		expect(problemFields(receive('fieldMapping', signedDelivery('fieldMapping', bad), { fieldMap }))).toEqual(['submission.answers[0].value']);
	});
});
