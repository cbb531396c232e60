/**
 * The long run of the hostile-input suite: many more, and larger, random and adversarial items
 * than `npm test` runs, through the lib entry points and the nodes in n8n's engine. Reports the
 * slowest item per entry point against its time bound (milliseconds allowed grow with the item's
 * size); any item over its bound, any throw, or any item not accounted for exactly once is a
 * failure and the bench exits non-zero.
 *
 * `BENCH_RUNS` (default 300) items per entry point; `BENCH_HUGE` (default 200000) characters in a huge string.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { classifyRecords, mergeClusters } from '../lib/dedupe/dedupe';
import { RuleMatcher } from '../lib/dedupe/matcher';
import { b2bRules } from '../lib/dedupe/rules';
import { createLeadNormalizer } from '../lib/lead/normalizeLead';
import { receiveDelivery, type ReceiverConfig } from '../lib/nps/receive';
import { prepareRows } from '../lib/warehouse/rows';
import { npsResponsesTable } from '../lib/warehouse/tables';
import { hostileRecord, sizeOf, timeBoundMs, type HostileScale } from '../test/support/hostile';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { finish, line } from './_report';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const SCALE: HostileScale = { hugeLength: Number(process.env.BENCH_HUGE ?? 200_000), deepNesting: 2_000 };
const SEED = 1818;
const LEAD = { email: 'ana@acme.com', phone: '+55 11 98765-4321', first_name: 'Ana', last_name: 'Silva', company: 'Acme', country: 'BR' };
const LEAD_FIELDS = ['email', 'phone', 'first_name', 'last_name', 'full_name', 'company', 'country', 'website', 'industry', 'job_title', 'utm_source', 'landing_page', 'referrer', 'created_at', 'attribution', 'id'];
const NPS_FIELDS = ['response_id', 'survey_date', 'nps_score', 'comment', 'themes', 'properties', 'received_at', 'email', 'is_update'];

interface Figures {
	items: number;
	worstMs: number;
	worstShareOfBound: number;
	failures: number;
}

const figures: Record<string, Figures> = {};

function samples<T>(arbitrary: fc.Arbitrary<T>, salt: number): T[] {
	return fc.sample(arbitrary, { seed: SEED + salt, numRuns: RUNS });
}

/** Times `check` on each input; a throw or a time over the bound counts as a failure. */
async function measure<T>(name: string, inputs: T[], check: (input: T) => unknown): Promise<void> {
	const result: Figures = { items: inputs.length, worstMs: 0, worstShareOfBound: 0, failures: 0 };
	for (const input of inputs) {
		const started = performance.now();
		let failed = false;
		try {
			await check(input);
		} catch (error) {
			failed = true;
			if (result.failures === 0) line(`  ${name}: ${(error as Error).message.slice(0, 300)}`);
		}
		const took = performance.now() - started;
		const share = took / timeBoundMs(input);
		if (failed || share > 1) result.failures++;
		result.worstMs = Math.max(result.worstMs, took);
		result.worstShareOfBound = Math.max(result.worstShareOfBound, share);
	}
	result.worstMs = Math.round(result.worstMs * 10) / 10;
	result.worstShareOfBound = Math.round(result.worstShareOfBound * 1000) / 1000;
	figures[name] = result;
	line(`${name}: ${result.items} inputs, slowest ${result.worstMs} ms, ${Math.round(result.worstShareOfBound * 100)}% of its bound at worst, ${result.failures} failures`);
}

function assertEachOnce(indices: number[], count: number): void {
	const sorted = [...indices].sort((a, b) => a - b);
	if (sorted.length !== count || sorted.some((index, position) => index !== position)) throw new Error(`items accounted for: ${JSON.stringify(sorted)} of ${count}`);
}

async function runNode(type: string, parameters: Record<string, unknown>, outputs: number, items: IDataObject[]): Promise<void> {
	const workflow = { nodes: [node('Input', INPUT_NODE_TYPE), node('Node', type, parameters as never)], connections: chain([['Input', 'Node']]) };
	const run = await runWorkflow(workflow, items);
	if (run.error) throw new Error(run.error);
	const paired = Array.from({ length: outputs }, (_, index) => run.output('Node', index))
		.flat()
		.flatMap((item) => (Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem]))
		.map((pair) => (typeof pair === 'number' ? pair : (pair?.item ?? -1)));
	assertEachOnce(paired, items.length);
}

