import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PostgresDeadLetterStore } from '../../../lib/deadLetters/postgres';
import { SqliteDeadLetterStore } from '../../../lib/deadLetters/sqlite';
import type { DeadLetterStore } from '../../../lib/deadLetters/store';
import { RuleMatcher } from '../../../lib/dedupe/matcher';
import { dedupeAgainstStore } from '../../../lib/dedupe/remember';
import { b2bRules } from '../../../lib/dedupe/rules';
import { PostgresRecordStore } from '../../../lib/dedupe/store/postgres';
import type { RecordStore } from '../../../lib/dedupe/store/recordStore';
import { SqliteRecordStore } from '../../../lib/dedupe/store/sqlite';
import { PostgresDeliveryClaims } from '../../../lib/nps/deliveryClaims';
import { processedKeys } from '../../../lib/nps/redelivery';
import { auditRecord, forgetPerson, installSalt, type ErasureStores } from '../../../lib/privacy/forget';
import { subjectOf } from '../../../lib/privacy/subject';
import { AUDIT_TABLE, leadsErasable, npsErasable, pgRunner, sqliteRunner, writeAudit, type SqlRunner } from '../../../lib/privacy/warehouse';
import { PgSession, clientConfig } from '../../../lib/warehouse/postgres';
import { openSqlite } from '../../../lib/warehouse/sqlite';
import { PG_URL, pgConnection, useScratchSchema } from '../../support/postgres';

const matcher = new RuleMatcher({ rules: b2bRules() });
const MARIA = { email: 'maria.silva@gmail.com', email_match_key: 'mariasilva@gmail.com', phone: '+5511987654321', first_name: 'Maria', last_name: 'Silva' };
const JOAO = { email: 'joao@acme.com.br', email_match_key: 'joao@acme.com.br', phone: '+5511912345678', first_name: 'João', last_name: 'Souza' };

const LEADS_DDL = 'CREATE TABLE leads (lead_key TEXT PRIMARY KEY, email TEXT, email_match_key TEXT, phone TEXT, first_name TEXT)';
const NPS_DDL = 'CREATE TABLE nps_responses (response_id TEXT PRIMARY KEY, email TEXT, identity_key TEXT, customer_id TEXT, raw_text TEXT)';

