/**
 * BigQuery through its REST API with a service account: a JWT signed with the account's key is
 * exchanged for an access token (RFC 7523), then rows are streamed with tabledata.insertAll, each
 * with insertId = the row's key so BigQuery drops a replayed row, in requests of at most 500 rows
 * and under 9 MB. Rows BigQuery refuses come back per row while the others are inserted. Large
 * executions and updates go through a load job instead (bigqueryLoadJob.ts), on the same client.
 */
import type { KeyObject } from 'node:crypto';

import { columnType, missingColumns } from './dialects';
import { HttpStatusError, isTransientHttpError, throwIfTransient, type HttpRequest, type HttpResponse, type HttpSend } from './http';
import { privateKeyFrom, signJwt } from './jwt';
import type { Rejection, WarehouseWriter } from './load';
import type { Cell, PreparedRow } from './rows';
import { settleSync } from './settle';
import type { TableSpec } from './tables';

export interface BigQueryConnection {
	clientEmail: string;
	privateKey: string;
	projectId: string;
	dataset: string;
	/** From the key file; https://oauth2.googleapis.com/token for Google service accounts. */
	tokenUri: string;
	/** Defaults to https://bigquery.googleapis.com. */
	baseUrl?: string;
}

export const MAX_ROWS_PER_REQUEST = 500;
export const MAX_REQUEST_BYTES = 9 * 1024 * 1024;
const SCOPE = 'https://www.googleapis.com/auth/bigquery';

/** The service-account key file (JSON) as its credential fields. */
export function parseServiceAccount(json: string): Pick<BigQueryConnection, 'clientEmail' | 'privateKey' | 'projectId' | 'tokenUri'> {
	const parsed = settleSync(() => JSON.parse(json) as unknown);
	if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
		throw new Error('The service account key is not valid JSON: paste the whole key file');
	}
	const key = parsed.value as Record<string, unknown>;
	for (const field of ['client_email', 'private_key', 'project_id']) {
		if (typeof key[field] !== 'string') throw new Error(`The service account key has no ${field}`);
	}
	return {
		clientEmail: key.client_email as string,
		privateKey: key.private_key as string,
		projectId: key.project_id as string,
		tokenUri: typeof key.token_uri === 'string' ? key.token_uri : 'https://oauth2.googleapis.com/token',
	};
}

interface ErrorBody {
	error?: { message?: string; errors?: Array<{ reason?: string }> } | string;
	error_description?: string;
}

