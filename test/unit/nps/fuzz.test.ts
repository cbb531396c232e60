/**
 * Property-based fuzzing of every provider adapter with fast-check: 10,000 mutated fixture
 * payloads per provider, correctly signed after mutation so they get past the signature and reach
 * the parser, plus random bodies, content types and signatures. Invariants: nothing throws, no
 * status is 5xx, and a delivery either gets a 4xx, is acknowledged as not an NPS answer, or yields
 * a record that satisfies the canonical schema: nothing invalid can start an execution.
 */
import fc from 'fast-check';

import { toCanonicalNps } from '../../../lib/nps/canonical';
import type { NpsDelivery } from '../../../lib/nps/delivery';
import { isRecord } from '../../../lib/nps/payload';
import { PROVIDERS } from '../../../lib/nps/providers';
import type { ParseOutcome, ProviderId } from '../../../lib/nps/providers/types';
import { receiveDelivery, type ReceiverConfig } from '../../../lib/nps/receive';
import { canonicalNpsResponseSchema } from '../../../lib/schema/nps';
import { SHARED_SECRET_HEADER, TEST_SECRETS, fixtureJson, qualtricsDelivery, signedDelivery } from '../../support/npsSenders';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const RUNS_PER_PROVIDER = 10_000;

const FIXTURES: Record<ProviderId, Record<string, unknown>> = {
	generic: {
		response_id: 'r-1',
		survey_id: 's-1',
		email: 'ana@example.com',
		customer_id: 'c-1',
		survey_date: '2026-02-28T10:00:00Z',
		updated_at: '2026-02-28T11:00:00Z',
		nps_score: 9,
		comment: 'ok',
		themes: ['a'],
		properties: { plan: 'pro' },
	},
	delighted: fixtureJson('delighted.survey_response_updated.zulip.json'),
	typeform: fixtureJson('typeform.form_response.official_example.json'),
	surveymonkey: fixtureJson('surveymonkey.response_completed.docs_example.json'),
	wootric: fixtureJson('wootric.response_created.docs_example.json'),
	qualtrics: { Status: 'Complete', SurveyID: 'SV_22VlHYNeldrrrkp', ResponseID: 'R_1l9mcVuXubb4aGm', CompletedDate: '2019-06-26 13:28:11' },
	survicate: fixtureJson('survicate.questionAnswered.docs_example.json'),
	satismeter: fixtureJson('satismeter.completed.docs_example.json'),
	tally: fixtureJson('tally.form_response.official_example.json'),
	asknicely: fixtureJson('asknicely.response.docs_example.json'),
	fieldMapping: { id: 'x-1', score: '7', who: { email: 'bo@example.com' }, at: '2026-01-01T00:00:00Z', tags: ['t'] },
};

const API_FIXTURES: Partial<Record<ProviderId, Record<string, unknown>>> = {
	surveymonkey: fixtureJson('surveymonkey.response_details.constructed.json'),
	qualtrics: fixtureJson('qualtrics.response.constructed.json'),
};

function config(provider: ProviderId): ReceiverConfig {
	return {
		provider,
		secrets: [TEST_SECRETS[provider]],
		auth: PROVIDERS[provider].authentication === 'shared' ? { kind: 'header', headerName: SHARED_SECRET_HEADER } : { kind: 'signature' },
		settings: {
			scale: '0-10',
			// Survicate's documented example is not an NPS question; naming it sends mutations to the score reader.
			npsQuestion: provider === 'survicate' ? '12123' : provider === 'typeform' ? 'readable_ref_opinion_scale' : undefined,
			fieldMap: { response_id: 'id', nps_score: 'score', email: 'who.email', survey_date: 'at', themes: 'tags' },
		},
	};
}

/** Every path in a JSON value, in the adapters' own path syntax. */
function pathsOf(value: unknown, prefix = ''): string[] {
	if (Array.isArray(value)) return value.flatMap((entry, index) => [`${prefix}[${index}]`, ...pathsOf(entry, `${prefix}[${index}]`)]);
	if (isRecord(value)) {
		return Object.entries(value).flatMap(([key, entry]) => {
			const path = prefix === '' ? key : `${prefix}.${key}`;
			return [path, ...pathsOf(entry, path)];
		});
	}
	return [];
}

/** Sets (or deletes, for undefined) the value at `path` in a copy; tolerant of any shape. */
function mutated(body: unknown, path: string, value: unknown): unknown {
	const copy = structuredClone(body);
	const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((segment) => segment !== '');
	let container: unknown = copy;
	for (const segment of segments.slice(0, -1)) {
		if (typeof container !== 'object' || container === null) return copy;
		container = (container as Record<string, unknown>)[segment];
	}
	if (typeof container !== 'object' || container === null) return copy;
	const last = segments[segments.length - 1];
	if (value === undefined) delete (container as Record<string, unknown>)[last];
	else (container as Record<string, unknown>)[last] = value;
	return copy;
}