/** The same person in every store, beside someone else who must stay. */
async function fill(runner: SqlRunner, dedupe: RecordStore, deadLetters: DeadLetterStore): Promise<void> {
	const insert = async (sql: string, values: string[]) => await runner.query(sql, values);
	const p = runner.dialect === 'sqlite' ? (n: number) => `?${n}` : (n: number) => `$${n}`;
	await insert(LEADS_DDL, []);
	await insert(NPS_DDL, []);
	for (const lead of [MARIA, JOAO]) {
		await insert(`INSERT INTO leads VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, [lead.email_match_key, lead.email, lead.email_match_key, lead.phone, lead.first_name]);
	}
	await insert(`INSERT INTO nps_responses VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, ['r-maria', 'Maria.Silva@gmail.com', 'Maria.Silva@gmail.com', 'cus_9', 'great']);
	await insert(`INSERT INTO nps_responses VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, ['r-joao', 'joao@acme.com.br', 'joao@acme.com.br', 'cus_1', 'ok']);
	await dedupeAgainstStore(dedupe, matcher, [MARIA, JOAO], { history: 'leads', idField: 'id', historySize: 0 });
	await dedupeAgainstStore(dedupe, matcher, [{ Email: 'MARIA.SILVA+NEWS@GMAIL.COM' }], { history: 'newsletter', idField: 'id', historySize: 0 });
	const failure = { workflowId: 'wf', workflowName: 'Lead capture', step: 'HubSpot', keySource: 'field:email', reason: 'HubSpot: 503' };
	await deadLetters.record({ ...failure, key: 'maria.silva@gmail.com', itemJson: JSON.stringify({ body: { email: 'maria.silva@gmail.com' } }) }, new Date());
	await deadLetters.record({ ...failure, key: 'x1', itemJson: JSON.stringify({ telefone: '(11) 98765-4321', country: 'BR' }) }, new Date());
	await deadLetters.record({ ...failure, key: 'joao@acme.com.br', itemJson: JSON.stringify(JOAO) }, new Date());
}

async function erasureTests(open: () => Promise<{ stores: ErasureStores; runner: SqlRunner; close(): Promise<void>; claims?: PostgresDeliveryClaims }>) {
	const handle = await open();
	const { stores, runner } = handle;
	try {
		await fill(runner, stores.dedupe![0].store, stores.deadLetters!);
		if (handle.claims) {
			await handle.claims.claim('wf:trigger', Object.values(processedKeys('r-maria', '2026-01-01')));
			await handle.claims.claim('wf:trigger', Object.values(processedKeys('r-joao', '2026-01-01')));
		}
		const { subject } = subjectOf({ email: 'Maria.Silva+promo@gmail.com' });
		const removed = await forgetPerson(stores, subject);
		expect(removed).toEqual({
			[stores.dedupe![0].name]: 2,
			warehouse_leads: 1,
			warehouse_nps_responses: 1,
			dead_letters: 1,
			...(handle.claims ? { nps_redelivery_keys: 2 } : {}),
		});
		// The phone alone finds the dead letter that held only the phone.
		expect((await forgetPerson(stores, subjectOf({ phone: '+55 11 98765-4321' }).subject)).dead_letters).toBe(1);
		// Idempotent: the same request again succeeds and removes nothing.
		const again = await forgetPerson(stores, subject);
		expect(Object.values(again).every((count) => count === 0)).toBe(true);

		const leads = await runner.query('SELECT lead_key FROM leads', []);
		expect(leads.map((row) => row.lead_key)).toEqual(['joao@acme.com.br']);
		expect((await runner.query('SELECT response_id FROM nps_responses', [])).map((row) => row.response_id)).toEqual(['r-joao']);
		expect((await stores.deadLetters!.list({ limit: 10 })).map((entry) => entry.key)).toEqual(['joao@acme.com.br']);
		const dedupe = await dedupeAgainstStore(stores.dedupe![0].store, matcher, [MARIA, JOAO], { history: 'leads', idField: 'id', historySize: 0, remember: false });
		expect(dedupe.classified.unique.map((entry) => entry.index)).toEqual([0]);
		if (handle.claims) {
			const seen = await handle.claims.claim('wf:trigger', [processedKeys('r-maria', '2026-01-01').version, processedKeys('r-joao', '2026-01-01').version]);
			expect([...seen]).toEqual([processedKeys('r-joao', '2026-01-01').version]);
		}

		const audit = auditRecord(subject, 'install-salt', removed, new Date('2026-12-05T03:00:00Z'), 'erasure-1');
		await writeAudit(runner, audit);
		await writeAudit(runner, { ...audit, erasure_id: 'erasure-2', removed: again, total_removed: 0 });
		const rows = await runner.query(`SELECT * FROM ${AUDIT_TABLE} ORDER BY erasure_id`, []);
		expect(rows).toEqual([
			expect.objectContaining({ erasure_id: 'erasure-1', subject_hash: audit.subject_hash, requested_at: '2026-12-05T03:00:00.000Z', total_removed: audit.total_removed }),
			expect.objectContaining({ erasure_id: 'erasure-2', total_removed: 0 }),
		]);
		expect(JSON.stringify(rows)).not.toMatch(/maria|silva|98765/i);
		expect(JSON.parse(String(rows[0].removed))).toEqual(removed);
	} finally {
		await handle.close();
	}
}

describe('Forget Person on SQLite stores', () => {
	let folder: string;
	beforeAll(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'forget-'))));
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	it('erases the person from Dedupe histories, leads, nps_responses and dead letters, and writes an audit without personal data', async () => {
		await erasureTests(async () => {
			const dedupe = SqliteRecordStore.open(path.join(folder, 'dedupe.sqlite'));
			const deadLetters = await SqliteDeadLetterStore.open(path.join(folder, 'dlq.sqlite'));
			const db = openSqlite(path.join(folder, 'warehouse.sqlite'));
			const runner = sqliteRunner(db);
			return {
				runner,
				stores: { dedupe: [{ name: 'dedupe_sqlite', store: dedupe }], deadLetters, warehouse: { runner, tables: [leadsErasable(), npsErasable()] } },
				close: async () => {
					await dedupe.close();
					await deadLetters.close();
					db.close();
				},
			};
		});
	});

	it('reports zero for warehouse tables that do not exist', async () => {
		const db = openSqlite(path.join(folder, 'empty.sqlite'));
		try {
			const runner = sqliteRunner(db);
			const removed = await forgetPerson({ warehouse: { runner, tables: [leadsErasable(), npsErasable()] } }, subjectOf({ email: 'a@b.com' }).subject);
			expect(removed).toEqual({ warehouse_leads: 0, warehouse_nps_responses: 0 });
		} finally {
			db.close();
		}
	});

	it('keeps one secret salt per install, readable by its owner only', () => {
		const file = path.join(folder, 'nested', 'salt');
		const salt = installSalt(file);
		expect(salt.length).toBe(32);
		expect(installSalt(file).equals(salt)).toBe(true);
		expect(readFileSync(file).equals(salt)).toBe(true);
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});
});

describe('Forget Person on PostgreSQL stores (real server at PG_URL)', () => {
	const { schema } = useScratchSchema('forget');

	it('erases the person everywhere, NPS Trigger redelivery keys included, and writes an audit', async () => {
		await erasureTests(async () => {
			// Every store in the test's own schema: other tests' records stay out of reach.
			const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
			const dedupe = await PostgresRecordStore.connect(url);
			const deadLetters = await PostgresDeadLetterStore.connect(pgConnection(), `${schema}.revops_dead_letters`);
			const session = new PgSession({ ...clientConfig(pgConnection()), options: `-c search_path=${schema}` });
			const claims = new PostgresDeliveryClaims({ connectionString: url });
			const runner = pgRunner(session);
			return {
				runner,
				claims,
				stores: {
					dedupe: [{ name: 'dedupe_postgres', store: dedupe }],
					deadLetters,
					warehouse: { runner, tables: [leadsErasable(), npsErasable()] },
					npsDeliveries: claims,
				},
				close: async () => {
					await dedupe.close();
					await deadLetters.close();
					await session.close();
					await claims.close();
				},
			};
		});
	});
});