function errorText(response: HttpResponse): string {
	const body = response.body as ErrorBody | undefined;
	if (typeof body?.error === 'object' && body.error.message) return body.error.message;
	return body?.error_description ?? (typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`);
}

/** BigQuery's reason code (`invalid`, `notFound`, `duplicate`...), when it gives one. */
function errorReason(response: HttpResponse): string | undefined {
	const error = (response.body as ErrorBody | undefined)?.error;
	return typeof error === 'object' ? error.errors?.[0]?.reason : undefined;
}

export class BigQueryClient {
	private readonly key: KeyObject;
	private readonly baseUrl: string;
	private token?: { value: string; expiresAt: number };

	constructor(
		readonly connection: BigQueryConnection,
		private readonly send: HttpSend,
	) {
		this.key = privateKeyFrom(connection.privateKey);
		this.baseUrl = (connection.baseUrl || 'https://bigquery.googleapis.com').replace(/\/+$/, '');
	}

	private async accessToken(): Promise<string> {
		if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
		const now = Math.floor(Date.now() / 1000);
		const assertion = signJwt(
			{ iss: this.connection.clientEmail, scope: SCOPE, aud: this.connection.tokenUri, iat: now, exp: now + 3600 },
			this.key,
		);
		const response = await this.send({
			method: 'POST',
			url: this.connection.tokenUri,
			headers: { Accept: 'application/json' },
			form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
		});
		throwIfTransient(response, 'Google OAuth');
		if (response.status !== 200) throw new HttpStatusError(`Google OAuth: ${errorText(response)}`, response.status);
		const body = response.body as { access_token: string; expires_in?: number };
		this.token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
		return body.access_token;
	}

	/** One API call, `path` after the API root (/bigquery/v2); the statuses in `expected` are returned instead of thrown. */
	async request(
		method: HttpRequest['method'],
		path: string,
		body?: unknown,
		options: { expected?: number[]; contentType?: string; upload?: boolean } = {},
	): Promise<HttpResponse> {
		const response = await this.send({
			method,
			url: `${this.baseUrl}${options.upload ? '/upload' : ''}/bigquery/v2${path}`,
			headers: { Authorization: `Bearer ${await this.accessToken()}`, 'Content-Type': options.contentType ?? 'application/json', Accept: 'application/json' },
			body,
		});
		throwIfTransient(response, 'BigQuery');
		if (response.status >= 400 && !options.expected?.includes(response.status)) {
			throw new HttpStatusError(`BigQuery: ${errorText(response)}`, response.status, errorReason(response));
		}
		return response;
	}

	/** The project's path, under which jobs run. */
	get projectPath(): string {
		return `/projects/${encodeURIComponent(this.connection.projectId)}`;
	}

	/** One API call under the dataset (`path` after /datasets/<dataset>); 404 is returned only when expected. */
	async call(method: HttpRequest['method'], path: string, body?: unknown, notFoundExpected = false): Promise<HttpResponse> {
		const datasetPath = `${this.projectPath}/datasets/${encodeURIComponent(this.connection.dataset)}`;
		return await this.request(method, `${datasetPath}${path}`, body, { expected: notFoundExpected ? [404] : [] });
	}
}

/** insertAll request bodies: at most 500 rows each and under 9 MB, each row's insertId its key. */
export function insertAllRequests(
	spec: TableSpec,
	rows: PreparedRow[],
	limits = { maxRows: MAX_ROWS_PER_REQUEST, maxBytes: MAX_REQUEST_BYTES },
): Array<{ rows: PreparedRow[]; body: { skipInvalidRows: boolean; rows: Array<{ insertId: string; json: Record<string, Cell> }> } }> {
	const keyPositions = spec.key.map((name) => spec.columns.findIndex((column) => column.name === name));
	const requests: ReturnType<typeof insertAllRequests> = [];
	let current: (typeof requests)[number] | undefined;
	let bytes = 0;
	for (const row of rows) {
		const { cells } = row;
		const entry = {
			insertId: keyPositions.map((position) => String(cells[position])).join('|'),
			json: Object.fromEntries(spec.columns.map((column, position) => [column.name, cells[position]])),
		};
		const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
		if (!current || current.rows.length >= limits.maxRows || bytes + size > limits.maxBytes) {
			current = { rows: [], body: { skipInvalidRows: true, rows: [] } };
			requests.push(current);
			bytes = 64;
		}
		current.rows.push(row);
		current.body.rows.push(entry);
		bytes += size;
	}
	return requests;
}

interface InsertAllResponse {
	insertErrors?: Array<{ index: number; errors: Array<{ reason?: string; message?: string; location?: string }> }>;
}

/** A column as BigQuery's table schema describes it. */
export interface BigQueryField {
	name: string;
	type: string;
	mode?: string;
}

/** The target table as found (or made) by ensureTable. */
export interface BigQueryTable {
	fields: BigQueryField[];
	/** Where the dataset lives (`US`, `EU`, `europe-west3`...): jobs touching it must run there. */
	location?: string;
}

interface TableResource {
	schema?: { fields?: BigQueryField[] };
	location?: string;
}

/** Streams rows with tabledata.insertAll. */
export class BigQueryWriter implements WarehouseWriter {
	/** Set by ensureTable. */
	protected table?: BigQueryTable;

	constructor(
		protected readonly client: BigQueryClient,
		protected readonly spec: TableSpec,
	) {}

	private get tablePath(): string {
		return `/tables/${encodeURIComponent(this.spec.table.table)}`;
	}

	/** Checks the table's schema once; creates the table or adds the missing columns when allowed. */
	async ensureTable(createIfMissing: boolean): Promise<void> {
		const response = await this.client.call('GET', this.tablePath, undefined, true);
		const fields = this.spec.columns.map((column) => ({
			name: column.name,
			type: columnType('bigquery', column.type),
			mode: column.notNull ? 'REQUIRED' : 'NULLABLE',
		}));
		const table = this.spec.table.table;
		if (response.status === 404) {
			if (!createIfMissing) throw new Error(`Table '${table}' does not exist (turn on "Create Table If Missing")`);
			const { projectId, dataset } = this.client.connection;
			const created = await this.client.call('POST', '/tables', { tableReference: { projectId, datasetId: dataset, tableId: table }, schema: { fields } });
			this.table = { fields, location: (created.body as TableResource).location };
			return;
		}
		const found = response.body as TableResource;
		const current = found.schema?.fields ?? [];
		this.table = { fields: current, location: found.location };
		const missing = missingColumns(this.spec, current.map(({ name }) => name));
		if (missing.length === 0) return;
		if (!createIfMissing) throw new Error(`Table '${table}' has no column ${missing.map(({ name }) => `'${name}'`).join(', ')}`);
		// New columns must be NULLABLE: existing rows have no value for them.
		const added = fields.filter(({ name }) => missing.some((column) => column.name === name)).map((field) => ({ ...field, mode: 'NULLABLE' }));
		await this.client.call('PATCH', this.tablePath, { schema: { fields: [...current, ...added] } });
		this.table = { fields: [...current, ...added], location: found.location };
	}

	async writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		const refused: Rejection[] = [];
		for (const request of insertAllRequests(this.spec, rows)) {
			const response = await this.client.call('POST', `${this.tablePath}/insertAll`, request.body);
			for (const { index, errors } of (response.body as InsertAllResponse).insertErrors ?? []) {
				const reason = errors.map(({ message, reason: code, location }) => `${location ? `${location}: ` : ''}${message ?? code}`).join('; ');
				refused.push({ row: request.rows[index], reason: `BigQuery: ${reason}` });
			}
		}
		return refused;
	}

	isTransient(error: unknown): boolean {
		return isTransientHttpError(error);
	}

	isRowRejection(): boolean {
		return false;
	}
}
