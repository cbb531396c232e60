/**
 * Opens the writer for the chosen target with the node's credentials. Everything that knows the
 * databases lives in lib/warehouse; this only turns n8n credentials and parameters into it.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import type { WarehouseWriter } from '../../../lib/warehouse/load';
import { PgSession, clientConfig, isTransientPgError, openPostgresWriters, type PostgresConnection, type SslMode } from '../../../lib/warehouse/postgres';
import { openRedshiftWriters } from '../../../lib/warehouse/redshift';
import type { ConflictPolicy } from '../../../lib/warehouse/rows';
import { SqliteWriter, defaultSqlitePath, openSqlite } from '../../../lib/warehouse/sqlite';
import type { TableSpec } from '../../../lib/warehouse/tables';

export type Target = 'sqlite' | 'postgres' | 'redshift';

export const CREDENTIAL_TYPES: Record<Exclude<Target, 'sqlite'>, string> = {
	postgres: 'warehousePostgresApi',
	redshift: 'warehouseRedshiftApi',
};

export interface OpenWarehouse {
	/** Checks (and when allowed creates or widens) the table, once per execution; one writer per connection. */
	prepare(createIfMissing: boolean): Promise<WarehouseWriter[]>;
	isTransient(error: unknown): boolean;
	/** Drops connections after a transient failure of `prepare`. */
	reset(): Promise<void>;
	close(): Promise<void>;
	/** Credential values that must never reach a message. */
	secrets: string[];
}

export function postgresConnection(credentials: ICredentialDataDecryptedObject): PostgresConnection {
	return {
		host: String(credentials.host ?? ''),
		port: Number(credentials.port ?? 5432),
		database: String(credentials.database ?? ''),
		user: String(credentials.user ?? ''),
		password: String(credentials.password ?? ''),
		ssl: (credentials.ssl as SslMode | undefined) ?? 'disable',
		caCertificate: credentials.caCertificate ? String(credentials.caCertificate) : undefined,
	};
}

export async function openWarehouse(
	context: IExecuteFunctions,
	target: Target,
	spec: TableSpec,
	onConflict: ConflictPolicy,
	connections: number,
): Promise<OpenWarehouse> {
	if (target === 'sqlite') {
		const file = (context.getNodeParameter('databaseFile', 0, '') as string).trim() || defaultSqlitePath();
		const db = openSqlite(file);
		const writer = new SqliteWriter(db, spec, onConflict);
		return {
			prepare: async (createIfMissing) => {
				writer.ensureTable(createIfMissing);
				return [writer];
			},
			isTransient: (error) => writer.isTransient(error),
			reset: async () => undefined,
			close: async () => db.close(),
			secrets: [],
		};
	}
	const credentials = await context.getCredentials(CREDENTIAL_TYPES[target]);
	const connection = postgresConnection(credentials);
	const sessions = Array.from({ length: Math.max(1, Math.floor(connections)) }, () => new PgSession(clientConfig(connection)));
	const open = target === 'postgres' ? openPostgresWriters : openRedshiftWriters;
	return {
		prepare: (createIfMissing) => open(sessions, spec, onConflict, createIfMissing),
		isTransient: isTransientPgError,
		reset: () => sessions[0].reset(),
		close: async () => {
			await Promise.all(sessions.map((session) => session.close()));
		},
		secrets: [connection.password, connection.caCertificate ?? ''],
	};
}

/** `SELECT 1` with the credential, for n8n's "Test" button. */
export async function testPostgresConnection(credentials: ICredentialDataDecryptedObject): Promise<void> {
	const session = new PgSession({ ...clientConfig(postgresConnection(credentials)), connectionTimeoutMillis: 10_000 });
	try {
		await session.query('SELECT 1');
	} finally {
		await session.close();
	}
}
