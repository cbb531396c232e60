/**
 * What Normalize Lead adds to every lead beside the fields it parses (lib/lead/normalizeLead.ts): the time it
 * first received the lead, kept when a normalized lead comes through again.
 */
import { createLeadNormalizer } from '../../lib/lead/normalizeLead';

const normalize = createLeadNormalizer({});

describe('received_at', () => {
	it('is the time the lead was normalized, in ISO 8601 UTC', () => {
		const before = Date.now();
		const outcome = normalize({ email: 'ana@acme.com' });
		const after = Date.now();
		expect(outcome.valid).toBe(true);
		if (!outcome.valid) return;
		const receivedAt = Date.parse(outcome.lead.received_at as string);
		expect(outcome.lead.received_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(receivedAt).toBeGreaterThanOrEqual(before);
		expect(receivedAt).toBeLessThanOrEqual(after);
	});

	it("keeps a normalized lead's own arrival (a replay counts on the day the lead first came), and replaces anything else", () => {
		const kept = normalize({ email: 'ana@acme.com', received_at: '2026-11-30T23:59:59.000Z' });
		expect(kept.valid && kept.lead.received_at).toBe('2026-11-30T23:59:59.000Z');
		for (const junk of ['yesterday', '2026-13-45T00:00:00Z', 12, null]) {
			const replaced = normalize({ email: 'ana@acme.com', received_at: junk });
			expect(replaced.valid && replaced.lead.received_at).not.toBe(junk);
			expect(replaced.valid && Date.parse(replaced.lead.received_at as string)).toBeGreaterThan(Date.now() - 60_000);
		}
	});
});
