/**
 * A local stand-in for Snowflake's SQL API v2 that checks every request the way Snowflake would
 * (key-pair JWT: signature, issuer with the key's fingerprint, subject, expiry; token type header;
 * JSON body) and answers in its shapes: 200 results, 202 + polling, 422 SQL errors with SQLSTATE,
 * 429 with Retry-After. It keeps tables in memory and runs the pack's MERGE on them.
 */
import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	body: { statement?: string; bindings?: Record<string, { type: string; value: string | null }>; database?: string; schema?: string; warehouse?: string };
}

interface Table {
	columns: string[];
	rows: Map<string, unknown[]>;
}

export interface SnowflakeStub {
	url: string;
	requests: RecordedRequest[];
	tables: Map<string, Table>;
	/** Statuses to answer the next MERGE requests with, before handling them normally. */
	failNextMerges: Array<{ status: number; retryAfter?: string }>;
	/** Answer the next MERGE with 202 and make the client poll for its result. */
	deferNextMerge: boolean;
	close(): Promise<void>;
}

export async function startSnowflakeStub(options: { account: string; user: string; publicKey: string }): Promise<SnowflakeStub> {
	const fingerprint = `SHA256:${createHash('sha256').update(createPublicKey(options.publicKey).export({ type: 'spki', format: 'der' })).digest('base64')}`;
	const qualifiedUser = `${options.account.toUpperCase()}.${options.user.toUpperCase()}`;
	const deferred = new Map<string, { status: number; body: unknown }>();
	const stub: SnowflakeStub = {
		url: '',
		requests: [],
		tables: new Map(),
		failNextMerges: [],
		deferNextMerge: false,
		close: async () => undefined,
	};

	function checkAuth(request: IncomingMessage): string | undefined {
		if (request.headers['x-snowflake-authorization-token-type'] !== 'KEYPAIR_JWT') return 'missing token type header';
		const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
		if (!token) return 'missing bearer token';
		const [header, payload, signature] = token.split('.');
		const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(options.publicKey, Buffer.from(signature, 'base64url'));
		if (!valid) return 'JWT signature does not verify';
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
		const now = Date.now() / 1000;
		if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'RS256') return 'JWT alg is not RS256';
		if (claims.iss !== `${qualifiedUser}.${fingerprint}`) return `JWT iss ${String(claims.iss)} is wrong`;
		if (claims.sub !== qualifiedUser) return `JWT sub ${String(claims.sub)} is wrong`;
		if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 3600 + 60) return 'JWT exp is out of range';
		return undefined;
	}

	function sqlError(message: string, sqlState: string) {
		return { status: 422, body: { code: '100038', sqlState, message, statementHandle: 'err' } };
	}

	function runStatement(body: RecordedRequest['body']): { status: number; body: unknown } {
		const statement = body.statement ?? '';
		const bindings = body.bindings ?? {};
		const handle = `h-${stub.requests.length}`;
		const ok = (data: unknown[][] = []) => ({ status: 200, body: { statementHandle: handle, data, resultSetMetaData: { numRows: data.length } } });
		if (statement.startsWith('SELECT column_name FROM information_schema.columns')) {
			const table = stub.tables.get(String(bindings['2']?.value));
			return ok((table?.columns ?? []).map((name) => [name]));
		}
		const create = /^CREATE TABLE IF NOT EXISTS "(\w+)" \(([\s\S]*)\)$/.exec(statement);
		if (create) {
			const columns = [...create[2].matchAll(/^\t"(\w+)" /gm)].map((match) => match[1]);
			if (!stub.tables.has(create[1])) stub.tables.set(create[1], { columns, rows: new Map() });
			return ok();
		}
		const merge = /^MERGE INTO "(\w+)" AS target USING \(SELECT (.*) FROM TABLE\(FLATTEN\(INPUT => PARSE_JSON\(\?\)\)\) AS r\) AS s ON (.*?) (WHEN .*)$/.exec(statement);
		if (merge) {
			const table = stub.tables.get(merge[1]);
			if (!table) return sqlError(`Object '${merge[1]}' does not exist or not authorized.`, '42S02');
			const casts = [...merge[2].matchAll(/(PARSE_JSON\()?r\.value\[(\d+)\](?:::VARCHAR\))?(?:::([A-Z_]+(?:\(38,0\))?))? AS "(\w+)"/g)].map((match) => ({
				json: Boolean(match[1]),
				position: Number(match[2]),
				type: match[3] ?? 'VARIANT',
				column: match[4],
			}));
			const keyColumns = [...merge[3].matchAll(/target\."(\w+)"/g)].map((match) => match[1]);
			const updates = merge[4].includes('WHEN MATCHED THEN UPDATE');
			const rows = JSON.parse(String(bindings['1']?.value)) as unknown[][];
			const converted: Array<Record<string, unknown>> = [];
			for (const row of rows) {
				const record: Record<string, unknown> = {};
				for (const { json, position, type, column } of casts) {
					const value = row[position];
					if (type === 'NUMBER(38,0)' && value !== null && !/^-?\d+$/.test(String(value))) {
						return sqlError(`Numeric value '${String(value)}' is not recognized`, '22018');
					}
					if (type === 'TIMESTAMP_TZ' && value !== null && Number.isNaN(Date.parse(String(value)))) {
						return sqlError(`Timestamp '${String(value)}' is not recognized`, '22007');
					}
					record[column] = json && value !== null ? JSON.parse(String(value)) : value;
				}
				converted.push(record);
			}
			let inserted = 0;
			let updated = 0;
			for (const record of converted) {
				const key = JSON.stringify(keyColumns.map((column) => record[column]));
				if (!table.rows.has(key)) inserted++;
				else if (updates) updated++;
				else continue;
				table.rows.set(key, table.columns.map((column) => record[column] ?? null));
			}
			return ok([[String(inserted), String(updated)]]);
		}
		return sqlError(`SQL compilation error: unexpected statement`, '42000');
	}

	const server: Server = createServer((request, response) => {
		let raw = '';
		request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		request.on('end', () => {
			const body = raw ? (JSON.parse(raw) as RecordedRequest['body']) : {};
			stub.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
			const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
				response.writeHead(status, { 'content-type': 'application/json', ...headers });
				response.end(JSON.stringify(payload));
			};
			const authProblem = checkAuth(request);
			if (authProblem) return answer(401, { code: '390144', message: `JWT token is invalid: ${authProblem}` });
			if (request.method === 'GET') {
				const handle = decodeURIComponent((request.url ?? '').split('/').pop() ?? '');
				const result = deferred.get(handle);
				return result ? answer(result.status, result.body) : answer(404, { message: 'unknown statement handle' });
			}
			if (request.method !== 'POST' || !request.url?.startsWith('/api/v2/statements')) return answer(404, { message: 'not found' });
			if (request.headers['content-type'] !== 'application/json') return answer(415, { message: 'content type must be JSON' });
			const isMerge = body.statement?.startsWith('MERGE') ?? false;
			const failure = isMerge ? stub.failNextMerges.shift() : undefined;
			if (failure) {
				return answer(failure.status, { message: 'Too many requests' }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
			}
			const result = runStatement(body);
			if (isMerge && stub.deferNextMerge) {
				stub.deferNextMerge = false;
				const handle = `deferred-${stub.requests.length}`;
				deferred.set(handle, result);
				return answer(202, { code: '333334', message: 'Asynchronous execution in progress.', statementHandle: handle });
			}
			return answer(result.status, result.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	stub.url = `http://127.0.0.1:${port}`;
	stub.close = () => new Promise((resolve) => server.close(() => resolve()));
	return stub;
}
