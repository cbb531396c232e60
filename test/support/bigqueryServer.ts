/**
 * A local stand-in for Google's OAuth token endpoint and the BigQuery REST API v2 that checks
 * every request as Google would (service-account JWT: signature, issuer, audience, scope, expiry;
 * bearer token on API calls; insertAll limits of 500 rows and 10 MB; insertId on every row) and
 * answers in their shapes, deduplicating rows by insertId as BigQuery's streaming does.
 *
 * The load-job path is played too: multipart uploads of a JSON job configuration and NDJSON data
 * (jobs.insert), query jobs running the MERGE the writer sends (parsed strictly: every name
 * backtick-quoted, PARSE_JSON for JSON columns), jobs.get with the dataset's location, jobs that
 * stay RUNNING for a few polls, bad rows skipped up to maxBadRecords with only the first few named
 * (by byte offset, as BigQuery names them), 409 for a job id already used, and tables.delete.
 */
import { createVerify, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BigQueryRequestKind =
	| 'token'
	| 'tables.get'
	| 'tables.insert'
	| 'tables.patch'
	| 'tables.delete'
	| 'insertAll'
	| 'jobs.upload'
	| 'jobs.insert'
	| 'jobs.get'
	| 'other';

export interface BigQueryRequest {
	kind: BigQueryRequestKind;
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	raw: string;
	body: Record<string, unknown>;
	/** For a multipart upload: the JSON configuration part and the data part. */
	upload?: { configuration: Record<string, unknown>; data: string };
}

interface Field {
	name: string;
	type: string;
	mode?: string;
}

interface JobError {
	reason: string;
	location?: string;
	message: string;
}

interface StubTable {
	fields: Field[];
	rows: Map<string, Record<string, unknown>>;
	/** ms since the epoch, when the table was made to expire. */
	expiresAt?: number;
}

export interface StubJob {
	id: string;
	kind: 'load' | 'query';
	location: string;
	configuration: Record<string, unknown>;
	/** jobs.get answers RUNNING this many more times. */
	pollsLeft: number;
	state: 'RUNNING' | 'DONE';
	/** What the job does when it finishes; returns its status errors and statistics. */
	complete: () => JobOutcome;
	outcome?: JobOutcome;
}

interface JobOutcome {
	errorResult?: JobError;
	errors?: JobError[];
	statistics?: Record<string, unknown>;
}

export interface BigQueryStub {
	url: string;
	tokenUri: string;
	requests: BigQueryRequest[];
	tables: Map<string, StubTable>;
	jobs: Map<string, StubJob>;
	failNextInserts: Array<{ status: number; retryAfter?: string }>;
	/** The next request of that kind is answered with this status (and Retry-After), without effect. */
	failNext: Array<{ kind: BigQueryRequestKind; status: number; retryAfter?: string }>;
	/** The next request of that kind takes effect, then the connection drops before the answer (a timeout, to the client). */
	loseAnswerOf: BigQueryRequestKind[];
	/** The next job of that kind finishes with this error instead of running. */
	jobFailures: Array<{ kind: 'load' | 'query'; errorResult: JobError }>;
	/** How many times jobs.get answers RUNNING before a new job is DONE. */
	jobPolls: number;
	/** How many bad rows a load job names in its errors at most (BigQuery lists only its first errors). */
	loadErrorsListed: number;
	close(): Promise<void>;
}

/** What the token endpoint issues, fresh per process: API calls must carry exactly this. */
const issuedBearer = `stub-${randomUUID()}`;

const JOB_ID = /^[A-Za-z0-9_-]{1,1024}$/;

function typeProblem(field: Field, value: unknown): string | undefined {
	if (value === null || value === undefined) return field.mode === 'REQUIRED' ? 'Missing required field' : undefined;
	if ((field.type === 'INT64' || field.type === 'INTEGER') && !/^-?\d+$/.test(String(value))) return `Cannot convert value to integer (bad value): ${String(value)}`;
	if (field.type === 'TIMESTAMP' && Number.isNaN(Date.parse(String(value)))) return `Couldn't convert value to timestamp: ${String(value)}`;
	return undefined;
}

/** The two parts of a multipart/related body, or why it is not one. */
function multipartParts(contentType: string, raw: string): { parts: Array<{ headers: string; body: string }> } | { problem: string } {
	const boundary = /^multipart\/related;\s*boundary=(\S+)$/.exec(contentType)?.[1];
	if (!boundary) return { problem: `Content-Type must be multipart/related with a boundary, got '${contentType}'` };
	const sections = raw.split(`--${boundary}`);
	if (sections[0] !== '' || sections.at(-1) !== '--\r\n') return { problem: 'Malformed multipart body: it must start with the boundary and end with the closing boundary' };
	const parts = sections.slice(1, -1).map((section) => {
		const split = section.indexOf('\r\n\r\n');
		return { headers: section.slice(2, split), body: section.slice(split + 4, -2) };
	});
	return { parts };
}

/** Rows of a MERGE parsed from the SQL text; anything else fails as BigQuery's parser would. */
interface ParsedMerge {
	target: string;
	source: string;
	key: string[];
	set: Array<{ column: string; source: string; parseJson: boolean }>;
	insert: Array<{ column: string; source: string; parseJson: boolean }>;
}

const QUOTED = '`([A-Za-z_][A-Za-z0-9_]*)`';
const SOURCE_VALUE = new RegExp(`^(?:PARSE_JSON\\(s\\.${QUOTED}\\)|s\\.${QUOTED})$`);

function sourceValue(expression: string): { source: string; parseJson: boolean } | undefined {
	const match = SOURCE_VALUE.exec(expression.trim());
	return match ? { source: match[1] ?? match[2], parseJson: match[1] !== undefined } : undefined;
}

function parseMerge(sql: string): ParsedMerge | string {
	const shape = new RegExp(
		`^MERGE ${QUOTED} AS t\\s+USING ${QUOTED} AS s\\s+ON (.+?)\\s+(?:WHEN MATCHED THEN UPDATE SET (.+?)\\s+)?WHEN NOT MATCHED THEN INSERT \\((.+?)\\) VALUES \\((.+)\\)$`,
		's',
	);
	const match = shape.exec(sql.trim());
	if (!match) return `Syntax error: the stand-in expects MERGE \`target\` AS t USING \`staging\` AS s ON ... WHEN [MATCHED THEN UPDATE | NOT MATCHED THEN INSERT], got: ${sql}`;
	const [, target, source, on, set, insertColumns, insertValues] = match;
	const key: string[] = [];
	for (const condition of on.split(' AND ')) {
		const pair = new RegExp(`^t\\.${QUOTED} = s\\.${QUOTED}$`).exec(condition.trim());
		if (!pair || pair[1] !== pair[2]) return `Syntax error: unexpected join condition '${condition}'`;
		key.push(pair[1]);
	}
	const assignments: ParsedMerge['set'] = [];
	for (const item of set ? set.split(/,\s*(?=`)/) : []) {
		const [column, expression] = item.split(' = ');
		const name = new RegExp(`^${QUOTED}$`).exec(column.trim())?.[1];
		const value = expression === undefined ? undefined : sourceValue(expression);
		if (!name || !value) return `Syntax error: unexpected assignment '${item}'`;
		assignments.push({ column: name, ...value });
	}
	const columns = insertColumns.split(',').map((column) => new RegExp(`^${QUOTED}$`).exec(column.trim())?.[1]);
	const values = insertValues.split(/,\s*(?=s\.|PARSE_JSON)/).map(sourceValue);
	if (columns.some((column) => !column) || values.some((value) => !value) || columns.length !== values.length) {
		return `Syntax error: the INSERT column list and VALUES must be quoted names and s.\`name\` (or PARSE_JSON(s.\`name\`)), as many of each`;
	}
	const insert = columns.map((column, position) => ({ column: column as string, ...(values[position] as { source: string; parseJson: boolean }) }));
	return { target, source, key, set: assignments, insert };
}

export async function startBigQueryStub(options: {
	clientEmail: string;
	publicKey: string;
	project: string;
	dataset: string;
	/** The dataset's location, which jobs must name; default EU (so a job polled without it is "not found"). */
	location?: string;
}): Promise<BigQueryStub> {
	const location = options.location ?? 'EU';
	const stub: BigQueryStub = {
		url: '',
		tokenUri: '',
		requests: [],
		tables: new Map(),
		jobs: new Map(),
		failNextInserts: [],
		failNext: [],
		loseAnswerOf: [],
		jobFailures: [],
		jobPolls: 1,
		loadErrorsListed: 5,
		close: async () => undefined,
	};

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

	const tableName = (table: string) => `${options.project}:${options.dataset}.${table}`;
	const fail = (message: string, reason = 'invalid'): JobOutcome => ({ errorResult: { reason, message }, errors: [{ reason, message }] });

	/**
	 * A load job's effect: the good rows into the staging table (WRITE_TRUNCATE), skipping bad rows up
	 * to maxBadRecords and naming the first few; above it, the job fails and writes nothing.
	 */
	function loadJob(load: Record<string, unknown>, data: string): StubJob['complete'] {
		return () => {
			const fields = (load.schema as { fields: Field[] }).fields;
			const destination = load.destinationTable as { tableId: string };
			const rows: Array<Record<string, unknown>> = [];
			const errors: JobError[] = [];
			let bad = 0;
			let offset = 0;
			for (const line of data.split('\n')) {
				const start = offset;
				offset += Buffer.byteLength(line) + 1;
				if (line === '') continue;
				const row = JSON.parse(line) as Record<string, unknown>;
				const unknown = Object.keys(row).find((name) => !fields.some((field) => field.name === name));
				const problem = fields.map((field) => [field.name, typeProblem(field, row[field.name])]).find(([, text]) => text);
				const message = unknown ? `No such field: ${unknown}.` : problem && `${problem[1]}. Field: ${problem[0]}; Value: ${String(row[problem[0] as string])}`;
				if (!message) {
					rows.push(row);
					continue;
				}
				bad++;
				if (errors.length < stub.loadErrorsListed) {
					errors.push({ reason: 'invalid', location: 'file-00000000', message: `Error while reading data, error message: JSON parsing error in row starting at position ${start}: ${message}` });
				}
			}
			if (bad > Number(load.maxBadRecords ?? 0)) {
				const errorResult = {
					reason: 'invalid',
					location: 'file-00000000',
					message: `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${rows.length + bad}; errors: ${bad}. Please look into the errors[] collection for more details.`,
				};
				return { errorResult, errors: [errorResult, ...errors] };
			}
			const expiration = (load.destinationTableProperties as { expirationTime?: string } | undefined)?.expirationTime;
			stub.tables.set(destination.tableId, {
				fields,
				rows: new Map(rows.map((row, index) => [String(index), row])),
				expiresAt: expiration ? Date.parse(expiration) : undefined,
			});
			return { ...(errors.length > 0 ? { errors } : {}), statistics: { load: { inputFiles: '1', outputRows: String(rows.length), badRecords: String(bad) } } };
		};
	}

	/** A query job's effect: the MERGE, applied as BigQuery would, or its error. */
	function queryJob(sql: string): StubJob['complete'] {
		return () => {
			const merge = parseMerge(sql);
			if (typeof merge === 'string') return fail(merge);
			const target = stub.tables.get(merge.target);
			const source = stub.tables.get(merge.source);
			if (!target) return fail(`Not found: Table ${tableName(merge.target)} was not found in location ${location}`, 'notFound');
			if (!source) return fail(`Not found: Table ${tableName(merge.source)} was not found in location ${location}`, 'notFound');
			for (const { column, source: from, parseJson } of [...merge.set, ...merge.insert]) {
				const targetField = target.fields.find((field) => field.name === column);
				const sourceField = source.fields.find((field) => field.name === from);
				if (!targetField) return fail(`Name ${column} not found inside t`);
				if (!sourceField) return fail(`Name ${from} not found inside s`);
				const assigned = parseJson ? 'JSON' : sourceField.type;
				if ((targetField.type === 'JSON') !== (assigned === 'JSON')) return fail(`Value of type ${assigned} cannot be assigned to ${column}, which has type ${targetField.type}`);
			}
			const keyOf = (row: Record<string, unknown>) => merge.key.map((name) => String(row[name])).join('|');
			const seen = new Set<string>();
			for (const row of source.rows.values()) {
				if (seen.has(keyOf(row))) return fail('UPDATE/MERGE must match at most one source row for each target row');
				seen.add(keyOf(row));
			}
			const value = (row: Record<string, unknown>, from: string, parseJson: boolean) =>
				parseJson && typeof row[from] === 'string' ? (JSON.parse(row[from]) as unknown) : row[from];
			for (const row of source.rows.values()) {
				const stored = target.rows.get(keyOf(row));
				if (stored) {
					for (const { column, source: from, parseJson } of merge.set) stored[column] = value(row, from, parseJson);
				} else {
					target.rows.set(keyOf(row), Object.fromEntries(merge.insert.map(({ column, source: from, parseJson }) => [column, value(row, from, parseJson)])));
				}
			}
			return {};
		};
	}

	function jobResource(job: StubJob) {
		return {
			kind: 'bigquery#job',
			id: `${options.project}:${job.location}.${job.id}`,
			jobReference: { projectId: options.project, jobId: job.id, location: job.location },
			configuration: job.configuration,
			status: { state: job.state, errorResult: job.outcome?.errorResult, errors: job.outcome?.errors },
			statistics: job.outcome?.statistics,
		};
	}

	/** jobs.insert for both kinds: checks the reference, refuses a used id, records a RUNNING job. */
	function insertJob(kind: StubJob['kind'], job: Record<string, unknown>, complete: StubJob['complete']): { status: number; payload: unknown } {
		const reference = job.jobReference as { projectId?: string; jobId?: string; location?: string } | undefined;
		if (!reference?.jobId || !JOB_ID.test(reference.jobId)) return { status: 400, payload: { error: { code: 400, message: `Invalid job ID "${reference?.jobId}"`, errors: [{ reason: 'invalid' }] } } };
		if (reference.projectId !== options.project) return { status: 400, payload: { error: { code: 400, message: 'jobReference.projectId must be the project of the request' } } };
		if (reference.location !== location) {
			return { status: 404, payload: { error: { code: 404, message: `Not found: Dataset ${options.project}:${options.dataset} was not found in location ${reference.location ?? 'US'}`, errors: [{ reason: 'notFound' }] } } };
		}
		if (stub.jobs.has(reference.jobId)) {
			return { status: 409, payload: { error: { code: 409, message: `Already Exists: Job ${options.project}:${location}.${reference.jobId}`, errors: [{ reason: 'duplicate' }] } } };
		}
		const injected = stub.jobFailures.findIndex((failure) => failure.kind === kind);
		const failure = injected >= 0 ? stub.jobFailures.splice(injected, 1)[0] : undefined;
		const created: StubJob = {
			id: reference.jobId,
			kind,
			location,
			configuration: job.configuration as Record<string, unknown>,
			pollsLeft: stub.jobPolls,
			state: 'RUNNING',
			complete: failure ? () => ({ errorResult: failure.errorResult, errors: [failure.errorResult] }) : complete,
		};
		stub.jobs.set(created.id, created);
		return { status: 200, payload: jobResource(created) };
	}

	const base = `/bigquery/v2/projects/${options.project}/datasets/${options.dataset}`;
	const jobsPath = `/bigquery/v2/projects/${options.project}/jobs`;
	const uploadPath = `/upload/bigquery/v2/projects/${options.project}/jobs?uploadType=multipart`;

	function kindOf(method: string, path: string): BigQueryRequestKind {
		if (path === '/token') return 'token';
		if (path === uploadPath) return 'jobs.upload';
		if (path === jobsPath && method === 'POST') return 'jobs.insert';
		if (path.startsWith(`${jobsPath}/`) && method === 'GET') return 'jobs.get';
		if (path.endsWith('/insertAll')) return 'insertAll';
		if (path === `${base}/tables` && method === 'POST') return 'tables.insert';
		if (path.startsWith(`${base}/tables/`)) return ({ GET: 'tables.get', PATCH: 'tables.patch', DELETE: 'tables.delete' } as const)[method as 'GET'] ?? 'other';
		return 'other';
	}

	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks).toString();
			const path = request.url ?? '';
			const method = request.method ?? '';
			const contentType = request.headers['content-type'] ?? '';
			const isForm = contentType.startsWith('application/x-www-form-urlencoded');
			const body = raw && contentType.startsWith('application/json') ? (JSON.parse(raw) as Record<string, unknown>) : {};
			const kind = kindOf(method, path);
			const recorded: BigQueryRequest = { kind, method, path, headers: request.headers, raw, body };
			stub.requests.push(recorded);
			const lost = stub.loseAnswerOf.indexOf(kind);
			if (lost >= 0) stub.loseAnswerOf.splice(lost, 1);
			const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
				if (lost >= 0) return response.destroy();
				if (status === 204) {
					response.writeHead(204);
					return response.end();
				}
				response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
				return response.end(JSON.stringify(payload));
			};
			const apiError = (status: number, message: string, reason = 'invalid') =>
				answer(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: 'INVALID_ARGUMENT' } });

			if (kind === 'token') {
				const problem = isForm ? tokenProblem(new URLSearchParams(raw)) : 'form body expected';
				return problem ? answer(400, { error: 'invalid_grant', error_description: problem }) : answer(200, { access_token: issuedBearer, expires_in: 3599, token_type: 'Bearer' });
			}
			if (request.headers.authorization !== `Bearer ${issuedBearer}`) return apiError(401, 'Request had invalid authentication credentials.', 'authError');
			const injected = stub.failNext.findIndex((failure) => failure.kind === kind);
			if (injected >= 0) {
				const [failure] = stub.failNext.splice(injected, 1);
				return answer(failure.status, { error: { code: failure.status, message: 'Exceeded rate limits: too many api requests per user per method for this user_method', errors: [{ reason: 'rateLimitExceeded' }] } }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
			}

			if (kind === 'jobs.upload') {
				const multipart = multipartParts(contentType, raw);
				if ('problem' in multipart) return apiError(400, multipart.problem);
				if (multipart.parts.length !== 2) return apiError(400, `A multipart upload has 2 parts (metadata, media), got ${multipart.parts.length}`);
				const [metadata, media] = multipart.parts;
				if (!/^Content-Type: application\/json(; charset=UTF-8)?$/i.test(metadata.headers)) return apiError(400, `The first part must be the JSON job configuration, got headers '${metadata.headers}'`);
				const job = JSON.parse(metadata.body) as Record<string, unknown>;
				recorded.upload = { configuration: job, data: media.body };
				const load = (job.configuration as { load?: Record<string, unknown> } | undefined)?.load;
				if (!load) return apiError(400, 'An upload must carry a load job configuration');
				const destination = load.destinationTable as { projectId?: string; datasetId?: string; tableId?: string } | undefined;
				if (destination?.projectId !== options.project || destination.datasetId !== options.dataset || !destination.tableId) return apiError(400, 'destinationTable must name this project and dataset and a table');
				if (load.sourceFormat !== 'NEWLINE_DELIMITED_JSON') return apiError(400, `sourceFormat ${String(load.sourceFormat)}: the stand-in only loads NEWLINE_DELIMITED_JSON`);
				if (!Array.isArray((load.schema as { fields?: unknown } | undefined)?.fields)) return apiError(400, 'No schema specified on job or table.');
				const inserted = insertJob('load', job, loadJob(load, media.body));
				return answer(inserted.status, inserted.payload);
			}
			if (kind === 'jobs.insert') {
				const query = (body.configuration as { query?: { query?: string; useLegacySql?: boolean; defaultDataset?: { projectId?: string; datasetId?: string } } } | undefined)?.query;
				if (!query?.query) return apiError(400, 'The stand-in runs query jobs only here (loads come through the upload URL)');
				if (query.useLegacySql !== false) return apiError(400, 'MERGE is GoogleSQL: set useLegacySql to false');
				if (query.defaultDataset?.projectId !== options.project || query.defaultDataset.datasetId !== options.dataset) {
					return apiError(400, 'Table name is missing dataset while no default dataset is set in the request.');
				}
				const inserted = insertJob('query', body, queryJob(query.query));
				return answer(inserted.status, inserted.payload);
			}
			if (kind === 'jobs.get') {
				const url = new URL(path, 'http://stand-in');
				const job = stub.jobs.get(decodeURIComponent(url.pathname.slice(jobsPath.length + 1)));
				// As BigQuery: a job outside the US is found only when its location is given.
				if (!job || url.searchParams.get('location') !== job.location) return apiError(404, `Not found: Job ${options.project}:${url.pathname.split('/').at(-1)}`, 'notFound');
				if (job.state === 'RUNNING' && --job.pollsLeft <= 0) {
					job.outcome = job.complete();
					job.state = 'DONE';
				}
				return answer(200, jobResource(job));
			}

			if (!path.startsWith(base)) return apiError(404, `Not found: Dataset ${path}`, 'notFound');
			const rest = path.slice(base.length);
			if (kind === 'tables.insert') {
				const tableId = (body.tableReference as { tableId: string }).tableId;
				if (stub.tables.has(tableId)) return apiError(409, `Already Exists: Table ${tableName(tableId)}`, 'duplicate');
				stub.tables.set(tableId, { fields: (body.schema as { fields: Field[] }).fields, rows: new Map() });
				return answer(200, { tableReference: body.tableReference, schema: body.schema, location });
			}
			const match = /^\/tables\/(\w+)(\/insertAll)?$/.exec(rest);
			const table = match ? stub.tables.get(match[1]) : undefined;
			if (!match || !table) return apiError(404, `Not found: Table ${tableName(match?.[1] ?? rest)}`, 'notFound');
			if (kind === 'tables.get') return answer(200, { tableReference: { tableId: match[1] }, schema: { fields: table.fields }, location });
			if (kind === 'tables.patch') {
				table.fields = (body.schema as { fields: Field[] }).fields;
				return answer(200, { schema: { fields: table.fields }, location });
			}
			if (kind === 'tables.delete') {
				stub.tables.delete(match[1]);
				return answer(204, undefined);
			}
			if (kind === 'insertAll' && method === 'POST') {
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
	stub.close = () =>
		new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return stub;
}

/** The stand-in's requests with the Google host each was meant for, for the vendor API ledger check. */
export function googleCalls(requests: BigQueryRequest[]): Array<BigQueryRequest & { host: string }> {
	return requests.map((request) => ({ ...request, host: request.path.split('?')[0] === '/token' ? 'oauth2.googleapis.com' : 'bigquery.googleapis.com' }));
}
