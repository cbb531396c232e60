/**
 * Forget Person: erases one person from every store this pack writes and reports, per store, how
 * many records, rows, entries or keys went. Deletion, not masking: nothing of the person is left to
 * re-identify. A repeated request finds nothing and reports zeros, so it is safe to retry.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { DeadLetterStore } from '../deadLetters/store';
import { ensureFolder } from '../ensureFolder';
import type { RecordStore } from '../dedupe/store/recordStore';
import { settleSync } from '../warehouse/settle';
import { mentionsSubject, subjectHash, type Subject } from './subject';
import { eraseFromTable, type AuditRecord, type ErasableTable, type SqlRunner } from './warehouse';

export interface ErasureStores {
	/** Dedupe record stores, each under the name the report gives it ("dedupe_sqlite"). */
	dedupe?: Array<{ name: string; store: RecordStore }>;
	warehouse?: { runner: SqlRunner; tables: ErasableTable[] };
	deadLetters?: DeadLetterStore;
	/** NPS Trigger's PostgreSQL redelivery keys; the person's response ids come from the warehouse's nps_responses. */
	npsDeliveries?: { forgetResponses(responseIds: string[]): Promise<number> };
}

/** Store name -> how many of the person's records it held and no longer holds. */
export type Removed = Record<string, number>;

export async function forgetPerson(stores: ErasureStores, subject: Subject, defaultCountry?: string): Promise<Removed> {
	const removed: Removed = {};
	const matches = (value: unknown) => mentionsSubject(value, subject, defaultCountry);
	for (const { name, store } of stores.dedupe ?? []) removed[name] = await store.forget(matches);
	const responseIds: string[] = [];
	for (const table of stores.warehouse?.tables ?? []) {
		const keys = await eraseFromTable(stores.warehouse!.runner, table, subject, defaultCountry);
		removed[`warehouse_${table.name}`] = keys.length;
		if (table.key === 'response_id') responseIds.push(...keys);
	}
	if (stores.deadLetters) {
		// The item, its key (often the email itself) and the failure reason can each name the person.
		removed.dead_letters = await stores.deadLetters.forget((entry) => matches(entry.item) || matches(entry.key) || matches(entry.reason));
	}
	if (stores.npsDeliveries) removed.nps_redelivery_keys = await stores.npsDeliveries.forgetResponses(responseIds);
	return removed;
}

export function auditRecord(subject: Subject, salt: string | Buffer, removed: Removed, now: Date, erasureId: string = randomUUID()): AuditRecord {
	return {
		erasure_id: erasureId,
		subject_hash: subjectHash(subject, salt),
		requested_at: now.toISOString(),
		removed,
		total_removed: Object.values(removed).reduce((sum, count) => sum + count, 0),
	};
}

/**
 * The install's secret salt for audit hashes, kept in `file` (created on first use, readable by
 * n8n's user only). Every process of one install must see the same file for hashes to compare.
 */
export function installSalt(file: string): Buffer {
	const existing = settleSync(() => readFileSync(file));
	if (existing.ok && existing.value.length >= 32) return existing.value;
	if (!existing.ok && (existing.error as NodeJS.ErrnoException).code !== 'ENOENT') return readFileSync(file);
	ensureFolder(path.dirname(file));
	// 'wx': of two processes creating it at once, one wins and the other reads the winner's salt.
	const created = settleSync(() => writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 }));
	if (!created.ok && (created.error as NodeJS.ErrnoException).code !== 'EEXIST') writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
	chmodSync(file, 0o600);
	return readFileSync(file);
}
