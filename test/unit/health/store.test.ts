import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { outcomeRow, type Outcome } from '../../../lib/health/outcome';
import { PostgresMetricsStore } from '../../../lib/health/postgres';
import { SqliteMetricsStore } from '../../../lib/health/sqlite';
import type { MetricsStore } from '../../../lib/health/store';
import { pgConnection, useScratchSchema } from '../../support/postgres';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function row(index: number, source: string, outcome: Outcome, minutes: number, executionId = `e${index}`) {
	const record = { email: `p${index}@x.com`, source, received_at: T0.toISOString(), ...(outcome === 'failed' ? { failure: { statusCode: 502 } } : {}) };
	return outcomeRow(record, { workflowId: 'wf1', workflowName: 'Lead capture', executionId }, at(minutes), { outcome });
}

function sharedStoreTests(open: () => Promise<MetricsStore>) {
	let store: MetricsStore;
	beforeEach(async () => {
		store = await open();
	});
	afterEach(async () => store.close());

	it('adds each item once per execution and outcome, however often it is recorded', async () => {
		const first = [row(1, 'google', 'sent', 1), row(2, 'google', 'failed', 2)];
		expect(await store.record(first)).toBe(2);
		expect(await store.record([...first, row(3, 'facebook', 'sent', 3)])).toBe(1);
		// The same item in another execution (a replay) is another row.
		expect(await store.record([row(2, 'google', 'sent', 4, 'replay-1')])).toBe(1);
		const window = await store.window(at(0), at(10));
		expect(window).toHaveLength(4);
		expect(window).toContainEqual({ source: 'google', outcome: 'failed', errorType: 'http_502', latencyMs: 120_000 });
	});

	it('records large batches in several statements', async () => {
		const batch = Array.from({ length: 250 }, (_, index) => row(index, 'csv', 'sent', 1));
		expect(await store.record(batch)).toBe(250);
		expect(await store.window(at(0), at(2))).toHaveLength(250);
	});

	it('reads a window of time and one workflow', async () => {
		await store.record([row(1, 'google', 'sent', 1), row(2, 'google', 'sent', 30)]);
		await store.record([outcomeRow({ source: 'tally' }, { workflowId: 'wf2', workflowName: 'NPS', executionId: '9' }, at(5), { outcome: 'sent' })]);
		expect((await store.window(at(0), at(10))).map(({ source }) => source).sort()).toEqual(['google', 'tally']);
		expect(await store.window(at(0), at(60), 'wf2')).toEqual([{ source: 'tally', outcome: 'sent', errorType: null, latencyMs: null }]);
	});

	it('knows when each source was last seen, and forgets rows older than the retention', async () => {
		await store.record([row(1, 'google', 'sent', 1), row(2, 'google', 'sent', 50), row(3, 'facebook', 'sent', 20)]);
		expect(await store.lastSeen(at(0))).toEqual(new Map([['google', at(50)], ['facebook', at(20)]]));
		expect(await store.lastSeen(at(30))).toEqual(new Map([['google', at(50)]]));
		expect(await store.expire(at(25))).toBe(2);
		expect(await store.window(at(0), at(100))).toHaveLength(1);
	});
}

describe('SQLite flow-metrics store', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-metrics-'));
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	sharedStoreTests(() => SqliteMetricsStore.open(path.join(dir, 'nested', 'metrics.sqlite')));
});

describe('PostgreSQL flow-metrics store (real server at PG_URL)', () => {
	const { schema } = useScratchSchema('metrics');
	let counter = 0;

	sharedStoreTests(() => PostgresMetricsStore.connect(pgConnection(), `${schema}.flow_metrics_${++counter}`));
});
