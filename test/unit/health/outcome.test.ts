import { detectOutcome, errorTypeOf, outcomeRow, sourceOf, UNKNOWN_SOURCE } from '../../../lib/health/outcome';
import { lead, npsResponse } from '../../fixtures/canonicalRecords';

const RUN = { workflowId: 'wf1', workflowName: 'Lead capture', executionId: '42' };
const NOW = new Date('2026-03-01T10:05:00.000Z');

describe('sourceOf', () => {
	it("names an NPS response's provider", () => {
		expect(sourceOf(npsResponse({ provider: 'delighted' }))).toBe('delighted');
	});

	it("names a lead's latest touch before its original one, then a plain source field", () => {
		const touch = (source: string | null) => ({ source, medium: null, campaign: null, term: null, content: null, click_ids: {}, landing_page: null, referrer: null, at: null });
		expect(sourceOf(lead({ attribution: { original: touch('google'), latest: touch('linkedin') } }))).toBe('linkedin');
		expect(sourceOf(lead({ attribution: { original: touch('google'), latest: touch(null) } }))).toBe('google');
		expect(sourceOf({ utm_source: ' newsletter ' })).toBe('newsletter');
		expect(sourceOf({ email: 'a@b.co' })).toBe(UNKNOWN_SOURCE);
	});

	it('keeps a hostile source short and storable', () => {
		expect(sourceOf({ source: 'x'.repeat(50_000) })).toHaveLength(200);
		expect(sourceOf({ source: 'a\u0000b' })).toBe(JSON.stringify('a\u0000b'));
	});
});

describe('detectOutcome and errorTypeOf', () => {
	it('reads problems as invalid, by their first code', () => {
		const record = { ...lead(), errors: [{ field: 'LastName', code: 'required', message: 'LastName is required' }] };
		expect(detectOutcome(record)).toBe('invalid');
		expect(errorTypeOf(record, 'invalid')).toBe('invalid:required');
	});

	it("reads a refused call's status, and a dead letter without one as a plain error", () => {
		const refused = { ...lead(), failure: { statusCode: 503, body: { message: 'down' } } };
		expect(detectOutcome(refused)).toBe('failed');
		expect(errorTypeOf(refused, 'failed')).toBe('http_503');
		const deadLetter = { ...lead(), _dead_letter: { id: 3, reason: 'timeout' } };
		expect(detectOutcome(deadLetter)).toBe('failed');
		expect(errorTypeOf(deadLetter, 'failed')).toBe('error');
	});

	it("counts a failure the flow labels itself by its code, and never a message as a code", () => {
		const notInCrm = { ...lead(), failure: { code: 'not_in_crm', message: 'no HubSpot record has the email maria@acme.com' } };
		expect(detectOutcome(notInCrm)).toBe('failed');
		expect(errorTypeOf(notInCrm, 'failed')).toBe('not_in_crm');
		expect(errorTypeOf({ failure: { code: 'no record for maria@acme.com' } }, 'failed')).toBe('error');
		expect(errorTypeOf({ failure: { code: 'not_in_crm', statusCode: 404 } }, 'failed')).toBe('http_404');
	});

	it("reads n8n's error output (an HTTP Request refused by the CRM) as failed, with the status", () => {
		const errorOutput = { error: { message: 'Request failed with status code 429', httpCode: '429' } };
		expect(detectOutcome(errorOutput)).toBe('failed');
		expect(errorTypeOf(errorOutput, 'failed')).toBe('http_429');
		expect(detectOutcome({ ...lead(), error: null })).toBe('sent');
	});

	it("reads Dedupe's duplicate annotation, and anything else as sent", () => {
		expect(detectOutcome({ ...lead(), _dedupe: { status: 'duplicate' } })).toBe('duplicate');
		expect(detectOutcome({ ...lead(), _dedupe: { status: 'unique' } })).toBe('sent');
		expect(errorTypeOf(lead(), 'sent')).toBeNull();
	});
});

describe('outcomeRow', () => {
	it('measures the latency from received_at and keys the row by a hash, not by personal data', () => {
		const row = outcomeRow(lead({ received_at: '2026-03-01T10:00:00.000Z' }), RUN, NOW);
		expect(row).toMatchObject({ ...RUN, outcome: 'sent', errorType: null, receivedAt: '2026-03-01T10:00:00.000Z', recordedAt: NOW.toISOString(), latencyMs: 300_000 });
		expect(row.itemKey).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(row)).not.toContain('maria');
	});

	it('gives equal items equal keys whatever their key order, and takes an outcome it is told', () => {
		const a = outcomeRow({ a: 1, b: 2 }, RUN, NOW, { outcome: 'failed' });
		const b = outcomeRow({ b: 2, a: 1 }, RUN, NOW, { outcome: 'failed' });
		expect(a.itemKey).toBe(b.itemKey);
		expect(a.outcome).toBe('failed');
	});

	it('takes the source and receipt time the flow gives when the item is a CRM answer, not the record', () => {
		const answer = { id: '101', properties: { email: 'maria@acme.com' } };
		expect(outcomeRow(answer, RUN, NOW)).toMatchObject({ source: UNKNOWN_SOURCE, latencyMs: null });
		expect(outcomeRow(answer, RUN, NOW, { source: ' linkedin ', receivedAt: '2026-03-01T10:04:00Z' })).toMatchObject({
			source: 'linkedin',
			receivedAt: '2026-03-01T10:04:00.000Z',
			latencyMs: 60_000,
		});
		expect(outcomeRow({ source: 'google' }, RUN, NOW, { source: '' }).source).toBe('google');
	});

	it('takes what an expression gives as it is: a time object or a number, never an object printed as text', () => {
		// n8n hands an expression's value over as it evaluated: {{ $now }} is a Luxon DateTime (ISO from its toString), {{ $json.attribution }} an object
		const luxonLike = { toString: () => '2026-03-01T10:04:00.000Z', year: 2026 };
		expect(outcomeRow({ source: 'google' }, RUN, NOW, { source: { name: 'linkedin' }, receivedAt: luxonLike })).toMatchObject({
			source: 'google',
			receivedAt: '2026-03-01T10:04:00.000Z',
			latencyMs: 60_000,
		});
		expect(outcomeRow({}, RUN, NOW, { source: 42, receivedAt: new Date('2026-03-01T10:04:00Z') })).toMatchObject({ source: '42', latencyMs: 60_000 });
		expect(outcomeRow({ received_at: '2026-03-01T10:04:00Z' }, RUN, NOW, { receivedAt: { at: 'noon' } })).toMatchObject({ latencyMs: 60_000 });
	});

	it('leaves the latency out when the receipt time is missing, unreadable or in the future', () => {
		expect(outcomeRow({}, RUN, NOW).latencyMs).toBeNull();
		expect(outcomeRow({ received_at: 'yesterday-ish' }, RUN, NOW)).toMatchObject({ receivedAt: null, latencyMs: null });
		expect(outcomeRow({ received_at: '2026-03-02T00:00:00Z' }, RUN, NOW).latencyMs).toBeNull();
	});
});
