/**
 * What became of one item of a flow, as one metrics row: where it came from, how it ended, why it
 * failed, and how long it took from receipt to here. No personal data: the row's key is a hash.
 */
import { createHash } from 'node:crypto';

import { canonicalJson, storableText } from '../deadLetters/failure';
import { isPlainObject, readPath, type JsonObject } from '../itemData';

export type Outcome = 'sent' | 'duplicate' | 'invalid' | 'failed';
export const OUTCOMES: readonly Outcome[] = ['sent', 'duplicate', 'invalid', 'failed'];

/** Outcomes that count as errors in the error rate. */
export const ERROR_OUTCOMES: ReadonlySet<Outcome> = new Set(['invalid', 'failed']);

/** The source of an item that names none. */
export const UNKNOWN_SOURCE = '(unknown)';

export interface OutcomeRow {
	workflowId: string;
	workflowName: string;
	executionId: string;
	/** sha256 of the item: the same item recorded twice in one execution is one row. */
	itemKey: string;
	source: string;
	outcome: Outcome;
	/** `invalid:<code>` of the first problem, `http_<status>` of a refused call, the flow's `failure.code`, `error` otherwise; null for sent and duplicate. */
	errorType: string | null;
	/** When the pack first received the item (`received_at`), when it says so. */
	receivedAt: string | null;
	recordedAt: string;
	/** recordedAt - receivedAt, when both are known and in that order. */
	latencyMs: number | null;
}

export interface RunFacts {
	workflowId: string;
	workflowName: string;
	executionId: string;
}

/** Longest source or error code kept: they are labels to group by, never free text. */
const MAX_LABEL_LENGTH = 200;

function text(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	return storableText(value.trim().slice(0, MAX_LABEL_LENGTH));
}

/**
 * Where the item came from: an NPS response's provider; a lead's latest touch's source (the one
 * that brought it this time), else its original touch's, else a plain `source` or `utm_source`.
 */
export function sourceOf(record: JsonObject): string {
	return (
		text(record.provider) ??
		text(readPath(record, 'attribution.latest.source')) ??
		text(readPath(record, 'attribution.original.source')) ??
		text(record.source) ??
		text(record.utm_source) ??
		UNKNOWN_SOURCE
	);
}

/**
 * How the item ended, read from what the pack's nodes leave on it: problems (`errors`, from
 * Normalize Lead or Map to CRM Fields) make it invalid; a dead-letter annotation, a `failure`
 * (a refused CRM or warehouse call) or an `error` (n8n's error output) failed; Dedupe's duplicate
 * annotation a duplicate; else sent.
 */
export function detectOutcome(record: JsonObject): Outcome {
	if (Array.isArray(record.errors) && record.errors.length > 0) return 'invalid';
	if ([record._dead_letter, record.failure, record.error].some((mark) => mark !== undefined && mark !== null)) return 'failed';
	if (readPath(record, '_dedupe.status') === 'duplicate') return 'duplicate';
	return 'sent';
}

/** A code made to be counted by: a short word of letters, digits and underscores, never a message. */
function label(value: unknown): string | undefined {
	return typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/i.test(value) ? value : undefined;
}

function httpStatus(record: JsonObject): number | undefined {
	for (const path of ['failure.statusCode', 'failure.error.httpCode', 'statusCode', 'error.httpCode']) {
		const status = Number(readPath(record, path));
		if (Number.isInteger(status) && status >= 100 && status <= 599) return status;
	}
	return undefined;
}

/** Why an invalid or failed item did not go through, as a type to count by (never the message: it may hold personal data). */
export function errorTypeOf(record: JsonObject, outcome: Outcome): string | null {
	if (outcome === 'invalid') {
		const first: unknown = Array.isArray(record.errors) ? record.errors[0] : undefined;
		const code = isPlainObject(first) ? text(first.code) : undefined;
		return `invalid:${code ?? 'unknown'}`;
	}
	if (outcome === 'failed') {
		const status = httpStatus(record);
		// a flow's own label for a failure no call answered (NPS templates: `not_in_crm`)
		return status === undefined ? (label(readPath(record, 'failure.code')) ?? 'error') : `http_${status}`;
	}
	return null;
}

/**
 * A label or time a flow gives by expression, as text: strings and numbers as they are, a Date or a
 * date-time object by its own toString (Luxon's DateTime prints ISO); any other object is no answer,
 * never "[object Object]".
 */
function givenText(raw: unknown): string | undefined {
	if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
	if (raw instanceof Date) return Number.isFinite(raw.getTime()) ? raw.toISOString() : undefined;
	if (typeof raw === 'object' && raw !== null && raw.toString !== Object.prototype.toString && !Array.isArray(raw)) return text(raw.toString());
	return text(raw);
}

function isoTime(raw: unknown): string | null {
	const value = givenText(raw);
	if (value === undefined) return null;
	const time = Date.parse(value);
	return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** What the flow says itself, where the item cannot: each undefined or empty one is read from the item. */
export interface GivenFacts {
	outcome?: Outcome;
	/** The source, when the item is not the record (a CRM's answer); an expression's value as it evaluated. */
	source?: unknown;
	/** When the record was received, when the item does not carry `received_at`: text, a Date or a date-time object. */
	receivedAt?: unknown;
}

/** The metrics row of one item. */
export function outcomeRow(record: JsonObject, run: RunFacts, now: Date, given: GivenFacts = {}): OutcomeRow {
	const outcome = given.outcome ?? detectOutcome(record);
	const receivedAt = isoTime(given.receivedAt) ?? isoTime(record.received_at);
	const latency = receivedAt === null ? null : now.getTime() - Date.parse(receivedAt);
	return {
		...run,
		itemKey: createHash('sha256').update(canonicalJson(record)).digest('hex'),
		source: givenText(given.source) ?? sourceOf(record),
		outcome,
		errorType: errorTypeOf(record, outcome),
		receivedAt,
		recordedAt: now.toISOString(),
		latencyMs: latency !== null && latency >= 0 ? latency : null,
	};
}
