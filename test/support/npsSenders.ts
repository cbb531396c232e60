/**
 * Plays the survey tools in tests and benches: builds deliveries signed exactly as each provider
 * documents it (using the shared signature vectors' secrets), from fixture payloads.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { NpsDelivery } from '../../lib/nps/delivery';
import type { ProviderId } from '../../lib/nps/providers/types';

/** test/fixtures/nps, from the sources (tests) or from a bundle run in the project root (benches). */
export const FIXTURES = [path.join(__dirname, '..', 'fixtures', 'nps'), path.join(process.cwd(), 'test', 'fixtures', 'nps')].find((dir) => existsSync(dir)) ?? '';

export function fixtureText(name: string): string {
	return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixtureJson(name: string): Record<string, unknown> {
	return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

interface SignatureVector {
	provider: string;
	header?: string;
	secret: string;
	body: string;
	value: string;
	headers?: Record<string, string>;
	extra_headers?: Record<string, string>;
}

const SIGNATURE_VECTORS = JSON.parse(fixtureText('signature-vectors.json')) as SignatureVector[];

export function vector(provider: string): SignatureVector {
	const found = SIGNATURE_VECTORS.find((entry) => entry.provider === provider);
	if (!found) throw new Error(`no signature vector for ${provider}`);
	return found;
}

/** The secret each provider signs with in these tests (the vectors' own, where there is one). */
export const TEST_SECRETS: Record<ProviderId, string> = {
	generic: vector('standard-webhooks').secret,
	delighted: vector('delighted').secret,
	typeform: vector('typeform').secret,
	surveymonkey: vector('surveymonkey').secret.split('&')[1],
	wootric: vector('wootric').secret,
	qualtrics: vector('qualtrics').secret,
	survicate: vector('survicate').secret,
	satismeter: 'shared-secret-satismeter',
	tally: vector('tally').secret,
	asknicely: 'shared-secret-asknicely',
	fieldMapping: 'shared-secret-mapping',
};

/** Header the unsigned providers are configured to carry the shared secret in. */
export const SHARED_SECRET_HEADER = 'x-nps-secret';

const hmacOf = (algorithm: string, key: string | Buffer, data: string | Buffer, encoding: 'hex' | 'base64') =>
	createHmac(algorithm, key).update(data).digest(encoding);

export interface SendOptions {
	secret?: string;
	contentType?: string;
	/** Standard Webhooks: signing time (ms) and message id. */
	nowMs?: number;
	webhookId?: string;
}

/** The headers a provider would send with `body`, signed with `secret`. */
export function signatureHeaders(provider: ProviderId, body: string, options: SendOptions = {}): Record<string, string> {
	const secret = options.secret ?? TEST_SECRETS[provider];
	switch (provider) {
		case 'generic': {
			const id = options.webhookId ?? 'msg_test_1';
			const timestamp = String(Math.floor((options.nowMs ?? Date.now()) / 1000));
			const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
			return {
				'webhook-id': id,
				'webhook-timestamp': timestamp,
				'webhook-signature': `v1,${hmacOf('sha256', key, `${id}.${timestamp}.${body}`, 'base64')}`,
			};
		}
		case 'typeform':
			return { 'typeform-signature': `sha256=${hmacOf('sha256', secret, body, 'base64')}` };
		case 'delighted':
			return { 'x-delighted-webhook-signature': `sha256=${hmacOf('sha256', secret, body, 'hex')}` };
		case 'wootric':
			return { 'x-wootric-signature': `sha1=${hmacOf('sha1', secret, body, 'hex')}` };
		case 'survicate':
			return { hmac: hmacOf('sha256', secret, body, 'hex') };
		case 'tally':
			return { 'tally-signature': hmacOf('sha256', secret, body, 'base64') };
		case 'surveymonkey': {
			const clientId = vector('surveymonkey').extra_headers?.['Sm-Apikey'] ?? 'test-client-id';
			return { 'sm-apikey': clientId, 'sm-signature': hmacOf('sha1', `${clientId}&${secret}`, body, 'base64') };
		}
		case 'qualtrics':
			return {};
		default:
			return { [SHARED_SECRET_HEADER]: secret };
	}
}

/** A POST from `provider` carrying `body` (an object is sent as compact JSON), signed. */
export function signedDelivery(provider: ProviderId, body: string | object, options: SendOptions = {}): NpsDelivery {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return {
		method: 'POST',
		headers: { 'content-type': options.contentType ?? 'application/json', ...signatureHeaders(provider, text, options) },
		rawBody: Buffer.from(text, 'utf8'),
	};
}

/** A Qualtrics event: urlencoded `Topic`, `MSG` (JSON) and `HMAC` (hex HMAC-SHA512 of MSG). */
export function qualtricsDelivery(message: object | string, secret = TEST_SECRETS.qualtrics, topic = 'brand.surveyengine.completedResponse.SV_1'): NpsDelivery {
	const msg = typeof message === 'string' ? message : JSON.stringify(message);
	const form = new URLSearchParams({ Topic: topic, MSG: msg, HMAC: hmacOf('sha512', secret, msg, 'hex') });
	return {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		rawBody: Buffer.from(form.toString(), 'utf8'),
	};
}

/**
 * A deep copy of `body` with values set at dot paths (`a.b[2].c`); `undefined` deletes the key
 * and a path ending in `[]` appends to the array. Tests build bad and variant payloads this way.
 */
export function withChanges(body: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
	const copy = structuredClone(body);
	for (const [path, value] of Object.entries(changes)) {
		const segments = path
			.replace(/\[(\d*)\]/g, '.$1')
			.split('.')
			.map((segment) => (segment === '' ? '[]' : /^\d+$/.test(segment) ? Number(segment) : segment));
		let container = copy as Record<string | number, unknown>;
		for (const segment of segments.slice(0, -1)) container = container[segment] as Record<string | number, unknown>;
		const last = segments[segments.length - 1];
		if (last === '[]') (container as unknown as unknown[]).push(value);
		else if (value === undefined) delete container[last];
		else container[last] = value;
	}
	return copy;
}
