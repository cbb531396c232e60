import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

import { RuleMatcher } from '../../lib/dedupe/matcher';
import { dedupeAgainstStore, releaseHeld } from '../../lib/dedupe/remember';
import { b2bRules } from '../../lib/dedupe/rules';
import { PostgresRecordStore } from '../../lib/dedupe/store/postgres';
import type { RecordStore } from '../../lib/dedupe/store/recordStore';
import { SqliteRecordStore } from '../../lib/dedupe/store/sqlite';

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const matcher = new RuleMatcher({ rules: b2bRules() });
const remember = (store: RecordStore, history: string, records: Array<Record<string, unknown>>, historySize = 0) =>
	dedupeAgainstStore(store, matcher, records, { history, idField: 'id', historySize });

/** The store as the node uses it, noting the History Size of every prune its claims ask for in `pruned`. */
function countingPrunes(store: RecordStore, pruned: number[]): RecordStore {
	return {
		withClaim: (name, work, keys) => store.withClaim(name, (transaction) => work({ ...transaction, prune: (max) => (pruned.push(max), transaction.prune(max)) }), keys),
		clear: (name) => store.clear(name),
		forget: (matches) => store.forget(matches),
		close: () => store.close(),
	};
}

/** Store behaviour both back ends must share. */
function sharedStoreTests(open: () => Promise<RecordStore>, history: () => string): void {
	it('remembers new records, matches later ones fuzzily and forgets on clear', async () => {
		const store = await open();
		try {
			const first = await remember(store, history(), [{ id: 1, email: 'bob@acme.com', first_name: 'Bob', last_name: 'Jones', company: 'Acme Inc' }]);
			expect(first.classified.unique).toHaveLength(1);
			const second = await remember(store, history(), [
				{ id: 2, email: 'robert.jones@acme.com', first_name: 'Robert', last_name: 'Jones', company: 'ACME LLC' },
				{ id: 3, email: 'ana@globex.com' },
			]);
			expect(second.classified.duplicates.map((entry) => entry.annotation)).toEqual([
				expect.objectContaining({ id: 2, matched_id: 1, matched_in: 'existing', rule: 'name + company' }),
			]);
			expect(second.classified.unique.map((entry) => entry.index)).toEqual([1]);
			expect(await store.clear(history())).toBe(2);
			const third = await remember(store, history(), [{ id: 4, email: 'bob@acme.com' }]);
			expect(third.classified.unique).toHaveLength(1);
		} finally {
			await store.close();
		}
	});

	it('only matches when told not to remember: the history is left as it was', async () => {
		const store = await open();
		const matchOnly = (records: Array<Record<string, unknown>>) =>
			dedupeAgainstStore(store, matcher, records, { history: history(), idField: 'id', historySize: 0, remember: false });
		try {
			await store.clear(history());
			await remember(store, history(), [{ id: 'kept', email: 'kept@initech.com', phone: '+14155552671' }]);
			const first = await matchOnly([{ id: 'new', email: 'new@initech.com' }, { id: 'again', phone: '+1 (415) 555-2671', email: 'again@gmail.com' }]);
			expect(first.classified.unique.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ id: 'new', status: 'unique' })]);
			expect(first.classified.duplicates.map((entry) => entry.annotation)).toEqual([
				expect.objectContaining({ id: 'again', matched_id: 'kept', matched_in: 'existing', rule: 'phone' }),
			]);
			// Not remembered: the same lead is new again, until it is remembered.
			const second = await matchOnly([{ id: 'new', email: 'NEW@initech.com' }]);
			expect(second.classified.unique).toHaveLength(1);
			await remember(store, history(), [{ id: 'new', email: 'new@initech.com' }]);
			const third = await matchOnly([{ id: 'new-2', email: 'new@initech.com' }]);
			expect(third.classified.duplicates.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ id: 'new-2', matched_id: 'new' })]);
			expect(await store.clear(history())).toBe(2);
		} finally {
			await store.close();
		}
	});

	it('gives a returning lead the CRM record id remembered with it (Copy From Match), whichever rule matched', async () => {
		const store = await open();
		const matchOnly = (records: Array<Record<string, unknown>>, copyFromMatch?: string[]) =>
			dedupeAgainstStore(store, matcher, records, { history: history(), idField: 'email', historySize: 0, remember: false, copyFromMatch });
		try {
			await store.clear(history());
			// the flow remembers the lead once the CRM took it, with the id the CRM answered
			await dedupeAgainstStore(store, matcher, [{ email: 'bob@acme.com', first_name: 'Bob', last_name: 'Jones', company: 'Acme Inc', crm: { person_id: 4017 } }], {
				history: history(),
				idField: 'email',
				historySize: 0,
			});
			const returning = [{ email: 'BOB@acme.com', utm_source: 'linkedin' }, { email: 'ana@globex.com' }];
			const { classified } = await matchOnly(returning, ['crm.person_id', 'owner_id']);
			expect(classified.duplicates.map(({ annotation }) => annotation)).toEqual([
				expect.objectContaining({ id: 'BOB@acme.com', matched_id: 'bob@acme.com', from_match: { 'crm.person_id': 4017 } }),
			]);
			expect(classified.unique.map(({ annotation }) => annotation)).toEqual([{ status: 'unique', id: 'ana@globex.com', duplicate_count: 0 }]);
			// a new address, matched by name and company: the id still leads to Bob's record
			const renamed = await matchOnly([{ email: 'robert.jones@acme.com', first_name: 'Robert', last_name: 'Jones', company: 'ACME LLC' }], ['crm.person_id']);
			expect(renamed.classified.duplicates.map(({ annotation }) => annotation)).toEqual([
				expect.objectContaining({ matched_id: 'bob@acme.com', rule: 'name + company', from_match: { 'crm.person_id': 4017 } }),
			]);
			// not asked for: no from_match at all
			const plain = await matchOnly(returning.slice(0, 1));
			expect(plain.classified.duplicates[0].annotation).not.toHaveProperty('from_match');
			await store.clear(history());
		} finally {
			await store.close();
		}
	});

	it('keeps at most the history size, forgetting the oldest', async () => {
		const store = await open();
		try {
			for (let batch = 0; batch < 3; batch++) await remember(store, history(), [{ id: batch, email: `lead${batch}@acme.com` }], 2);
			const again = await remember(store, history(), [{ email: 'lead0@acme.com' }, { email: 'lead2@acme.com' }], 2);
			expect(again.classified.unique.map((entry) => entry.index)).toEqual([0]);
			expect(again.classified.duplicates.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ matched_id: 2 })]);
		} finally {
			await store.close();
		}
	});

	it('prunes to the history size only when a run remembered someone new: a returning lead costs no prune', async () => {
		const store = await open();
		const pruned: number[] = [];
		const counting = countingPrunes(store, pruned);
		try {
			await store.clear(history());
			await remember(counting, history(), [{ id: 'first', email: 'first@acme.com' }], 10);
			await remember(counting, history(), [{ id: 'again', email: 'FIRST@acme.com' }], 10);
			expect(pruned).toEqual([10]);
			await store.clear(history());
		} finally {
			await store.close();
		}
	});

	it('prunes a large history about every hundred new records, not at every run', async () => {
		const store = await open();
		const pruned: number[] = [];
		const counting = countingPrunes(store, pruned);
		try {
			await store.clear(history());
			for (let n = 0; n < 250; n++) await remember(counting, history(), [{ id: n, email: `person${n}@acme${n}.com` }], 5000);
			// ids are the store's own (other tests' records take some): 250 new records meet two or three multiples of 100
			expect(pruned.length).toBeGreaterThan(0);
			expect(pruned.length).toBeLessThan(10);
			await store.clear(history());
		} finally {
			await store.close();
		}
	});

	it('forgets expired records before matching: a person not seen within the maximum age is new again', async () => {
		const store = await open();
		const later = new Date(Date.now() + 2 * 3_600_000);
		const run = (email: string, now: Date) =>
			dedupeAgainstStore(store, matcher, [{ email }], { history: history(), idField: 'id', historySize: 0, maxAgeMs: 3_600_000, now });
		try {
			await store.clear(history());
			await remember(store, history(), [{ id: 'old', email: 'expiring@initech.com' }]);
			expect((await run('expiring@initech.com', new Date())).classified.duplicates).toHaveLength(1);
			expect((await run('expiring@initech.com', later)).classified.unique).toHaveLength(1);
			// and deleted once that run remembered someone new
			expect(await store.forget((record) => record.id === 'old')).toBe(0);
		} finally {
			await store.close();
		}
	});

	it('forgets a person in every history, by what the predicate picks, and finds nothing the second time', async () => {
		const store = await open();
		const tag = `${process.pid}${Date.now()}`;
		const person = (record: Record<string, unknown>) => record.email === `forget-${tag}@initech.com`;
		try {
			await remember(store, history(), [{ id: 1, email: `forget-${tag}@initech.com` }, { id: 2, email: `keep-${tag}@initech.com` }]);
			await remember(store, `${history()}-other`, [{ id: 3, email: `forget-${tag}@initech.com`, phone: '+14155550100' }]);
			expect(await store.forget(person)).toBe(2);
			expect(await store.forget(person)).toBe(0);
			const again = await remember(store, history(), [{ id: 4, email: `forget-${tag}@initech.com` }, { id: 5, email: `keep-${tag}@initech.com` }]);
			expect(again.classified.unique.map((entry) => entry.index)).toEqual([0]);
			await store.clear(`${history()}-other`);
			await store.clear(history());
		} finally {
			await store.close();
		}
	});

	it('lets exactly one of several racing executions take the same new lead as new', async () => {
		const racers = 6;
		for (let round = 0; round < 5; round++) {
			// A different person each round: only the racers of one round share a lead.
			const lead = { email: `ze@acme${round}.com`, first_name: 'Zé', last_name: `Silva ${round}`, company: `Acme ${round}` };
			const stores = await Promise.all(Array.from({ length: racers }, () => open()));
			try {
				const results = await Promise.all(stores.map((store, racer) => remember(store, history(), [{ ...lead, id: `r${round}-${racer}` }])));
				const newCount = results.reduce((total, result) => total + result.classified.unique.length, 0);
				expect(newCount).toBe(1);
			} finally {
				await Promise.all(stores.map((store) => store.close()));
			}
		}
	});
}

