/** PostgreSQL for tests: PG_URL (CI sets it), each test file in a schema of its own, dropped afterwards. */
import { Client } from 'pg';

import type { PostgresConnection } from '../../lib/warehouse/postgres';

export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function pgConnection(): PostgresConnection {
	const url = new URL(PG_URL);
	return {
		host: url.hostname,
		port: Number(url.port || 5432),
		database: url.pathname.slice(1),
		user: decodeURIComponent(url.username),
		password: decodeURIComponent(url.password),
		ssl: 'disable',
	};
}

export async function connectAdmin(): Promise<Client> {
	const client = new Client({ connectionString: PG_URL });
	await client.connect();
	return client;
}

/** A fresh schema name unique to this process and label. */
export function scratchSchema(label: string): string {
	return `wh_${label}_${process.pid}_${Date.now().toString(36)}`;
}

/**
 * Registers beforeAll/afterAll hooks giving the calling test file a fresh schema of its own and an
 * admin connection, both dropped afterwards.
 */
export function useScratchSchema(label: string): { schema: string; admin: () => Client } {
	const schema = scratchSchema(label);
	let admin: Client | undefined;
	beforeAll(async () => {
		admin = await connectAdmin();
		await admin.query(`CREATE SCHEMA ${schema}`);
	});
	afterAll(async () => {
		await admin?.query(`DROP SCHEMA ${schema} CASCADE`);
		await admin?.end();
	});
	return {
		schema,
		admin: () => {
			if (!admin) throw new Error('The scratch schema is only available inside tests');
			return admin;
		},
	};
}
