import type { Outcome } from '../../../lib/health/outcome';
import { healthReport, percentile, type Thresholds, type WindowRow } from '../../../lib/health/report';

const FROM = new Date('2026-03-01T00:00:00.000Z');
const TO = new Date('2026-03-02T00:00:00.000Z');
const HOUR = 3_600_000;
const THRESHOLDS: Thresholds = { maxErrorRate: 0.05, minItems: 10, silentAfterMs: 24 * HOUR, maxLatencyMs: 15 * 60_000 };

function rows(source: string, outcome: Outcome, count: number, latencyMs: number | null = 1000, errorType: string | null = null): WindowRow[] {
	return Array.from({ length: count }, () => ({ source, outcome, errorType, latencyMs }));
}

describe('percentile', () => {
	it('takes the nearest rank', () => {
		const values = Array.from({ length: 100 }, (_, index) => index + 1);
		expect([percentile(values, 0.5), percentile(values, 0.95), percentile([7], 0.95), percentile([], 0.5)]).toEqual([50, 95, 7, null]);
	});
});

describe('healthReport', () => {
	it('counts every outcome per source and in all, and sorts error types by count', () => {
		const window = [...rows('google', 'sent', 18), ...rows('google', 'duplicate', 1), ...rows('google', 'invalid', 1, null, 'invalid:required'), ...rows('facebook', 'failed', 2, null, 'http_503')];
		const report = healthReport(window, new Map([['google', TO], ['facebook', TO]]), THRESHOLDS, FROM, TO);
		expect(report.sources.map(({ source }) => source)).toEqual(['facebook', 'google']);
		expect(report.sources[1]).toEqual({ source: 'google', received: 20, valid: 19, sent: 18, duplicate: 1, invalid: 1, failed: 0, errorRate: 0.05, latencyP50Ms: 1000, latencyP95Ms: 1000 });
		expect(report.totals).toMatchObject({ source: '(all)', received: 22, valid: 21, sent: 18, failed: 2, invalid: 1 });
		expect(report.errorTypes).toEqual([{ type: 'http_503', count: 2 }, { type: 'invalid:required', count: 1 }]);
	});

	it('stays healthy at exactly the error-rate limit, and alerts just above it', () => {
		const atLimit = [...rows('google', 'sent', 19), ...rows('google', 'failed', 1)];
		expect(healthReport(atLimit, new Map(), THRESHOLDS, FROM, TO)).toMatchObject({ healthy: true, alerts: [] });
		const above = [...rows('google', 'sent', 18), ...rows('google', 'failed', 2, null, 'http_500')];
		const report = healthReport(above, new Map(), THRESHOLDS, FROM, TO);
		expect(report.healthy).toBe(false);
		expect(report.alerts).toEqual([
			{ check: 'error_rate', source: 'google', value: 0.1, threshold: 0.05, message: 'google: 10% of 20 items failed or were invalid (2 failed, 0 invalid); the limit is 5.0%' },
		]);
	});

	it('reports but never alerts on the error rate of a source with fewer items than the minimum', () => {
		const report = healthReport([...rows('webinar', 'sent', 2), ...rows('webinar', 'failed', 1)], new Map(), THRESHOLDS, FROM, TO);
		expect(report.sources[0].errorRate).toBeCloseTo(1 / 3);
		expect(report.alerts).toEqual([]);
	});

	it('alerts on a 95th-percentile latency above the limit, measured on sent items only', () => {
		const window = [...rows('google', 'sent', 90, 60_000), ...rows('google', 'sent', 10, 20 * 60_000), ...rows('google', 'duplicate', 50, 99 * 60_000)];
		const report = healthReport(window, new Map(), THRESHOLDS, FROM, TO);
		expect(report.sources[0]).toMatchObject({ latencyP50Ms: 60_000, latencyP95Ms: 20 * 60_000 });
		expect(report.alerts).toEqual([
			expect.objectContaining({ check: 'latency', source: 'google', value: 20 * 60_000, message: 'google: 95% of items took up to 20 min from receipt to this step; the limit is 15 min' }),
		]);
	});

	it('alerts on a known source silent for longer than the limit, though it has no row in the window', () => {
		const lastSeen = new Map([
			['google', new Date(TO.getTime() - 2 * HOUR)],
			['facebook', new Date(TO.getTime() - 30 * HOUR)],
		]);
		const report = healthReport(rows('google', 'sent', 3), lastSeen, THRESHOLDS, FROM, TO);
		expect(report.alerts).toEqual([
			{
				check: 'silent_source',
				source: 'facebook',
				value: 30 * HOUR,
				threshold: 24 * HOUR,
				message: 'facebook: nothing received for 30.0 h (last at 2026-02-28T18:00:00.000Z); the limit is 24.0 h',
			},
		]);
	});

	it('gives the same report whatever the order of the rows', () => {
		const window = [...rows('b', 'sent', 5, 10), ...rows('a', 'failed', 12, null, 'error'), ...rows('b', 'sent', 5, 5000)];
		const reversed = [...window].reverse();
		expect(healthReport(reversed, new Map(), THRESHOLDS, FROM, TO)).toEqual(healthReport(window, new Map(), THRESHOLDS, FROM, TO));
	});
});
