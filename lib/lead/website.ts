import { domainToUnicode } from 'node:url';

import type { Normalized } from '../schema/issue';
import { issue, textOf } from '../schema/issue';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/;

function notAWebAddress(text: string, field: string): Normalized<{ url: null; domain: null }> {
	return {
		value: { url: null, domain: null },
		errors: [],
		warnings: [issue(field, 'invalid_url', `website '${text}' is not a web address; it was left out`)],
	};
}

/**
 * A company website as typed in a form ("acme.com", "www.Acme.com.br/", "https://acme.io/pt").
 * The URL keeps its path (landing pages are meaningful) and gains https:// when it had no scheme;
 * the domain is the lower-cased host without "www.", which Dedupe compares with email domains.
 */
export function normalizeWebsite(input: unknown, field = 'website'): Normalized<{ url: string | null; domain: string | null }> {
	const empty = { value: { url: null, domain: null }, errors: [], warnings: [] };
	if (input === null || input === undefined) return empty;
	const text = textOf(input).trim();
	if (text === '') return empty;

	const withScheme = SCHEME.test(text) ? text : `https://${text}`;
	let asciiHost: string;
	let url: string;
	try {
		const parsed = new URL(withScheme);
		// "mailto:ana@acme.com" parses as user "mailto" at acme.com: a website never carries credentials.
		if (parsed.username || parsed.password) return notAWebAddress(text, field);
		asciiHost = parsed.hostname.replace(/^www\./, '');
		url = parsed.pathname === '/' && !parsed.search && !parsed.hash ? parsed.origin : parsed.href;
	} catch {
		return notAWebAddress(text, field);
	}
	if (!HOSTNAME.test(asciiHost)) return notAWebAddress(text, field);
	// URL gives punycode (xn--...); emails keep Unicode domains, and Dedupe compares the two.
	const domain = domainToUnicode(asciiHost);
	return { value: { url, domain }, errors: [], warnings: [] };
}
