/**
 * Opens the writer for the chosen target with the node's credentials. Everything that knows the
 * databases lives in lib/warehouse; this only turns n8n credentials and parameters into it.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import type { WarehouseWriter } from '../../../lib/warehouse/load';
import { PgSession, PostgresWriter, clientConfig, type PostgresConnection, type SslMode } from '../../../lib/warehouse/postgres';
import { RedshiftWriter } from '../../../lib/warehouse/redshift';
import type { ConflictPolicy } from '../../../lib/warehouse/rows';
import { SqliteWriter, defaultSqlitePath, openSqlite } from '../../../lib/warehouse/sqlite';
import type { TableSpec } from '../../../lib/warehouse/tables';

export type Target = 'sqlite' | 'postgres' | 'redshift';

export const CREDENTIAL_TYPES: Record<Exclude<Target, 'sqlite'>, string> = {
	postgres: 'warehousePostgresApi',
	redshift: 'warehouseRedshiftApi',
};

export interface OpenWarehouse {
	writer: WarehouseWriter;
	/** Checks (and when allowed creates or widens) the table: once per execution. */
	ensureTable(createIfMissing: boolean): Promise<void>;
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
): Promise<OpenWarehouse> {
	if (target === 'sqlite') {
		const file = (context.getNodeParameter('databaseFile', 0, '') as string).trim() || defaultSqlitePath();
		const db = openSqlite(file);
		const writer = new SqliteWriter(db, spec, onConflict);
		return {
			writer,
			ensureTable: async (createIfMissing) => writer.ensureTable(createIfMissing),
			close: async () => db.close(),
			secrets: [],
		};
	}
	const credentials = await context.getCredentials(CREDENTIAL_TYPES[target]);
	const connection = postgresConnection(credentials);
	const session = new PgSession(clientConfig(connection));
	const writer = target === 'postgres' ? new PostgresWriter(session, spec, onConflict) : new RedshiftWriter(session, spec, onConflict);
	return {
		writer,
		ensureTable: (createIfMissing) => writer.ensureTable(createIfMissing),
		close: () => session.close(),
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
