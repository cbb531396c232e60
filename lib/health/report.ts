/**
 * A flow's health over a window of outcome rows: volume, error rate (by type) and latency per
 * source, and the alerts the thresholds raise. Plain data in, plain data out: the node and the
 * README's SQL say the same thing.
 */
import { ERROR_OUTCOMES, OUTCOMES, type Outcome } from './outcome';

/** What a health check reads of each outcome row in its window. */
export interface WindowRow {
	source: string;
	outcome: Outcome;
	errorType: string | null;
	latencyMs: number | null;
}

export interface Thresholds {
	/** Alert when a source's errors (invalid + failed) exceed this share of what it received (0.05 = 5%). */
	maxErrorRate: number;
	/** The error rate of a source with fewer items than this is reported, never alerted on (one failure in three is noise). */
	minItems: number;
	/** Alert when a source seen before has sent nothing for this long. */
	silentAfterMs: number;
	/** Alert when a source's 95th-percentile latency (receipt to this step) exceeds this. */
	maxLatencyMs: number;
}

export interface SourceHealth {
	source: string;
	received: number;
	valid: number;
	sent: number;
	duplicate: number;
	invalid: number;
	failed: number;
	/** (invalid + failed) / received, 0 when nothing was received. */
	errorRate: number;
	latencyP50Ms: number | null;
	latencyP95Ms: number | null;
}

export type HealthCheck = 'error_rate' | 'silent_source' | 'latency';

export interface Alert {
	check: HealthCheck;
	source: string;
	value: number;
	threshold: number;
	message: string;
}

export interface HealthReport {
	from: string;
	to: string;
	healthy: boolean;
	totals: SourceHealth;
	sources: SourceHealth[];
	errorTypes: Array<{ type: string; count: number }>;
	alerts: Alert[];
}

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
	return sorted[rank - 1];
}

function summarise(source: string, rows: readonly WindowRow[]): SourceHealth {
	const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
	for (const row of rows) counts[row.outcome]++;
	const errors = rows.filter((row) => ERROR_OUTCOMES.has(row.outcome)).length;
	const latencies = rows
		.filter((row) => row.outcome === 'sent' && row.latencyMs !== null)
		.map((row) => row.latencyMs as number)
		.sort((a, b) => a - b);
	return {
		source,
		received: rows.length,
		valid: rows.length - counts.invalid,
		...counts,
		errorRate: rows.length === 0 ? 0 : errors / rows.length,
		latencyP50Ms: percentile(latencies, 0.5),
		latencyP95Ms: percentile(latencies, 0.95),
	};
}

/** 4.2% under 10%, 12% above. */
export function percent(rate: number): string {
	return `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

/** 45 s, 12 min, 2.5 h. */
export function duration(ms: number): string {
	if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
	if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
	return `${(ms / 3_600_000).toFixed(1)} h`;
}

function sourceAlerts(health: SourceHealth, thresholds: Thresholds): Alert[] {
	const alerts: Alert[] = [];
	const { source } = health;
	if (health.received >= thresholds.minItems && health.errorRate > thresholds.maxErrorRate) {
		alerts.push({
			check: 'error_rate',
			source,
			value: health.errorRate,
			threshold: thresholds.maxErrorRate,
			message: `${source}: ${percent(health.errorRate)} of ${health.received} items failed or were invalid (${health.failed} failed, ${health.invalid} invalid); the limit is ${percent(thresholds.maxErrorRate)}`,
		});
	}
	if (health.latencyP95Ms !== null && health.latencyP95Ms > thresholds.maxLatencyMs) {
		alerts.push({
			check: 'latency',
			source,
			value: health.latencyP95Ms,
			threshold: thresholds.maxLatencyMs,
			message: `${source}: 95% of items took up to ${duration(health.latencyP95Ms)} from receipt to this step; the limit is ${duration(thresholds.maxLatencyMs)}`,
		});
	}
	return alerts;
}

/**
 * The report of the window [from, to]: `rows` are its outcome rows, `lastSeen` the latest item of
 * every source known from a longer period (a source that went silent has no row in the window).
 */
export function healthReport(rows: readonly WindowRow[], lastSeen: ReadonlyMap<string, Date>, thresholds: Thresholds, from: Date, to: Date): HealthReport {
	const bySource = new Map<string, WindowRow[]>();
	for (const row of rows) {
		const list = bySource.get(row.source);
		if (list) list.push(row);
		else bySource.set(row.source, [row]);
	}
	const sources = [...bySource.keys()].sort().map((source) => summarise(source, bySource.get(source) as WindowRow[]));
	const alerts = sources.flatMap((health) => sourceAlerts(health, thresholds));
	for (const [source, seen] of [...lastSeen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const silence = to.getTime() - seen.getTime();
		if (silence <= thresholds.silentAfterMs) continue;
		alerts.push({
			check: 'silent_source',
			source,
			value: silence,
			threshold: thresholds.silentAfterMs,
			message: `${source}: nothing received for ${duration(silence)} (last at ${seen.toISOString()}); the limit is ${duration(thresholds.silentAfterMs)}`,
		});
	}
	const errorTypes = new Map<string, number>();
	for (const { errorType } of rows) if (errorType !== null) errorTypes.set(errorType, (errorTypes.get(errorType) ?? 0) + 1);
	return {
		from: from.toISOString(),
		to: to.toISOString(),
		healthy: alerts.length === 0,
		totals: summarise('(all)', rows),
		sources,
		errorTypes: [...errorTypes].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1)),
		alerts,
	};
}
