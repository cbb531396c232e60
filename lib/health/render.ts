/**
 * The health report as a person reads it: a subject line, plain text for chat tools, and a small
 * self-contained HTML page for email (inline styles only, as mail clients drop style sheets).
 * Sources come from webhook senders: everything is escaped.
 */
import { duration, percent, type HealthReport, type SourceHealth } from './report';

export function healthSubject(report: HealthReport): string {
	if (report.healthy) return `RevOps health: all well (${report.totals.received} items)`;
	const sources = [...new Set(report.alerts.map((alert) => alert.source))];
	const count = report.alerts.length;
	return `RevOps health: ${count} alert${count === 1 ? '' : 's'} (${sources.slice(0, 3).join(', ')}${sources.length > 3 ? ', …' : ''})`;
}

function latency(ms: number | null): string {
	return ms === null ? '–' : duration(ms);
}

function sourceLine(health: SourceHealth): string {
	return `${health.source}: ${health.received} received, ${health.sent} sent, ${health.duplicate} duplicate, ${health.invalid} invalid, ${health.failed} failed (${percent(health.errorRate)} errors), latency p50 ${latency(health.latencyP50Ms)}, p95 ${latency(health.latencyP95Ms)}`;
}

export function healthText(report: HealthReport): string {
	const lines = [`${healthSubject(report)}, ${report.from} to ${report.to}`];
	if (report.alerts.length > 0) lines.push('', 'Alerts:', ...report.alerts.map((alert) => `- ${alert.message}`));
	lines.push('', 'Per source:', ...[...report.sources, report.totals].map((health) => `- ${sourceLine(health)}`));
	if (report.errorTypes.length > 0) lines.push('', `Error types: ${report.errorTypes.map(({ type, count }) => `${type} ${count}`).join(', ')}`);
	return lines.join('\n');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

const CELL = 'padding:4px 10px;border-bottom:1px solid #e5e5e5;text-align:right';
const RED = '#c0392b';

/** The outcome mix of a source as one stacked bar: sent, duplicate, invalid, failed. */
function bar(health: SourceHealth): string {
	if (health.received === 0) return '';
	const parts: Array<[number, string]> = [
		[health.sent, '#2e9d5b'],
		[health.duplicate, '#8aa4c8'],
		[health.invalid, '#e0a526'],
		[health.failed, RED],
	];
	const segments = parts
		.filter(([count]) => count > 0)
		.map(([count, colour]) => `<td style="background:${colour};height:10px;width:${((count / health.received) * 100).toFixed(1)}%"></td>`)
		.join('');
	return `<table role="presentation" style="width:160px;border-collapse:collapse"><tr>${segments}</tr></table>`;
}

function sourceRow(health: SourceHealth, alerting: ReadonlySet<string>, total = false): string {
	const style = total ? `${CELL};font-weight:bold` : CELL;
	const errorStyle = alerting.has(health.source) ? `${style};color:${RED};font-weight:bold` : style;
	const cells = [health.received, health.sent, health.duplicate, health.invalid, health.failed].map((count) => `<td style="${style}">${count}</td>`).join('');
	return (
		`<tr><td style="${style};text-align:left">${escapeHtml(health.source)}</td>${cells}` +
		`<td style="${errorStyle}">${percent(health.errorRate)}</td><td style="${style}">${latency(health.latencyP50Ms)}</td><td style="${style}">${latency(health.latencyP95Ms)}</td>` +
		`<td style="${CELL};text-align:left">${bar(health)}</td></tr>`
	);
}

export function healthHtml(report: HealthReport): string {
	const alerting = new Set(report.alerts.map((alert) => alert.source));
	const headings = ['Source', 'Received', 'Sent', 'Duplicate', 'Invalid', 'Failed', 'Errors', 'p50', 'p95', 'Mix']
		.map((heading, index) => `<th style="${CELL};text-align:${index === 0 || index === 9 ? 'left' : 'right'};color:#555">${heading}</th>`)
		.join('');
	const alerts =
		report.alerts.length === 0
			? '<p style="color:#2e9d5b;font-weight:bold">No threshold crossed.</p>'
			: `<ul style="color:${RED};padding-left:18px">${report.alerts.map((alert) => `<li>${escapeHtml(alert.message)}</li>`).join('')}</ul>`;
	const errorTypes =
		report.errorTypes.length === 0 ? '' : `<p style="color:#555">Error types: ${report.errorTypes.map(({ type, count }) => `${escapeHtml(type)} ${count}`).join(', ')}</p>`;
	return [
		'<!doctype html><html><head><meta charset="utf-8"><title>RevOps health</title></head>',
		'<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222;margin:16px">',
		`<h2 style="margin:0 0 4px">${escapeHtml(healthSubject(report))}</h2>`,
		`<p style="color:#555;margin:0 0 12px">${escapeHtml(report.from)} to ${escapeHtml(report.to)}</p>`,
		alerts,
		`<table style="border-collapse:collapse"><tr>${headings}</tr>`,
		...report.sources.map((health) => sourceRow(health, alerting)),
		sourceRow(report.totals, alerting, true),
		'</table>',
		errorTypes,
		'<p style="color:#888;font-size:12px">Sent, duplicate, invalid, failed: green, blue, amber, red. Latency from receipt to the step that recorded the outcome.</p>',
		'</body></html>',
	].join('\n');
}