async function main(): Promise<void> {
	line(`hostile input: ${RUNS} inputs per entry point, huge strings of ${SCALE.hugeLength} characters, nesting to ${SCALE.deepNesting} levels`);
	const leads = samples(hostileRecord(LEAD_FIELDS, SCALE, LEAD), 1);
	const batches = samples(fc.array(hostileRecord(LEAD_FIELDS, SCALE, LEAD), { minLength: 1, maxLength: 8 }), 2);
	const npsRecords = samples(fc.array(hostileRecord(NPS_FIELDS, SCALE, { response_id: 'r-1', nps_score: 7 }), { minLength: 1, maxLength: 8 }), 3);
	line(`largest input: ${Math.round(Math.max(...[...leads, ...batches, ...npsRecords].map(sizeOf)) / 1000)} KB`);

	const normalize = createLeadNormalizer();
	await measure('lib normalizeLead', leads, (record) => normalize(record));

	const matcher = new RuleMatcher({ rules: b2bRules() });
	await measure('lib dedupe classify + merge', batches, (records) => {
		const classified = classifyRecords(matcher, records, [], { idField: 'id' });
		assertEachOnce([...classified.unique, ...classified.duplicates].map(({ index }) => index), records.length);
		mergeClusters(classified, records, [], { survivorship: 'longest', sourceFields: ['utm_source'], timestampField: 'created_at', idField: 'id', metaKey: '_dedupe' });
	});

	const spec = npsResponsesTable({ keepUnknownFields: true, dimensions: [] });
	await measure('lib warehouse prepareRows', npsRecords, (records) => {
		const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict: 'update' });
		assertEachOnce([...prepared.rows, ...prepared.failures, ...prepared.duplicates].map(({ index }) => index), records.length);
		for (const row of prepared.rows) void row.cells;
	});

	const receiver: ReceiverConfig = {
		provider: 'fieldMapping',
		secrets: [],
		auth: { kind: 'none' },
		settings: { scale: '0-10', fieldMap: { response_id: 'response_id', nps_score: 'nps_score', email: 'email', survey_date: 'survey_date'} },
	};
	await measure('lib NPS receiveDelivery', npsRecords.map((records) => records[0]), (body) => {
		const result = receiveDelivery({ method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(JSON.stringify(body)) }, receiver, Date.now());
		if (result.kind === 'rejected' && result.status >= 500) throw new Error(`status ${result.status}`);
	});

	const nodeBatches = batches.slice(0, Math.max(1, Math.floor(RUNS / 5))) as IDataObject[][];
	await measure('node Normalize Lead', nodeBatches, (items) => runNode('n8n-nodes-revops.normalizeLead', { defaultCountry: 'BR', options: {} }, 2, items));
	await measure('node Dedupe', nodeBatches, (items) => runNode('n8n-nodes-revops.dedupe', { operation: 'withinInput', preset: 'b2b', options: {} }, 2, items));
	await measure('node Map to CRM Fields', nodeBatches, (items) => runNode('n8n-nodes-revops.mapToCrmFields', { crm: 'hubspot', output: 'records', fieldMappings: {}, options: {} }, 2, items));
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hostile-'));
	try {
		let file = 0;
		await measure('node Warehouse Insert (SQLite)', npsRecords.slice(0, nodeBatches.length) as IDataObject[][], (items) =>
			runNode(
				'n8n-nodes-revops.warehouseInsert',
				{ target: 'sqlite', databaseFile: path.join(dir, `w${file++}.sqlite`), tableKind: 'nps', onConflict: 'update', unknownFields: 'keep', createTable: true, options: {} },
				2,
				items,
			),
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}

	const failures = Object.values(figures).reduce((sum, { failures: count }) => sum + count, 0);
	line(failures === 0 ? 'every input answered in time and accounted for' : `${failures} inputs failed`);
	finish({ bench: 'hostile', runs: RUNS, hugeLength: SCALE.hugeLength, failures, entryPoints: figures });
	if (failures > 0) process.exitCode = 1;
}

void main();
