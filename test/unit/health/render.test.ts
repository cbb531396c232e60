import { healthReport, type Thresholds } from '../../../lib/health/report';
import { escapeHtml, healthHtml, healthSubject, healthText } from '../../../lib/health/render';

const FROM = new Date('2026-03-01T00:00:00.000Z');
const TO = new Date('2026-03-02T00:00:00.000Z');
const THRESHOLDS: Thresholds = { maxErrorRate: 0.05, minItems: 2, silentAfterMs: 86_400_000, maxLatencyMs: 900_000 };

const rows = [
	{ source: 'google', outcome: 'sent' as const, errorType: null, latencyMs: 30_000 },
	{ source: 'google', outcome: 'sent' as const, errorType: null, latencyMs: 90_000 },
	{ source: 'typeform', outcome: 'failed' as const, errorType: 'http_502', latencyMs: null },
	{ source: 'typeform', outcome: 'sent' as const, errorType: null, latencyMs: 1_000 },
];

describe('health report rendering', () => {
	it('says all is well, or how many alerts and for which sources', () => {
		expect(healthSubject(healthReport(rows.slice(0, 2), new Map(), THRESHOLDS, FROM, TO))).toBe('RevOps health: all well (2 items)');
		const silent = new Map([['webinar', new Date('2026-02-20T00:00:00Z')]]);
		expect(healthSubject(healthReport(rows, silent, THRESHOLDS, FROM, TO))).toBe('RevOps health: 2 alerts (typeform, webinar)');
	});

	it('writes the alerts and every source as text', () => {
		const text = healthText(healthReport(rows, new Map(), THRESHOLDS, FROM, TO));
		expect(text.split('\n')).toEqual([
			'RevOps health: 1 alert (typeform), 2026-03-01T00:00:00.000Z to 2026-03-02T00:00:00.000Z',
			'',
			'Alerts:',
			'- typeform: 50% of 2 items failed or were invalid (1 failed, 0 invalid); the limit is 5.0%',
			'',
			'Per source:',
			'- google: 2 received, 2 sent, 0 duplicate, 0 invalid, 0 failed (0.0% errors), latency p50 30 s, p95 2 min',
			'- typeform: 2 received, 1 sent, 0 duplicate, 0 invalid, 1 failed (50% errors), latency p50 1 s, p95 1 s',
			'- (all): 4 received, 3 sent, 0 duplicate, 0 invalid, 1 failed (25% errors), latency p50 30 s, p95 2 min',
			'',
			'Error types: http_502 1',
		]);
	});

	it('renders a self-contained HTML table with the mix per source, escaping what senders wrote', () => {
		const html = healthHtml(healthReport([...rows, { source: '"><script>x()</script>', outcome: 'sent', errorType: null, latencyMs: null }], new Map(), THRESHOLDS, FROM, TO));
		expect(html).toContain('&quot;&gt;&lt;script&gt;x()&lt;/script&gt;');
		expect(html).not.toMatch(/<script|<link|<style/);
		// a heading row, one per source (google, typeform, the hostile one) and the total
		expect(html.match(/<tr><t[hd] style="padding/g)).toHaveLength(1 + 3 + 1);
		expect(html).toContain('width:50.0%');
		expect(escapeHtml(`a&b<'c'>`)).toBe('a&amp;b&lt;&#39;c&#39;&gt;');
	});
});
