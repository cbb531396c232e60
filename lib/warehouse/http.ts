/**
 * The HTTP seen by the REST targets (Snowflake, BigQuery): one function sending a request and
 * returning status, headers and parsed body. The node passes n8n's HTTP helpers; tests can pass
 * anything. Status codes are judged here: 429 and 5xx are transient, honouring Retry-After.
 */
import { TransientError, parseRetryAfter } from './retry';

export interface HttpRequest {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	url: string;
	headers: Record<string, string>;
	/** A string is sent as it is (under the Content-Type header given); anything else as JSON, unless `form` is set. */
	body?: unknown;
	/** application/x-www-form-urlencoded body (OAuth token exchange). */
	form?: Record<string, string>;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

/** A response the service answered with an error the caller must not retry as is. */
export class HttpStatusError extends Error {
	constructor(
		message: string,
		readonly status: number,
		/** Service-specific detail (Snowflake's SQLSTATE, BigQuery's reason). */
		readonly code?: string,
	) {
		super(message);
	}
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'ENOTFOUND']);

function header(response: HttpResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Throws a TransientError for statuses worth retrying (with the server's Retry-After). */
export function throwIfTransient(response: HttpResponse, what: string): void {
	if (!TRANSIENT_STATUS.has(response.status)) return;
	throw new TransientError(`${what} answered ${response.status}; retrying`, parseRetryAfter(header(response, 'retry-after')));
}

export function isTransientHttpError(error: unknown): boolean {
	if (error instanceof TransientError) return true;
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

function requestText(body: unknown): string | undefined {
	if (body === undefined || typeof body === 'string') return body;
	return JSON.stringify(body);
}

/** HTTP through Node's fetch: for n8n's credential tests, which get no HTTP helper. */
export const fetchSend: HttpSend = async (request) => {
	const response = await fetch(request.url, {
		method: request.method,
		headers: request.form ? { ...request.headers, 'Content-Type': 'application/x-www-form-urlencoded' } : request.headers,
		body: request.form ? new URLSearchParams(request.form).toString() : requestText(request.body),
	});
	const text = await response.text();
	let body: unknown = text;
	if (text && (response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
	return { status: response.status, headers: Object.fromEntries(response.headers), body };
};
