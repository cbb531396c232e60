/**
 * A local stand-in for Google's OAuth token endpoint and the BigQuery REST API v2 that checks
 * every request as Google would (service-account JWT: signature, issuer, audience, scope, expiry;
 * bearer token on API calls; insertAll limits of 500 rows and 10 MB; insertId on every row) and
 * answers in their shapes, deduplicating rows by insertId as BigQuery's streaming does.
 */
import { createVerify, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BigQueryRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	raw: string;
	body: Record<string, unknown>;
}

interface Field {
	name: string;
	type: string;
	mode?: string;
}

export interface BigQueryStub {
	url: string;
	tokenUri: string;
	requests: BigQueryRequest[];
	tables: Map<string, { fields: Field[]; rows: Map<string, Record<string, unknown>> }>;
	failNextInserts: Array<{ status: number; retryAfter?: string }>;
	close(): Promise<void>;
}

/** What the token endpoint issues, fresh per process: API calls must carry exactly this. */
const issuedBearer = `stub-${randomUUID()}`;

export async function startBigQueryStub(options: { clientEmail: string; publicKey: string; project: string; dataset: string }): Promise<BigQueryStub> {
	const stub: BigQueryStub = { url: '', tokenUri: '', requests: [], tables: new Map(), failNextInserts: [], close: async () => undefined };

	function tokenProblem(form: URLSearchParams): string | undefined {
		if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return 'unsupported grant_type';
		const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
		if (!signature) return 'no assertion';
		if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(options.publicKey, Buffer.from(signature, 'base64url'))) {
			return 'Invalid JWT Signature.';
		}
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
		const now = Date.now() / 1000;
		if (claims.iss !== options.clientEmail) return 'Invalid issuer';
		if (claims.aud !== stub.tokenUri) return 'Invalid audience';
		if (claims.scope !== 'https://www.googleapis.com/auth/bigquery') return 'Invalid scope';
		if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 3600 + 60) return 'Invalid JWT: Token must be a short-lived token';
		return undefined;
	}

	function typeProblem(field: Field, value: unknown): string | undefined {
		if (value === null || value === undefined) return field.mode === 'REQUIRED' ? 'Missing required field' : undefined;
		if (field.type === 'INT64' && !/^-?\d+$/.test(String(value))) return `Cannot convert value to integer (bad value): ${String(value)}`;
		if (field.type === 'TIMESTAMP' && Number.isNaN(Date.parse(String(value)))) return `Couldn't convert value to timestamp: ${String(value)}`;
		return undefined;
	}

	const base = `/bigquery/v2/projects/${options.project}/datasets/${options.dataset}`;
	const server = createServer((request, response) => {
		let raw = '';
		request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		request.on('end', () => {
			const path = request.url ?? '';
			const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
			const body = raw && !isForm ? (JSON.parse(raw) as Record<string, unknown>) : {};
			stub.requests.push({ method: request.method ?? '', path, headers: request.headers, raw, body });
			const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
				response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
				response.end(JSON.stringify(payload));
			};
			const apiError = (status: number, message: string) => answer(status, { error: { code: status, message, status: 'INVALID_ARGUMENT' } });

			if (path === '/token') {
				const problem = isForm ? tokenProblem(new URLSearchParams(raw)) : 'form body expected';
				return problem ? answer(400, { error: 'invalid_grant', error_description: problem }) : answer(200, { access_token: issuedBearer, expires_in: 3599, token_type: 'Bearer' });
			}
			if (request.headers.authorization !== `Bearer ${issuedBearer}`) return apiError(401, 'Request had invalid authentication credentials.');
			if (!path.startsWith(base)) return apiError(404, `Not found: Dataset ${path}`);
			const rest = path.slice(base.length);
			if (request.method === 'POST' && rest === '/tables') {
				const tableId = (body.tableReference as { tableId: string }).tableId;
				if (stub.tables.has(tableId)) return apiError(409, `Already Exists: Table ${tableId}`);
				stub.tables.set(tableId, { fields: (body.schema as { fields: Field[] }).fields, rows: new Map() });
				return answer(200, { tableReference: body.tableReference, schema: body.schema });
			}
			const match = /^\/tables\/(\w+)(\/insertAll)?$/.exec(rest);
			const table = match ? stub.tables.get(match[1]) : undefined;
			if (!match || !table) return apiError(404, `Not found: Table ${options.project}:${options.dataset}.${match?.[1] ?? rest}`);
			if (!match[2] && request.method === 'GET') return answer(200, { tableReference: { tableId: match[1] }, schema: { fields: table.fields } });
			if (!match[2] && request.method === 'PATCH') {
				table.fields = (body.schema as { fields: Field[] }).fields;
				return answer(200, { schema: { fields: table.fields } });
			}
			if (match[2] && request.method === 'POST') {
				const failure = stub.failNextInserts.shift();
				if (failure) return answer(failure.status, { error: { code: failure.status, message: 'Exceeded rate limits' } }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
				const rows = body.rows as Array<{ insertId?: string; json: Record<string, unknown> }>;
				if (rows.length > 500) return apiError(400, 'too many rows present in the request, limit: 500');
				if (Buffer.byteLength(raw) > 10 * 1024 * 1024) return apiError(413, 'Request payload size exceeds the limit: 10485760 bytes.');
				const insertErrors: Array<{ index: number; errors: Array<{ reason: string; location: string; message: string }> }> = [];
				rows.forEach((row, index) => {
					if (!row.insertId) return insertErrors.push({ index, errors: [{ reason: 'invalid', location: '', message: 'insertId missing (test stand-in requires it)' }] });
					for (const field of table.fields) {
						const problem = typeProblem(field, row.json[field.name]);
						if (problem) return insertErrors.push({ index, errors: [{ reason: 'invalid', location: field.name, message: problem }] });
					}
					const unknown = Object.keys(row.json).find((name) => !table.fields.some((field) => field.name === name));
					if (unknown) return insertErrors.push({ index, errors: [{ reason: 'invalid', location: unknown, message: 'no such field.' }] });
					if (!table.rows.has(row.insertId)) table.rows.set(row.insertId, row.json);
					return undefined;
				});
				return answer(200, insertErrors.length ? { kind: 'bigquery#tableDataInsertAllResponse', insertErrors } : { kind: 'bigquery#tableDataInsertAllResponse' });
			}
			return apiError(400, 'unsupported request');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	stub.url = `http://127.0.0.1:${port}`;
	stub.tokenUri = `${stub.url}/token`;
	stub.close = () => new Promise((resolve) => server.close(() => resolve()));
	return stub;
}
