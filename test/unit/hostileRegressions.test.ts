/**
 * Regressions of issue 18 (hostile input), one describe per numbered case. Cases 3, 4 and 8 also
 * run through the Warehouse Insert node in test/workflow/hostileInput.workflow.test.ts.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseSync } from 'node:sqlite';

import { createCrmMapper } from '../../lib/crm/mapper';
import { jaroWinkler } from '../../lib/dedupe/similarity';
import { COMPARATORS } from '../../lib/dedupe/comparators';
import { SqliteRecordStore } from '../../lib/dedupe/store/sqlite';
import { mergeCluster } from '../../lib/dedupe/survivorship';
import { normalizeCountry } from '../../lib/lead/country';
import { createLeadNormalizer, INPUT_LENGTH_LIMITS } from '../../lib/lead/normalizeLead';
import { PROVIDERS } from '../../lib/nps/providers';
import { createTableSql } from '../../lib/warehouse/dialects';
import { prepareRows } from '../../lib/warehouse/rows';
import { openSqlite } from '../../lib/warehouse/sqlite';
import { customTable, npsResponsesTable } from '../../lib/warehouse/tables';
import { npsResponses } from '../fixtures/npsResponses';
import { fixtureJson } from '../support/npsSenders';

/** Milliseconds `work` took. The bounds below are 10-100 times what the fixed code needs, and far below the old code's seconds. */
function elapsed(work: () => unknown): number {
	const started = performance.now();
	work();
	return performance.now() - started;
}

describe('1. free-text lead fields parse in bounded, linear time', () => {
	it('a country of 100,000 spaces between two characters is rejected at once', () => {
		const hostile = `1${' '.repeat(100_000)}a`;
		let result: ReturnType<typeof normalizeCountry> | undefined;
		expect(elapsed(() => (result = normalizeCountry(hostile)))).toBeLessThan(500);
		expect(result?.errors[0]?.code).toBe('unknown_country');
	});

	it('still reads an article written last', () => {
		expect(normalizeCountry('Netherlands, The').value).toBe('NL');
		expect(normalizeCountry('Bahamas (the)').value).toBe('BS');
		expect(normalizeCountry('Bahamas ( the )').value).toBe('BS');
		expect(normalizeCountry('Bahamas (foo)').value).toBeNull();
	});

	it('Normalize Lead reports a field over its length limit as too_long, without parsing it', () => {
		const normalize = createLeadNormalizer();
		const outcome = normalize({ email: 'a@acme.com', country: `1${' '.repeat(200_000)}a`, job_title: 'CTO' });
		expect(outcome.valid).toBe(false);
		if (outcome.valid) return;
		expect(outcome.errors).toEqual([
			{ field: 'country', code: 'too_long', message: `country has 200002 characters; at most ${INPUT_LENGTH_LIMITS.country} are accepted` },
		]);
		expect(normalize({ email: 'a@acme.com', country: 'x'.repeat(INPUT_LENGTH_LIMITS.country) }).valid).toBe(false);
		expect(normalize({ email: 'a@acme.com', city: 'x'.repeat(INPUT_LENGTH_LIMITS.city) }).valid).toBe(true);
	});
});

describe('1 (found by the hostile suite). Map to CRM Fields checks phones in linear time', () => {
	it('a phone of 8,000 spaces between two characters is refused at once, a longer one as too long', () => {
		const map = createCrmMapper({ crm: 'hubspot' });
		let outcome: ReturnType<typeof map> | undefined;
		expect(elapsed(() => (outcome = map({ email: 'a@acme.com', first_name: 'A', last_name: 'B', phone: `1${' '.repeat(8_000)}a` } as never)))).toBeLessThan(40);
		expect(JSON.stringify(outcome)).toContain('invalid_phone');
		expect(elapsed(() => (outcome = map({ email: 'a@acme.com', phone: `1${' '.repeat(50_000)}a` } as never)))).toBeLessThan(40);
		expect(JSON.stringify(outcome)).toContain('too_long');
		expect(JSON.stringify(map({ email: 'a@acme.com', phone: '+1 415 555 2671 ext. 12' } as never))).not.toContain('invalid_phone');
	});
});

describe('2. Jaro-Winkler compares a capped prefix', () => {
	it('two 50,000-character names compare in well under a second', () => {
		const a = 'a'.repeat(25_000) + 'b'.repeat(25_000);
		const b = 'b'.repeat(25_000) + 'a'.repeat(25_000);
		expect(elapsed(() => jaroWinkler(a, b))).toBeLessThan(100);
		expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
	});

	it('a person name of 25,000 words costs no more than a short one', () => {
		const name = COMPARATORS.personName;
		const many = name.prepare('a '.repeat(25_000), {} as never);
		const other = name.prepare('b '.repeat(25_000), {} as never);
		expect(many).not.toBeNull();
		expect(elapsed(() => name.similarity(many!, other!))).toBeLessThan(100);
	});
});