/** A store opened on a history made before holds existed (history 'old', one record 'kept') still finds its record while holding; closes it. */
async function expectOldRecordFound(store: RecordStore): Promise<void> {
	try {
		const again = await dedupeAgainstStore(store, matcher, [{ id: 'again', email: 'KEPT@old.com' }], {
			history: 'old',
			idField: 'id',
			historySize: 0,
			remember: false,
			hold: { holdMs: 1000, waitMs: 0 },
		});
		expect(again.classified.duplicates.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ matched_id: 'kept' })]);
	} finally {
		await store.close();
	}
}

/** Holds: Find (match only, holding new records) → the CRM write → Remember Records, as the lead templates do. */
function holdTests(open: () => Promise<RecordStore>, history: () => string): void {
	const find = (store: RecordStore, records: Array<Record<string, unknown>>, hold: { holdMs?: number; waitMs?: number } = {}) =>
		dedupeAgainstStore(store, matcher, records, {
			history: history(),
			idField: 'id',
			historySize: 0,
			remember: false,
			copyFromMatch: ['crm_id'],
			hold: { holdMs: hold.holdMs ?? 60_000, waitMs: hold.waitMs ?? 5_000 },
		});
	/** Runs `work` on an opened store whose history starts empty, closing the store after. */
	const withFreshHistory = async (work: (store: RecordStore) => Promise<void>) => {
		const store = await open();
		try {
			await store.clear(history());
			await work(store);
		} finally {
			await store.close();
		}
	};

	it('lets exactly one of several executions bringing the same new lead at once create it; the others wait and get its CRM id', async () => {
		const cleaner = await open();
		await cleaner.clear(history());
		await cleaner.close();
		const racers = 8;
		const lead = { email: 'hold.race@initech.com', first_name: 'Ana', last_name: 'Costa', company: 'Initech' };
		const stores = await Promise.all(Array.from({ length: racers }, () => open()));
		let creates = 0;
		try {
			const outcomes = await Promise.all(
				stores.map(async (store, racer) => {
					const found = await find(store, [{ ...lead, id: `post ${racer}` }]);
					if (found.classified.unique.length === 0) return found;
					// The CRM create takes a while; every other post arrives meanwhile.
					creates += 1;
					await new Promise((resolve) => setTimeout(resolve, 150));
					await remember(store, history(), [{ ...lead, id: `post ${racer}`, crm_id: 'C-1' }]);
					return found;
				}),
			);
			expect(creates).toBe(1);
			const duplicates = outcomes.flatMap((outcome) => outcome.classified.duplicates.map((entry) => entry.annotation));
			expect(duplicates).toHaveLength(racers - 1);
			for (const annotation of duplicates) expect(annotation).toEqual(expect.objectContaining({ status: 'duplicate', matched_in: 'existing', from_match: { crm_id: 'C-1' } }));
			expect(outcomes.every((outcome) => outcome.inProgress.length === 0)).toBe(true);
		} finally {
			await Promise.all(stores.map((store) => store.close()));
		}
	});

	it('sends a lead held past the wait to in progress, and takes it as new once the hold ended unremembered', () =>
		withFreshHistory(async (store) => {
		const lead = { email: 'crashed@globex.com', first_name: 'Rui', last_name: 'Lima', company: 'Globex' };
		const first = await find(store, [{ ...lead, id: 'crashed run' }], { holdMs: 300 });
		expect(first.classified.unique).toHaveLength(1);
		// The first run never remembers it (its CRM write failed or it crashed).
		const waiting = await find(store, [{ id: 'other', email: 'someone@else.com' }, { ...lead, id: 'retry' }], { waitMs: 0 });
		expect(waiting.inProgress).toEqual([
			{ index: 1, annotation: { status: 'in_progress', id: 'retry', matched_id: 'crashed run', held_until: expect.any(String) } },
		]);
		expect(waiting.classified.unique.map((entry) => entry.index)).toEqual([0]);
		expect(waiting.classified.duplicates).toEqual([]);
		await new Promise((resolve) => setTimeout(resolve, 350));
		const afterHold = await find(store, [{ ...lead, id: 'replay' }], { waitMs: 0 });
		expect(afterHold.classified.unique.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ status: 'unique', id: 'replay' })]);
		expect(afterHold.inProgress).toEqual([]);
		}));

	it('releases a held lead whose write failed: the same lead is new again at once, and remembered records stay', () =>
		withFreshHistory(async (store) => {
		const failed = { email: 'refused@initech.com', first_name: 'Bill', last_name: 'Lumbergh', company: 'Initech' };
		const kept = { id: 'kept', email: 'kept@initech.com' };
		await find(store, [{ ...failed, id: 'first' }, kept]);
		await remember(store, history(), [kept]);
		expect(await releaseHeld(store, matcher, [{ ...failed, id: 'first', failure: { statusCode: 400 } }, kept], { history: history(), idField: 'id' })).toBe(1);
		const again = await find(store, [{ ...failed, id: 'again' }, { id: 'kept again', email: 'kept@initech.com' }], { waitMs: 0 });
		expect(again.classified.unique.map((entry) => entry.annotation.id)).toEqual(['again']);
		expect(again.classified.duplicates.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ id: 'kept again', matched_id: 'kept' })]);
		expect(again.inProgress).toEqual([]);
		}));

	it('remembering a held lead confirms it: it is stored once, with what was written', () =>
		withFreshHistory(async (store) => {
		const lead = { email: 'once@umbrella.com', first_name: 'Eva', last_name: 'Souza', company: 'Umbrella' };
		await find(store, [{ ...lead, id: 'first' }]);
		await remember(store, history(), [{ ...lead, id: 'first', crm_id: 'U-9' }]);
		const returning = await find(store, [{ ...lead, id: 'later' }], { waitMs: 0 });
		expect(returning.classified.duplicates.map((entry) => entry.annotation)).toEqual([expect.objectContaining({ matched_id: 'first', from_match: { crm_id: 'U-9' } })]);
		expect(await store.clear(history())).toBe(1);
		}));
}

