/**
 * NPS Trigger's redelivery keys kept in a PostgreSQL table, so several n8n processes (webhook processors
 * in queue mode) share them. Each key is claimed with one INSERT ... ON CONFLICT DO NOTHING RETURNING:
 * PostgreSQL lets exactly one of any number of concurrent inserts of a key through, so when a sender's
 * retry lands on two processes at once exactly one of them sees the key as new and starts an execution.
 * (n8n's own processed-data store reads, changes and writes back one list, which is only safe within one
 * process.)
 */
import { Client, type ClientConfig } from 'pg';

import type { RecordKeys } from './batchedRecorder';
import { processedKeys } from './redelivery';

export const CLAIMS_TABLE = 'revops_nps_deliveries';

const CREATE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE} (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (scope, key)
)`;

const CLAIM_SQL = `INSERT INTO ${CLAIMS_TABLE} (scope, key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING key`;

/** What PostgreSQL answers when two sessions create the same table at once: the loser's IF NOT EXISTS came too early. */
const CREATED_CONCURRENTLY = new Set(['23505', '42P07']);

/**
 * Claims keys in `scope` (one trigger node) and resolves with those another call had claimed before.
 * One connection, opened on first use and reopened after it fails; the table is created when missing.
 */
export class PostgresDeliveryClaims {
	private connection?: Promise<Client>;

	constructor(private readonly config: ClientConfig) {}

	private async connect(): Promise<Client> {
		const client = new Client(this.config);
		// A dropped connection is replaced at the next claim, not thrown at n8n's event loop.
		client.on('error', () => this.forget(client));
		await client.connect();
		await client.query(CREATE_TABLE_SQL).catch(async (error: { code?: string }) => {
			if (!CREATED_CONCURRENTLY.has(error.code ?? '')) return await Promise.reject(error);
			return undefined;
		});
		return client;
	}

	private forget(client: Client): void {
		void this.connection?.then((current) => {
			if (current === client) this.connection = undefined;
		});
		void client.end().catch(() => undefined);
	}

	async claim(scope: string, keys: string[]): Promise<Set<string>> {
		this.connection ??= this.connect();
		const pending = this.connection;
		// A failed connection or claim is dropped, so the next claim connects afresh.
		const client = await pending.catch(async (error: unknown) => {
			if (this.connection === pending) this.connection = undefined;
			return await Promise.reject(error);
		});
		const { rows } = await client.query<{ key: string }>(CLAIM_SQL, [scope, keys]).catch(async (error: unknown) => {
			this.forget(client);
			return await Promise.reject(error);
		});
		const claimedNow = new Set(rows.map(({ key }) => key));
		return new Set(keys.filter((key) => !claimedNow.has(key)));
	}

	/**
	 * Forgets the keys of the given responses, in every scope (erasure of a person whose responses
	 * were found in the warehouse); returns how many keys were deleted. See processedKeys (redelivery.ts).
	 */
	async forgetResponses(responseIds: string[]): Promise<number> {
		if (responseIds.length === 0) return 0;
		this.connection ??= this.connect();
		const client = await this.connection;
		const keys = responseIds.map((id) => processedKeys(id, '').response);
		const versionPrefixes = responseIds.map((id) => processedKeys(id, '').version);
		const { rowCount } = await client.query(
			`DELETE FROM ${CLAIMS_TABLE} WHERE key = ANY($1::text[]) OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS p(prefix) WHERE starts_with(key, p.prefix))`,
			[keys, versionPrefixes],
		);
		return rowCount ?? 0;
	}

	/** The claim in the shape of n8n's processed-data store call: records keys, returns those seen before. */
	recorder(scope: string): RecordKeys {
		return (keys) => this.claim(scope, keys);
	}

	async close(): Promise<void> {
		const pending = this.connection;
		this.connection = undefined;
		if (pending) await (await pending).end();
	}
}