describe('3 and 5. values no database stores as read fail their row alone', () => {
	const nps = npsResponsesTable({ keepUnknownFields: true, dimensions: [] });

	it('an out-of-range survey_date (1e16) and a custom timestamp of 1e20 are Failed rows with a clear reason', () => {
		const records: Array<Record<string, unknown>> = npsResponses(8);
		records[5] = { ...records[5], survey_date: 1e16 };
		const { rows, failures } = prepareRows(records, nps, { unknownFields: 'keep', onConflict: 'skip' });
		expect(rows.map(({ index }) => index)).toEqual([0, 1, 2, 3, 4, 6, 7]);
		expect(failures).toEqual([
			expect.objectContaining({ index: 5, reason: "Column 'survey_date' 10000000000000000 is not a time between 0001-01-01 and 9999-12-31" }),
		]);
		for (const row of rows) expect(() => row.cells).not.toThrow();

		const spec = customTable({ table: 't', keepUnknownFields: false, columns: [{ column: 'id', type: 'text' }, { column: 'at', type: 'timestamp' }], key: ['id'] });
		const custom = prepareRows([{ id: 'a', at: 1e20 }, { id: 'b', at: new Date(Number.NaN) }, { id: 'c', at: 0 }], spec, { unknownFields: 'ignore', onConflict: 'skip' });
		expect(custom.failures.map(({ index, reason }) => [index, reason])).toEqual([
			[0, "Column 'at' 100000000000000000000 is not a time between 0001-01-01 and 9999-12-31"],
			[1, "Column 'at' Invalid Date is not a time between 0001-01-01 and 9999-12-31"],
		]);
		expect(custom.rows[0].cells).toEqual(['c', '1970-01-01T00:00:00.000Z']);
	});

	it('text with a lone surrogate, anywhere in the row, is Failed instead of being changed', () => {
		const records: Array<Record<string, unknown>> = npsResponses(4);
		records[0] = { ...records[0], comment: 'a\ud800b' };
		records[1] = { ...records[1], properties: { nested: ['ok', 'x\udc00'] } };
		records[2] = { ...records[2], 'odd\ud800key': 1 };
		records[3] = { ...records[3], comment: 'paired 😀 is fine' };
		const { rows, failures } = prepareRows(records, nps, { unknownFields: 'keep', onConflict: 'skip' });
		expect(failures.map(({ index, reason }) => [index, reason])).toEqual([
			[0, "Column 'raw_text' contains a lone UTF-16 surrogate, which no database stores as sent"],
			[1, "Column 'properties' contains a lone UTF-16 surrogate, which no database stores as sent"],
			[2, "Field 'odd\ud800key' has a lone UTF-16 surrogate, which no database stores as sent"],
		]);
		expect(rows.map(({ index }) => index)).toEqual([3]);
	});
});

describe('4. keys are equal when the target holds them as equal', () => {
	it('the number 1 and the text 1 are one key; so are two spellings of one instant, except on SQLite', () => {
		const ids = customTable({ table: 'ids', keepUnknownFields: false, columns: [{ column: 'id', type: 'text' }], key: ['id'] });
		const byId = prepareRows([{ id: 1 }, { id: '1' }, { id: 2 }], ids, { unknownFields: 'ignore', onConflict: 'update', dialect: 'postgres' });
		expect(byId.rows.map(({ index }) => index)).toEqual([1, 2]);
		expect(byId.duplicates).toEqual([{ index: 0, writtenAs: 0 }]);

		const times = customTable({ table: 'times', keepUnknownFields: false, columns: [{ column: 'at', type: 'timestamp' }], key: ['at'] });
		const instants = [{ at: '2026-01-01T00:00:00Z' }, { at: '2026-01-01T01:00:00.000+01:00' }];
		expect(prepareRows(instants, times, { unknownFields: 'ignore', onConflict: 'update', dialect: 'postgres' }).rows).toHaveLength(1);
		expect(prepareRows(instants, times, { unknownFields: 'ignore', onConflict: 'update', dialect: 'sqlite' }).rows).toHaveLength(2);

		const counts = customTable({ table: 'n', keepUnknownFields: false, columns: [{ column: 'n', type: 'integer' }, { column: 'm', type: 'text' }], key: ['n', 'm'] });
		expect(prepareRows([{ n: 7, m: 1 }, { n: '07', m: '1' }], counts, { unknownFields: 'ignore', onConflict: 'skip' }).rows).toHaveLength(1);
	});
});

