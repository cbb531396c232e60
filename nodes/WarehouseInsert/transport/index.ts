/**
 * Opens the writer for the chosen target with the node's credentials. Everything that knows the
 * databases lives in lib/warehouse; this only turns n8n credentials and parameters into it.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { BigQueryClient, BigQueryWriter, parseServiceAccount, type BigQueryConnection } from '../../../lib/warehouse/bigquery';
import { BigQueryLoadJobWriter } from '../../../lib/warehouse/bigqueryLoadJob';
import { fetchSend, isTransientHttpError, type HttpResponse, type HttpSend } from '../../../lib/warehouse/http';
import { errorMessage, type WarehouseWriter } from '../../../lib/warehouse/load';
import { PgSession, clientConfig, isTransientPgError, openPostgresWriters, postgresConnection, testPostgresConnection } from '../../../lib/warehouse/postgres';
import { redactSecrets } from '../../../lib/warehouse/redact';
import { openRedshiftWriters } from '../../../lib/warehouse/redshift';
import type { ConflictPolicy } from '../../../lib/warehouse/rows';
import { SnowflakeClient, SnowflakeWriter, type SnowflakeConnection } from '../../../lib/warehouse/snowflake';
import { SqliteWriter, defaultSqlitePath, openSqlite } from '../../../lib/warehouse/sqlite';
import type { TableSpec } from '../../../lib/warehouse/tables';

export type Target = 'sqlite' | 'postgres' | 'redshift' | 'snowflake' | 'bigquery';

export const CREDENTIAL_TYPES: Record<Exclude<Target, 'sqlite'>, string> = {
	postgres: 'warehousePostgresApi',
	redshift: 'warehouseRedshiftApi',
	snowflake: 'warehouseSnowflakeApi',
	bigquery: 'warehouseBigQueryApi',
};

/** n8n's HTTP helpers as the REST targets' HTTP function: status codes are judged by lib/warehouse/http. */
export function n8nHttp(context: IExecuteFunctions): HttpSend {
	return async (request) => {
		const response = (await context.helpers.httpRequest({
			method: request.method,
			url: request.url,
			headers: request.form ? { ...request.headers, 'Content-Type': 'application/x-www-form-urlencoded' } : request.headers,
			body: request.form ? new URLSearchParams(request.form).toString() : (request.body as IDataObject | string | undefined),
			json: !request.form,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
		const body = typeof response.body === 'string' && response.body.startsWith('{') ? (JSON.parse(response.body) as unknown) : response.body;
		return { status: response.statusCode, headers: response.headers, body };
	};
}

export function snowflakeConnection(credentials: ICredentialDataDecryptedObject): SnowflakeConnection {
	const text = (name: string) => (credentials[name] ? String(credentials[name]).trim() : undefined);
	return {
		account: text('account') ?? '',
		user: text('user') ?? '',
		privateKey: String(credentials.privateKey ?? ''),
		privateKeyPassphrase: text('privateKeyPassphrase'),
		warehouse: text('warehouse'),
		database: text('database') ?? '',
		schema: text('schema') ?? 'PUBLIC',
		role: text('role'),
		baseUrl: text('baseUrl'),
	};
}

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

/** A REST target: one writer, no connection to keep or drop. */
function restWarehouse(writer: SnowflakeWriter | BigQueryWriter, secrets: string[]): OpenWarehouse {
	return {
		prepare: async (createIfMissing) => {
			await writer.ensureTable(createIfMissing);
			return [writer];
		},
		isTransient: isTransientHttpError,
		reset: async () => undefined,
		close: async () => undefined,
		secrets,
	};
}

export interface WarehouseOptions {
	/** PostgreSQL and Redshift: connections writing batches at the same time. */
	connections: number;
	/** BigQuery: streaming inserts or load jobs (see bigQueryWritePath). */
	bigQueryPath: 'streaming' | 'loadJob';
}

export async function openWarehouse(
	context: IExecuteFunctions,
	target: Target,
	spec: TableSpec,
	onConflict: ConflictPolicy,
	{ connections, bigQueryPath }: WarehouseOptions,
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
	if (target === 'snowflake') {
		const connection = snowflakeConnection(credentials);
		const writer = new SnowflakeWriter(new SnowflakeClient(connection, n8nHttp(context)), spec, onConflict);
		return restWarehouse(writer, [connection.privateKey, connection.privateKeyPassphrase ?? '']);
	}
	if (target === 'bigquery') {
		const connection = bigQueryConnection(credentials, spec.table.schema);
		const client = new BigQueryClient(connection, n8nHttp(context));
		const writer = bigQueryPath === 'loadJob' ? new BigQueryLoadJobWriter(client, spec, onConflict) : new BigQueryWriter(client, spec);
		return restWarehouse(writer, [connection.privateKey]);
	}
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

/** The credential's connection; a `dataset.table` name picks another dataset of the project. */
export function bigQueryConnection(credentials: ICredentialDataDecryptedObject, dataset?: string): BigQueryConnection {
	const key = parseServiceAccount(String(credentials.privateKeyJson ?? ''));
	const text = (name: string) => (credentials[name] ? String(credentials[name]).trim() : undefined);
	return { ...key, projectId: text('projectId') ?? key.projectId, dataset: dataset ?? text('dataset') ?? '', baseUrl: text('baseUrl') };
}

/** Token exchange and a read of the dataset with a BigQuery credential, for n8n's "Test" button. */
export async function testBigQueryConnection(credentials: ICredentialDataDecryptedObject): Promise<void> {
	await new BigQueryClient(bigQueryConnection(credentials), fetchSend).call('GET', '');
}

/** `SELECT 1` with a Snowflake credential, for n8n's "Test" button. */
export async function testSnowflakeConnection(credentials: ICredentialDataDecryptedObject): Promise<void> {
	await new SnowflakeClient(snowflakeConnection(credentials), fetchSend).execute('SELECT 1');
}

/** A credential test's answer: OK, or the connection's error with the credential's secrets redacted. */
export async function connectionTestResult(test: () => Promise<void>, secrets: unknown[]): Promise<INodeCredentialTestResult> {
	try {
		await test();
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		return { status: 'Error', message: redactSecrets(errorMessage(error), secrets.map((secret) => (secret ? String(secret) : undefined))) };
	}
}

/** The Warehouse PostgreSQL (and Redshift) credential test, for every node that uses the credential. */
export async function testWarehousePostgresCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await connectionTestResult(() => testPostgresConnection(credential.data ?? {}), [credential.data?.password]);
}

export { testPostgresConnection };
