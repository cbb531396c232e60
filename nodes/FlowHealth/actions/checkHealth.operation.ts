import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { healthReport, type Thresholds } from '../../../lib/health/report';
import { healthHtml, healthSubject, healthText } from '../../../lib/health/render';
import type { MetricsStore } from '../../../lib/health/store';
import { forOperation } from '../../shared/forOperation';

const HOUR_MS = 3_600_000;

function hours(displayName: string, name: string, fallback: number, description: string): INodeProperties {
	return { displayName, name, type: 'number', typeOptions: { minValue: 0 }, default: fallback, description };
}

export const description: INodeProperties[] = forOperation('checkHealth', [
	hours('Lookback (Hours)', 'lookbackHours', 24, 'The window the report and the error-rate and latency checks cover, up to now'),
	{
		displayName: 'Max Error Rate (%)',
		name: 'maxErrorRatePercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 5,
		description: 'Alert when more than this share of what a source sent in the window was invalid or failed',
	},
	{
		displayName: 'Min Items',
		name: 'minItems',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'A source with fewer items in the window has its error rate reported but never alerted on: one failure in three is noise',
	},
	hours('Silent After (Hours)', 'silentAfterHours', 24, 'Alert when a known source has sent nothing for this long'),
	{
		displayName: 'Known Sources (Days)',
		name: 'knownSourcesDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'A source counts as known, and can be silent, when it sent anything in this many days',
	},
	{
		displayName: 'Max Latency (Minutes)',
		name: 'maxLatencyMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 15,
		description: "Alert when a source's 95th-percentile time from receipt to its sent outcome is longer",
	},
	{
		displayName: 'Workflow ID',
		name: 'workflowId',
		type: 'string',
		default: '',
		description: "Only this workflow's outcomes. Empty: every workflow that records to this store.",
	},
]);

function number(context: IExecuteFunctions, name: string, fallback: number): number {
	const value = Number(context.getNodeParameter(name, 0, fallback));
	return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * One report of the window: on Alerts when a threshold is crossed (so what follows, an email or a
 * Slack message, runs only then), and always on Report.
 */
export async function execute(this: IExecuteFunctions, store: MetricsStore): Promise<INodeExecutionData[][]> {
	const to = new Date();
	const from = new Date(to.getTime() - number(this, 'lookbackHours', 24) * HOUR_MS);
	const thresholds: Thresholds = {
		maxErrorRate: number(this, 'maxErrorRatePercent', 5) / 100,
		minItems: number(this, 'minItems', 10),
		silentAfterMs: number(this, 'silentAfterHours', 24) * HOUR_MS,
		maxLatencyMs: number(this, 'maxLatencyMinutes', 15) * 60_000,
	};
	const workflowId = (this.getNodeParameter('workflowId', 0, '') as string).trim() || undefined;
	const knownSince = new Date(to.getTime() - number(this, 'knownSourcesDays', 30) * 24 * HOUR_MS);
	const report = healthReport(await store.window(from, to, workflowId), await store.lastSeen(knownSince, workflowId), thresholds, from, to);
	const json = { ...report, subject: healthSubject(report), text: healthText(report), html: healthHtml(report) } as unknown as IDataObject;
	const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
	return [report.healthy ? [] : [item], [{ ...item }]];
}