/** Values survey payloads get wrong: near-miss scores, wrong types, odd dates, huge and empty strings. */
const nastyValue = fc.oneof(
	fc.jsonValue({ maxDepth: 2 }),
	fc.constantFrom('', ' ', '10', '9.5', '-1', '11', '1e1', 'NaN', 'null', '0x0A', '２', 10.000001, -0, 1e308, 'promoter'),
	fc.constantFrom('2026-02-30T10:00:00Z', '99999-01-01T00:00:00Z', '1700000000', '0', 'yesterday', '2019-06-26 25:61:61'),
	fc.string({ maxLength: 40 }),
	fc.constant(undefined),
	fc.constant('x'.repeat(5000)),
);

function checkOutcome(outcome: ParseOutcome, provider: ProviderId): void {
	if (outcome.kind === 'response') {
		const record = toCanonicalNps(outcome.draft, { provider, receivedAt: new Date(NOW).toISOString(), isUpdate: outcome.updateEvent });
		const parsed = canonicalNpsResponseSchema.safeParse(record);
		if (!parsed.success) throw new Error(`an invalid record would start an execution: ${JSON.stringify(parsed.error.issues)}`);
	} else if (outcome.kind === 'fetch') {
		const api = API_FIXTURES[provider];
		if (api) checkOutcome(outcome.complete(api), provider);
	} else if (outcome.kind === 'invalid') {
		if (outcome.problems.length === 0) throw new Error('a 400 must name at least one problem');
	}
}

function deliver(provider: ProviderId, delivery: NpsDelivery): void {
	const result = receiveDelivery(delivery, config(provider), NOW);
	if (result.kind === 'rejected') {
		if (result.status >= 500 || result.status < 400) throw new Error(`status ${result.status}`);
		return;
	}
	checkOutcome(result.outcome, provider);
}

function signed(provider: ProviderId, body: unknown): NpsDelivery {
	const text = JSON.stringify(body) ?? 'null';
	return provider === 'qualtrics' ? qualtricsDelivery(text) : signedDelivery(provider, text, { nowMs: NOW });
}

const providers = Object.keys(FIXTURES) as ProviderId[];

describe.each(providers)('%s adapter under fuzzing', (provider) => {
	const fixture = FIXTURES[provider];
	const paths = pathsOf(fixture);

	it(`survives ${RUNS_PER_PROVIDER} signed mutations of its documented payload`, () => {
		const mutation = fc.array(fc.tuple(fc.constantFrom(...paths), nastyValue), { minLength: 1, maxLength: 3 });
		fc.assert(
			fc.property(mutation, (changes) => {
				const body = changes.reduce<unknown>((current, [path, value]) => mutated(current, path, value), fixture);
				deliver(provider, signed(provider, body));
			}),
			{ numRuns: RUNS_PER_PROVIDER, seed: 20260301 },
		);
	});

	it('survives random signed JSON and random bytes under random content types', () => {
		const contentType = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', '', 'application/vnd.x+json', 'multipart/form-data', 'text/xml');
		fc.assert(
			fc.property(fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value)), fc.string(), fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('latin1'))), contentType, (text, type) => {
				deliver(provider, provider === 'qualtrics' ? qualtricsDelivery(text) : signedDelivery(provider, text, { nowMs: NOW, contentType: type }));
			}),
			{ numRuns: 2_000, seed: 7 },
		);
	});

	it('401s any delivery whose signature or secret header is random', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.constantFrom('typeform-signature', 'x-delighted-webhook-signature', 'hmac', 'tally-signature', 'x-wootric-signature', 'sm-signature', 'sm-apikey', 'webhook-signature', 'webhook-id', 'webhook-timestamp', SHARED_SECRET_HEADER), fc.string()), (headers) => {
				const body = JSON.stringify(fixture);
				const result = receiveDelivery({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, rawBody: Buffer.from(body) }, config(provider), NOW);
				if (result.kind !== 'rejected' || result.status !== 401) throw new Error(`a forged delivery got ${result.kind === 'rejected' ? result.status : 'accepted'}`);
			}),
			{ numRuns: 1_000, seed: 11 },
		);
	});

	if (API_FIXTURES[provider]) {
		it('survives mutated API answers for the response it fetches', () => {
			const api = API_FIXTURES[provider]!;
			const fetch = receiveDelivery(signed(provider, fixture), config(provider), NOW);
			if (fetch.kind !== 'accepted' || fetch.outcome.kind !== 'fetch') throw new Error('expected a fetch');
			const { complete } = fetch.outcome;
			fc.assert(
				fc.property(fc.array(fc.tuple(fc.constantFrom(...pathsOf(api)), nastyValue), { minLength: 1, maxLength: 3 }), (changes) => {
					checkOutcome(complete(changes.reduce<unknown>((current, [path, value]) => mutated(current, path, value), api)), provider);
				}),
				{ numRuns: RUNS_PER_PROVIDER, seed: 5 },
			);
			checkOutcome(complete(null), provider);
			checkOutcome(complete('<html>'), provider);
		});
	}
});
