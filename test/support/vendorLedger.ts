/**
 * The vendor API ledger (docs/vendor-api-ledger.json): every vendor endpoint the templates and nodes call,
 * with its version, status, sunset date and source. Read by the template check, by the CRM stand-in (every
 * request it receives must be a ledger endpoint that is not blocked) and by scripts/ledger.mjs, which
 * renders it into the README.
 */
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const endpointSchema = z
	.object({
		id: z.string().regex(/^[a-z0-9]+(\.[a-zA-Z0-9]+)+$/),
		vendor: z.string().min(1),
		/** a host name; {name} stands for one label or more (an org's instance, a data centre) */
		host: z.string().min(1),
		/** an HTTP method, or * for several on one resource */
		method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*']),
		/** the path without query; {name} stands for one path segment */
		path: z.string().startsWith('/'),
		version: z.string().min(1),
		status: z.enum(['current', 'legacy', 'deprecated', 'retired']),
		/** the day the vendor stops supporting (or switched off) the endpoint, when announced */
		sunset: date.nullable(),
		/** `file` or `workflows/<template>.json#<node name>` */
		usedBy: z.array(z.string().min(1)),
		source: z.string().url(),
		sourceRead: z.boolean(),
		checked: date,
		note: z.string().min(1),
		/** the n8n built-in node operations that call this endpoint */
		n8nNode: z.array(z.object({ type: z.string(), resource: z.string(), operation: z.string() }).strict()).optional(),
		/** what the vendor answers since the endpoint was switched off */
		retiredAnswer: z.object({ status: z.number().int(), body: z.unknown() }).strict().optional(),
	})
	.strict()
	.refine((entry) => entry.status !== 'retired' || entry.retiredAnswer !== undefined, 'a retired endpoint records the answer the vendor gives')
	.refine((entry) => !['deprecated', 'retired'].includes(entry.status) || entry.sunset !== null, 'a deprecated or retired endpoint has its date');

export const ledgerSchema = z
	.object({
		checked: date,
		sourceReadMeans: z.string(),
		vendors: z.record(z.object({ auth: z.string(), errorFormat: z.string(), rateLimit: z.string(), source: z.string().url() }).strict()),
		endpoints: z.array(endpointSchema),
	})
	.strict();

export type Ledger = z.infer<typeof ledgerSchema>;
export type LedgerEndpoint = Ledger['endpoints'][number];

export const LEDGER_FILE = path.resolve(__dirname, '..', '..', 'docs', 'vendor-api-ledger.json');

export function loadLedger(file = LEDGER_FILE): Ledger {
	return ledgerSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A host or path template as a RegExp: {name} is one or more host labels, or one path segment. */
function templateRegExp(template: string, placeholder: string): RegExp {
	const parts = template.split(/\{[^}]+\}/);
	return new RegExp(`^${parts.map(escape).join(placeholder)}$`);
}

const matchers = new WeakMap<LedgerEndpoint, { host: RegExp; path: RegExp }>();
function matcherOf(entry: LedgerEndpoint) {
	let matcher = matchers.get(entry);
	if (!matcher) {
		matcher = { host: templateRegExp(entry.host, '[a-z0-9-]+(?:\\.[a-z0-9-]+)*'), path: templateRegExp(entry.path, '[^/]+') };
		matchers.set(entry, matcher);
	}
	return matcher;
}

/** The ledger entry of a call (the path's query is ignored), or undefined when the ledger does not list it. */
export function findEndpoint(ledger: Ledger, host: string, method: string, pathWithQuery: string): LedgerEndpoint | undefined {
	const [pathOnly] = pathWithQuery.split('?');
	return ledger.endpoints.find((entry) => {
		const matcher = matcherOf(entry);
		return (entry.method === '*' || entry.method === method) && matcher.host.test(host) && matcher.path.test(pathOnly);
	});
}

/** Twelve months: the notice a user needs to move a live flow before the vendor switches an endpoint off. */
const NOTICE_DAYS = 365;

/** Why an endpoint must not be called any more (retired, out of support, or losing support within 12 months of `today`). */
export function blockedReason(entry: LedgerEndpoint, today: Date): string | undefined {
	if (entry.status === 'retired') return `retired on ${entry.sunset}`;
	if (entry.sunset === null) return undefined;
	const daysLeft = (Date.parse(`${entry.sunset}T00:00:00Z`) - today.getTime()) / 86_400_000;
	if (daysLeft <= 0) return `${entry.status}, out of support since ${entry.sunset}`;
	if (daysLeft <= NOTICE_DAYS) return `${entry.status}, loses support on ${entry.sunset} (within 12 months)`;
	return undefined;
}

/**
 * The calls a stand-in received that the ledger does not list, or lists as retired or losing support within
 * twelve months, each as "METHOD host/path (entry) is <why>".
 */
export function ledgerViolationsOf(requests: ReadonlyArray<{ method: string; host: string; path: string }>, today = new Date()): string[] {
	const ledger = loadLedger();
	return requests.flatMap(({ method, host, path: requestPath }) => {
		const call = `${method} ${host}${requestPath.split('?')[0]}`;
		const entry = findEndpoint(ledger, host, method, requestPath);
		if (entry === undefined) return [`${call} is not in the vendor API ledger`];
		const reason = blockedReason(entry, today);
		return reason === undefined ? [] : [`${call} (${entry.id}) is ${reason}`];
	});
}