describe('6. keys named __proto__ never change an object\'s prototype', () => {
	const polluted = () => JSON.parse('{"__proto__": {"polluted": true}, "plan": "pro"}') as Record<string, unknown>;

	it('Dedupe\'s merged record keeps __proto__ as a plain field', () => {
		const merged = mergeCluster([{ id: 1, ...polluted() }, { id: 2 }], {
			survivorship: 'newestNonEmpty',
			sourceFields: [],
			idField: 'id',
			metaKey: '_dedupe',
		});
		expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
		expect((merged as { polluted?: unknown }).polluted).toBeUndefined();
		expect(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value).toEqual({ polluted: true });
	});

	it('an out-of-range Timestamp Field leaves arrival order and no time, instead of failing the merge', () => {
		const merged = mergeCluster([{ id: 1, at: 1e16 }, { id: 2, at: 5 }], {
			survivorship: 'oldest',
			sourceFields: [],
			timestampField: 'at',
			idField: 'id',
			metaKey: '_dedupe',
		});
		expect((merged._dedupe as { activity: Array<{ id: number; at: string | null }> }).activity).toEqual([
			expect.objectContaining({ id: 1, at: null }),
			expect.objectContaining({ id: 2, at: '1970-01-01T00:00:00.005Z' }),
		]);
	});

	it('Typeform and Tally hidden fields land in properties as plain fields', () => {
		const typeform = fixtureJson('typeform.form_response.official_example.json') as { form_response: Record<string, unknown> };
		const form = typeform.form_response as { hidden: Record<string, unknown>; answers: unknown[]; definition: { fields: unknown[] } };
		form.hidden = polluted();
		form.definition.fields.push({ id: 'npsFieldId', type: 'nps', ref: 'nps_ref' });
		form.answers.push({ type: 'number', number: 3, field: { id: 'npsFieldId', type: 'nps' } });
		const tally = fixtureJson('tally.form_response.official_example.json') as { data: { fields: unknown[] } };
		tally.data.fields.push({ key: 'h', label: '__proto__', type: 'HIDDEN_FIELDS', value: { polluted: true } });

		for (const [provider, body] of [['typeform', typeform], ['tally', tally]] as const) {
			const outcome = PROVIDERS[provider].parse(body as Record<string, unknown>, { scale: '0-10' } as never);
			if (outcome.kind !== 'response') throw new Error(`${provider}: expected a response, got ${outcome.kind}`);
			const properties = outcome.draft.properties as Record<string, unknown>;
			expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
			expect(properties.polluted).toBeUndefined();
			expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({ polluted: true });
		}
	});

	it('Normalize Lead keeps an unknown __proto__ field as a plain field', () => {
		const outcome = createLeadNormalizer()({ email: 'a@acme.com', ...polluted() });
		if (!outcome.valid) throw new Error(JSON.stringify(outcome.errors));
		expect(Object.getPrototypeOf(outcome.lead)).toBe(Object.prototype);
		expect((outcome.lead as { polluted?: unknown }).polluted).toBeUndefined();
		expect(Object.getOwnPropertyDescriptor(outcome.lead, '__proto__')?.value).toEqual({ polluted: true });
	});
});

describe('7. the SQLite record store queues on the real path and never busy-waits the event loop', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-store-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	/** Longest pause of a 5 ms timer while `work` runs: how long the event loop was blocked. */
	async function longestStall(work: () => Promise<unknown>): Promise<number> {
		let last = performance.now();
		let longest = 0;
		const timer = setInterval(() => {
			const now = performance.now();
			longest = Math.max(longest, now - last);
			last = now;
		}, 5);
		try {
			await work();
		} finally {
			clearInterval(timer);
		}
		return longest;
	}

	it('two spellings of one file (a symlink) share one claim queue', async () => {
		const file = path.join(dir, 'store.sqlite');
		const first = SqliteRecordStore.open(file);
		const link = path.join(dir, 'link.sqlite');
		symlinkSync(file, link);
		const second = SqliteRecordStore.open(link);
		try {
			const order: string[] = [];
			const stall = await longestStall(() =>
				Promise.all([
					first.withClaim('h', async () => {
						order.push('first in');
						await sleep(200);
						order.push('first out');
					}),
					second.withClaim('h', async () => {
						order.push('second in');
					}),
				]),
			);
			expect(order).toEqual(['first in', 'first out', 'second in']);
			expect(stall).toBeLessThan(1000);
		} finally {
			await first.close();
			await second.close();
		}
	}, 60_000);

	it('waits for another connection\'s write lock between tries, not inside one statement', async () => {
		const file = path.join(dir, 'store.sqlite');
		const store = SqliteRecordStore.open(file);
		const other: DatabaseSync = openSqlite(file);
		other.exec('BEGIN IMMEDIATE');
		setTimeout(() => other.exec('COMMIT'), 300);
		try {
			let claimed = false;
			const stall = await longestStall(() => store.withClaim('h', async () => (claimed = true)));
			expect(claimed).toBe(true);
			expect(stall).toBeLessThan(1000);
		} finally {
			if (other.isTransaction) other.exec('ROLLBACK');
			other.close();
			await store.close();
		}
	}, 60_000);
});

describe('8. SQLite\'s timestamp CHECK lets NULL through where the column allows it', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-null-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('a NULL received_at is stored; a timestamp that is no date is still refused', () => {
		const db = openSqlite(path.join(dir, 'w.sqlite'));
		try {
			db.exec(createTableSql('sqlite', customTable({ table: 't', keepUnknownFields: false, columns: [{ column: 'id', type: 'text' }, { column: 'at', type: 'timestamp' }], key: ['id'] })));
			db.prepare('INSERT INTO t (id, at) VALUES (?, ?)').run('a', null);
			expect(() => db.prepare('INSERT INTO t (id, at) VALUES (?, ?)').run('b', 'not a date')).toThrow(/CHECK constraint failed/);
			expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
		} finally {
			db.close();
		}
	});
});