describe('PostgreSQL record store', () => {
	const history = `test-${process.pid}-${Date.now()}`;
	afterAll(async () => {
		const client = new Client({ connectionString: PG_URL });
		await client.connect();
		await client.query('DELETE FROM revops_dedupe_records WHERE history = ANY($1::text[])', [[history, `${history}-holds`]]);
		await client.end();
	});
	sharedStoreTests(() => PostgresRecordStore.connect(PG_URL), () => history);
	holdTests(() => PostgresRecordStore.connect(PG_URL), () => `${history}-holds`);

	it('lets claims on unrelated keys run at once, while a claim sharing a key, or on the whole history, waits', async () => {
		const [holder, other, sharing, whole] = await Promise.all([1, 2, 3, 4].map(() => PostgresRecordStore.connect(PG_URL)));
		const events: string[] = [];
		let release: () => void = () => undefined;
		const held = new Promise<void>((resolve) => (release = resolve));
		try {
			const first = holder.withClaim(`${history}-locks`, async () => { events.push('A locked'); await held; events.push('A done'); }, ['0ana@acme.com']);
			await new Promise((resolve) => setTimeout(resolve, 100));
			await other.withClaim(`${history}-locks`, async () => { events.push('B (other keys) ran'); }, ['0bob@globex.com']);
			const third = sharing.withClaim(`${history}-locks`, async () => { events.push('C (shares a key) ran'); }, ['0bob@globex.com', '0ana@acme.com']);
			const fourth = whole.withClaim(`${history}-locks`, async () => { events.push('D (whole history) ran'); });
			await new Promise((resolve) => setTimeout(resolve, 200));
			events.push('A released');
			release();
			await Promise.all([first, third, fourth]);
			expect(events.slice(0, 4)).toEqual(['A locked', 'B (other keys) ran', 'A released', 'A done']);
			expect(events.slice(4).sort()).toEqual(['C (shares a key) ran', 'D (whole history) ran']);
		} finally {
			await Promise.all([holder, other, sharing, whole].map((store) => store.close()));
		}
	});

	it('adds the hold column to a history made before holds, keeping its records', async () => {
		const schema = `dedupe_old_${process.pid}`;
		const admin = new Client({ connectionString: PG_URL });
		await admin.connect();
		try {
			await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
			await admin.query(`CREATE TABLE ${schema}.revops_dedupe_records (id BIGSERIAL PRIMARY KEY, history TEXT NOT NULL, record JSONB NOT NULL,
				created_at TIMESTAMPTZ NOT NULL DEFAULT now(), last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(), seen_count INTEGER NOT NULL DEFAULT 1);
				CREATE TABLE ${schema}.revops_dedupe_keys (history TEXT NOT NULL, block_key TEXT NOT NULL,
				record_id BIGINT NOT NULL REFERENCES ${schema}.revops_dedupe_records (id) ON DELETE CASCADE, PRIMARY KEY (history, block_key, record_id));
				INSERT INTO ${schema}.revops_dedupe_records (history, record) VALUES ('old', '{"id": "kept", "email": "kept@old.com"}');
				INSERT INTO ${schema}.revops_dedupe_keys VALUES ('old', '0kept@old.com', 1)`);
			await expectOldRecordFound(await PostgresRecordStore.connect(`${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`));
		} finally {
			await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
			await admin.end();
		}
	});

	it('names the database when it is unreachable', async () => {
		await expect(PostgresRecordStore.connect('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(
			/PostgreSQL record store is unreachable or unusable: .*ECONNREFUSED/,
		);
	});
});

describe('SQLite record store', () => {
	let folder: string;
	beforeAll(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'dedupe-store-'))));
	afterAll(() => rmSync(folder, { recursive: true, force: true }));
	sharedStoreTests(async () => SqliteRecordStore.open(path.join(folder, 'history.sqlite')), () => 'leads');
	holdTests(async () => SqliteRecordStore.open(path.join(folder, 'history.sqlite')), () => 'held leads');

	it('adds the hold column to a file made before holds, keeping its records', async () => {
		const file = path.join(folder, 'before-holds.sqlite');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
		const old = new DatabaseSync(file);
		old.exec(`CREATE TABLE dedupe_records (id INTEGER PRIMARY KEY AUTOINCREMENT, history TEXT NOT NULL, record TEXT NOT NULL,
			created_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z', last_seen_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z', seen_count INTEGER NOT NULL DEFAULT 1);
			CREATE TABLE dedupe_keys (history TEXT NOT NULL, block_key TEXT NOT NULL, record_id INTEGER NOT NULL, PRIMARY KEY (history, block_key, record_id)) WITHOUT ROWID;
			INSERT INTO dedupe_records (history, record) VALUES ('old', '{"id": "kept", "email": "kept@old.com"}');
			INSERT INTO dedupe_keys VALUES ('old', '0kept@old.com', 1);`);
		old.close();
		await expectOldRecordFound(SqliteRecordStore.open(file));
	});
});
