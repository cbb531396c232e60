import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PostgresDeadLetterStore } from '../../../lib/deadLetters/postgres';
import { SqliteDeadLetterStore } from '../../../lib/deadLetters/sqlite';
import { dueCutoffs, retryDelayMs, type DeadLetterStore, type Failure, type ReplayPolicy } from '../../../lib/deadLetters/store';
import { openSqlite } from '../../../lib/warehouse/sqlite';
import { pgConnection, useScratchSchema } from '../../support/postgres';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const POLICY: ReplayPolicy = { firstDelayMs: 60_000, maxDelayMs: 3_600_000, maxAttempts: 4, claimMs: 600_000, limit: 100 };

function failure(key: string, overrides: Partial<Failure> = {}): Failure {
	return {
		workflowId: 'wf1',
		workflowName: 'Lead capture',
		step: 'Send to CRM',
		key,
		keySource: 'field:email_match_key',
		reason: 'HubSpot: 503 Service Unavailable',
		itemJson: JSON.stringify({ email: key }),
		...overrides,
	};
}

describe('backoff', () => {
	it('doubles the wait per failed attempt up to the maximum', () => {
		expect([1, 2, 3, 4, 10, 60].map((attempts) => retryDelayMs(attempts, POLICY))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
	});

	it('gives one cutoff per attempt count until the wait stops growing', () => {
		const policy = { ...POLICY, maxAttempts: 100, maxDelayMs: 300_000 };
		expect(dueCutoffs(policy, at(0))).toEqual([at(-60), at(-120), at(-240), at(-300)].map((date) => date.toISOString()));
	});
});

function sharedStoreTests(open: () => Promise<DeadLetterStore>) {
	let store: DeadLetterStore;
	beforeEach(async () => {
		store = await open();
	});
	afterEach(async () => {
		await store.close();
	});

	it('forgets the entries a predicate picks, whatever their status, and nothing more on a second pass', async () => {
		const [kept] = [await store.record(failure('keep@acme.com'), at(0))];
		const pending = await store.record(failure('maria@acme.com'), at(0));
		const other = await store.record(failure('m2', { step: 'Warehouse', itemJson: '{"body":{"email":"maria@acme.com"}}' }), at(1));
		await store.resolve(other.id, 'fixed by hand', at(2));
		const picks = (entry: { item: unknown; key: string }) => entry.key === 'maria@acme.com' || JSON.stringify(entry.item).includes('maria@acme.com');
		expect(await store.forget(picks)).toBe(2);
		expect(await store.forget(picks)).toBe(0);
		expect((await store.list({ limit: 10 })).map((entry) => entry.id)).toEqual([kept.id]);
		expect(pending.id).not.toBe(kept.id);
	});

	it('expires entries whose last failure is older than the cutoff, in any status', async () => {
		const old = await store.record(failure('old@acme.com'), at(0));
		await store.resolve(old.id, 'done', at(10));
		await store.record(failure('older@acme.com'), at(5));
		const recent = await store.record(failure('recent@acme.com'), at(100));
		expect(await store.expire(at(50))).toBe(2);
		expect((await store.list({ limit: 10 })).map((entry) => entry.id)).toEqual([recent.id]);
	});

	it('keeps the same item failing twice at the same step as one entry with two attempts', async () => {
		const first = await store.record(failure('jane@acme.com'), at(0));
		const second = await store.record(failure('jane@acme.com', { reason: 'HubSpot: 502 Bad Gateway', itemJson: '{"email":"jane@acme.com","v":2}' }), at(5));
		expect(second).toMatchObject({
			id: first.id,
			attempts: 2,
			reason: 'HubSpot: 502 Bad Gateway',
			item: { email: 'jane@acme.com', v: 2 },
			firstFailedAt: at(0).toISOString(),
			lastFailedAt: at(5).toISOString(),
			status: 'pending',
			keySource: 'field:email_match_key',
		});
		const other = await store.record(failure('jane@acme.com', { step: 'Write to warehouse' }), at(6));
		expect(other.id).not.toBe(first.id);
		expect(await store.list({ limit: 10 })).toHaveLength(2);
	});

	it('gives due entries only once their backoff has passed, and holds them from a second replay', async () => {
		const entry = await store.record(failure('a@x.com'), at(0));
		expect((await store.claimDue(POLICY, at(59))).due).toEqual([]);
		const { due } = await store.claimDue(POLICY, at(60));
		expect(due.map(({ id }) => id)).toEqual([entry.id]);
		expect(due[0].claimedUntil).toBe(at(660).toISOString());
		// Another replay meanwhile gets nothing; after the claim lapses (a crashed replay) it is due again.
		expect((await store.claimDue(POLICY, at(61))).due).toEqual([]);
		expect((await store.claimDue(POLICY, at(660))).due.map(({ id }) => id)).toEqual([entry.id]);
	});

	it('waits twice as long after each failed attempt, and gives up at the maximum with the last reason', async () => {
		const { id } = await store.record(failure('b@x.com'), at(0));
		await store.claimDue(POLICY, at(60));
		expect(await store.recordAttempt(id, 'HubSpot: 400 Property values were not valid', at(60))).toMatchObject({ attempts: 2, claimedUntil: null });
		expect((await store.claimDue(POLICY, at(179))).due).toEqual([]);
		expect((await store.claimDue(POLICY, at(180))).due.map((entry) => entry.id)).toEqual([id]);
		await store.recordAttempt(id, 'HubSpot: 400 still invalid', at(180));
		expect((await store.claimDue(POLICY, at(419))).due).toEqual([]);
		await store.claimDue(POLICY, at(420));
		await store.recordAttempt(id, 'HubSpot: 400 invalid for the last time', at(420));
		const { due, gaveUp } = await store.claimDue(POLICY, at(100_000));
		expect(due).toEqual([]);
		expect(gaveUp).toMatchObject([
			{ id, status: 'gave_up', attempts: 4, resolution: 'Gave up after 4 attempts: HubSpot: 400 invalid for the last time', resolvedAt: at(100_000).toISOString() },
		]);
		expect((await store.claimDue(POLICY, at(200_000))).gaveUp).toEqual([]);
		// A given-up entry takes no more attempts, and the same item failing again opens a new entry.
		expect(await store.recordAttempt(id, 'late', at(200_001))).toMatchObject({ status: 'gave_up', attempts: 4 });
		expect((await store.record(failure('b@x.com'), at(200_002))).id).not.toBe(id);
	});

	it('marks an entry resolved once; a new failure of the same item after that is a new entry', async () => {
		const { id } = await store.record(failure('c@x.com'), at(0));
		const resolved = await store.resolve(id, 'Replayed', at(70));
		expect(resolved).toMatchObject({ id, status: 'resolved', resolution: 'Replayed', resolvedAt: at(70).toISOString(), claimedUntil: null });
		expect(await store.resolve(id, 'Again', at(80))).toMatchObject({ resolution: 'Replayed', resolvedAt: at(70).toISOString() });
		expect((await store.claimDue(POLICY, at(1000))).due).toEqual([]);
		expect(await store.resolve(999_999, 'x', at(80))).toBeUndefined();
		const reopened = await store.record(failure('c@x.com'), at(90));
		expect(reopened).toMatchObject({ attempts: 1, status: 'pending' });
		expect(reopened.id).not.toBe(id);
	});

	it('lists entries newest first, filtered by status, workflow and step', async () => {
		const a = await store.record(failure('d@x.com'), at(0));
		const b = await store.record(failure('e@x.com', { workflowId: 'wf2' }), at(1));
		const c = await store.record(failure('f@x.com', { step: 'Warehouse' }), at(2));
		await store.resolve(a.id, 'fixed by hand', at(3));
		expect((await store.list({ limit: 10 })).map(({ id }) => id)).toEqual([c.id, b.id, a.id]);
		expect((await store.list({ status: 'pending', limit: 10 })).map(({ id }) => id)).toEqual([c.id, b.id]);
		expect((await store.list({ workflowId: 'wf2', limit: 10 })).map(({ id }) => id)).toEqual([b.id]);
		expect((await store.list({ step: 'Warehouse', status: 'pending', limit: 10 })).map(({ id }) => id)).toEqual([c.id]);
		expect(await store.list({ limit: 1 })).toHaveLength(1);
	});

	it('stores hostile text exactly: __proto__ keys, NUL, lone surrogates, SQL', async () => {
		const item = JSON.parse('{"__proto__":{"polluted":true},"name":"\\ud800x\\u0000","sql":"\'); DROP TABLE x; --"}') as object;
		const { id } = await store.record(failure('weird\u0000key', { itemJson: JSON.stringify(item), reason: 'bad \ud800 reason' }), at(0));
		const [entry] = await store.list({ limit: 1 });
		expect(entry).toMatchObject({ id, key: '"weird\\u0000key"', reason: '"bad \\ud800 reason"' });
		expect(JSON.stringify(entry.item)).toBe(JSON.stringify(item));
		expect(Object.getPrototypeOf(entry.item)).toBe(Object.prototype);
		expect(Object.keys(entry.item as object)).toEqual(['__proto__', 'name', 'sql']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('counts two writers recording the same item at once as one entry', async () => {
		const other = await open();
		try {
			const writer = async (writerStore: DeadLetterStore) => {
				for (let index = 0; index < 10; index++) await writerStore.record(failure('race@x.com'), at(index));
			};
			await Promise.all([writer(store), writer(other)]);
			const entries = await store.list({ limit: 10 });
			expect(entries).toHaveLength(1);
			expect(entries[0].attempts).toBe(20);
		} finally {
			await other.close();
		}
	});

	it('records many failures in the order given, two writers with the same items in opposite orders included', async () => {
		const other = await open();
		try {
			const keys = Array.from({ length: 450 }, (_, index) => `bulk${index}@x.com`);
			const forward = keys.map((key) => failure(key));
			const backward = [...forward].reverse();
			const [mine, theirs] = await Promise.all([store.recordAll(forward, at(0)), other.recordAll(backward, at(1))]);
			expect(mine.map(({ key }) => key)).toEqual(keys);
			expect(theirs.map(({ key }) => key)).toEqual([...keys].reverse());
			const entries = await store.list({ limit: 1000 });
			expect(entries).toHaveLength(450);
			expect(entries.every(({ attempts }) => attempts === 2)).toBe(true);
		} finally {
			await other.close();
		}
	});

	it('replays and gives up only the entries of the scope asked for', async () => {
		const a = await store.record(failure('s1@x.com'), at(0));
		const b = await store.record(failure('s2@x.com', { step: 'Warehouse' }), at(0));
		const c = await store.record(failure('s3@x.com', { workflowId: 'wf2' }), at(0));
		expect((await store.claimDue(POLICY, at(60), { workflowId: 'wf1', step: 'Warehouse' })).due.map(({ id }) => id)).toEqual([b.id]);
		expect((await store.claimDue(POLICY, at(60), { workflowId: 'wf1' })).due.map(({ id }) => id)).toEqual([a.id]);
		expect((await store.claimDue({ ...POLICY, maxAttempts: 1 }, at(60), { workflowId: 'wf2' })).gaveUp.map(({ id }) => id)).toEqual([c.id]);
	});

	it('never gives the same due entry to two of four replays claiming at once', async () => {
		const others = await Promise.all([open(), open(), open()]);
		try {
			const claimed: number[] = [];
			for (let round = 0; round < 5; round++) {
				for (let index = 0; index < 40; index++) await store.record(failure(`p${round}-${index}@x.com`), at(round));
				const claims = await Promise.all([store, ...others].map((replay) => replay.claimDue({ ...POLICY, limit: 15 }, at(round + 60))));
				claimed.push(...claims.flatMap(({ due }) => due.map(({ id }) => id)));
			}
			expect(claimed).toHaveLength(200);
			expect(new Set(claimed).size).toBe(200);
		} finally {
			await Promise.all(others.map((other) => other.close()));
		}
	});
}

describe('SQLite dead-letter store', () => {
	let dir: string;
	let file: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-dlq-'));
		file = path.join(dir, 'nested', 'dead-letters.sqlite');
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	sharedStoreTests(() => SqliteDeadLetterStore.open(file));

	it('waits for another writer without blocking the event loop, then records', async () => {
		const store = await SqliteDeadLetterStore.open(file);
		const blocker = openSqlite(file, 0);
		try {
			blocker.exec('BEGIN IMMEDIATE');
			let ticks = 0;
			const ticker = setInterval(() => ticks++, 5);
			let recorded = false;
			const recording = store.record(failure('locked@x.com'), at(0)).then((entry) => ((recorded = true), entry));
			await new Promise((resolve) => setTimeout(resolve, 150));
			expect(recorded).toBe(false);
			blocker.exec('COMMIT');
			const entry = await recording;
			clearInterval(ticker);
			expect(entry).toMatchObject({ attempts: 1, status: 'pending' });
			// Timers kept firing while the store waited for the lock (a busy timeout inside SQLite would have held the thread).
			expect(ticks).toBeGreaterThan(3);
		} finally {
			blocker.close();
			await store.close();
		}
	});
});

describe('PostgreSQL dead-letter store (real server at PG_URL)', () => {
	const { schema } = useScratchSchema('dlq');
	let table: string;
	let counter = 0;
	beforeEach(() => {
		table = `${schema}.dead_letters_${++counter}`;
	});

	sharedStoreTests(() => PostgresDeadLetterStore.connect(pgConnection(), table));
});
