import type { FieldIssue, Normalized } from '../schema/issue';
import { issue } from '../schema/issue';
import type { Touch } from '../schema/lead';
import { touchSchema } from '../schema/lead';
import { foldKey, isBlank, parseDateTime, trimText } from './text';

/** The lead fields a touch is read from (values as they came, any type). */
export interface TouchFields {
	utm_source?: unknown;
	utm_medium?: unknown;
	utm_campaign?: unknown;
	utm_term?: unknown;
	utm_content?: unknown;
	gclid?: unknown;
	fbclid?: unknown;
	msclkid?: unknown;
	li_fat_id?: unknown;
	ttclid?: unknown;
	landing_page?: unknown;
	referrer?: unknown;
	/** When the touch happened (the lead's created_at): any form parseDateTime reads. */
	at?: unknown;
}

export interface Attribution {
	original: Touch | null;
	latest: Touch | null;
}

type UtmKey = 'source' | 'medium' | 'campaign' | 'term' | 'content';

const UTM_PARAMETERS: ReadonlyMap<string, UtmKey> = new Map([
	['utm_source', 'source'],
	['utm_medium', 'medium'],
	['utm_campaign', 'campaign'],
	['utm_term', 'term'],
	['utm_content', 'content'],
]);

/**
 * Ad-platform click ids, in the order they decide source / medium when the UTM tags say nothing.
 * gclid, gbraid and wbraid (Google's iOS variants) and msclkid are only added to paid clicks, as are
 * LinkedIn's li_fat_id and TikTok's ttclid; Facebook adds fbclid to every outbound link, organic
 * posts included, so it only says "came from Facebook" (social, not paid_social).
 */
const CLICK_ID_CHANNELS: ReadonlyMap<string, { source: string; medium: string }> = new Map([
	['gclid', { source: 'google', medium: 'cpc' }],
	['gbraid', { source: 'google', medium: 'cpc' }],
	['wbraid', { source: 'google', medium: 'cpc' }],
	['msclkid', { source: 'bing', medium: 'cpc' }],
	['li_fat_id', { source: 'linkedin', medium: 'paid_social' }],
	['ttclid', { source: 'tiktok', medium: 'paid_social' }],
	['fbclid', { source: 'facebook', medium: 'social' }],
]);
const FIELD_CLICK_IDS = ['gclid', 'fbclid', 'msclkid', 'li_fat_id', 'ttclid'] as const;

interface Channel {
	source: string;
	medium: string;
}

const organicSearch = (source: string): Channel => ({ source, medium: 'organic' });
const social = (source: string): Channel => ({ source, medium: 'social' });

/** Hosts known as a whole: link shorteners, app referrers (android-app://<package>) and ad redirects. */
const CHANNEL_BY_HOST: ReadonlyMap<string, Channel> = new Map([
	['t.co', social('twitter')],
	['x.com', social('twitter')],
	['lnkd.in', social('linkedin')],
	['youtu.be', social('youtube')],
	['fb.me', social('facebook')],
	['wa.me', social('whatsapp')],
	['com.google.android.googlequicksearchbox', organicSearch('google')],
	['com.linkedin.android', social('linkedin')],
	['com.facebook.katana', social('facebook')],
	['com.instagram.android', social('instagram')],
	['googleadservices.com', { source: 'google', medium: 'cpc' }],
]);

/** Search engines by site name (any country domain); only search hosts count (mail.google.com is a referral). */
const SEARCH_ENGINE_SITES: ReadonlyMap<string, Channel> = new Map(
	['google', 'bing', 'yahoo', 'duckduckgo', 'yandex', 'baidu', 'ecosia', 'naver'].map((site) => [site, organicSearch(site)]),
);
const SEARCH_SUBDOMAINS = new Set(['', 'www', 'm', 'search', 'cn']);

/** Social networks by site name: every subdomain counts (l.facebook.com, lm.facebook.com, br.linkedin.com). */
const SOCIAL_SITES: ReadonlyMap<string, Channel> = new Map([
	['facebook', social('facebook')],
	['instagram', social('instagram')],
	['linkedin', social('linkedin')],
	['twitter', social('twitter')],
	['youtube', social('youtube')],
	['tiktok', social('tiktok')],
	['pinterest', social('pinterest')],
	['reddit', social('reddit')],
	['whatsapp', social('whatsapp')],
	['threads', social('threads')],
]);

/** Second-level labels of country domains (google.com.br, bbc.co.uk): the site name is one label further left. */
const SECOND_LEVEL_LABELS = new Set(['com', 'co', 'org', 'net', 'gov', 'gob', 'edu', 'ac', 'or', 'ne']);
/** What analytics tools write for "no referrer". */
const NO_REFERRER = new Set(['direct', 'none', 'null', 'undefined']);

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function withoutWww(host: string): string {
	return host.startsWith('www.') ? host.slice(4) : host;
}

/** GA-style source / medium of a referring host: search engines organic, social networks social, others referral. */
export function channelOfReferrer(host: string): Channel {
	const known = CHANNEL_BY_HOST.get(withoutWww(host));
	if (known !== undefined) return known;

	const labels = host.split('.');
	const last = labels.length - 1;
	const isCountrySecondLevel = labels.length >= 3 && labels[last].length === 2 && SECOND_LEVEL_LABELS.has(labels[last - 1]);
	const suffixLength = isCountrySecondLevel ? 2 : 1;
	const siteIndex = last - suffixLength;
	if (siteIndex >= 0) {
		const site = labels[siteIndex];
		const socialChannel = SOCIAL_SITES.get(site);
		if (socialChannel !== undefined) return socialChannel;
		const searchChannel = SEARCH_ENGINE_SITES.get(site);
		const subdomain = labels.slice(0, siteIndex).join('.');
		const isSearchHost = SEARCH_SUBDOMAINS.has(subdomain) || subdomain.endsWith('.search');
		if (searchChannel !== undefined && isSearchHost) return searchChannel;
	}
	return { source: withoutWww(host), medium: 'referral' };
}

interface ParsedUrl {
	/** The text kept on the touch: as given, with https: added when it had no scheme. */
	text: string;
	/** Lower-cased host; null for a site-relative path ("/pricing?utm_source=x"). */
	host: string | null;
	/** The raw query, without '?' and fragment. */
	query: string;
}

/**
 * http(s) URLs with a plain ASCII host name, the shape of nearly every landing page and referrer.
 * URL accepts all of them, so they are split here without building one. Groups: host, the rest.
 */
const PLAIN_HTTP_URL = /^https?:\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::\d{1,4})?([/?#]\S*)?$/i;
/** Only lets URL parse a site-relative path; never shown. */
const RELATIVE_BASE = 'https://relative.invalid';
const PLUS = /\+/g;

/** The query in what follows a URL's host: after the first '?', up to the fragment. */
function queryOf(afterHost: string): string {
	const fragmentStart = afterHost.indexOf('#');
	const beforeFragment = fragmentStart < 0 ? afterHost : afterHost.slice(0, fragmentStart);
	const queryStart = beforeFragment.indexOf('?');
	return queryStart < 0 ? '' : beforeFragment.slice(queryStart + 1);
}

/**
 * A landing page or referrer as a URL. Accepts full URLs, scheme-less ones ("www.acme.com/lp",
 * "//acme.com/lp") and site-relative paths ("/pricing?utm_source=x"); null when it is not a web
 * address (a scheme-less host needs a dot).
 */
function parseUrl(text: string): ParsedUrl | null {
	const plain = PLAIN_HTTP_URL.exec(text);
	if (plain !== null) return { text, host: plain[1].toLowerCase(), query: queryOf(plain[2] ?? '') };

	const isPath = text.startsWith('/') && !text.startsWith('//');
	const hasScheme = SCHEME.test(text);
	const absolute = hasScheme || isPath ? text : `https:${text.startsWith('//') ? '' : '//'}${text}`;
	let url: URL;
	try {
		url = new URL(absolute, isPath ? RELATIVE_BASE : undefined);
	} catch {
		return null;
	}
	const query = url.search.slice(1);
	if (isPath) return { text, host: null, query };
	const host = url.hostname.toLowerCase();
	if (!hasScheme && !host.includes('.')) return null;
	return { text: absolute, host, query };
}

/** A query-string name or value decoded the way URLSearchParams does ('+' is a space). */
function decodeQueryPart(part: string): string {
	if (!part.includes('%')) return part.includes('+') ? part.replace(PLUS, ' ') : part;
	try {
		return decodeURIComponent(part.replace(PLUS, ' '));
	} catch {
		// Malformed escapes ("100%"): URLSearchParams keeps them as typed and decodes the rest.
		return new URLSearchParams(`v=${part}`).get('v') ?? part;
	}
}

/**
 * Copies the utm_* parameters and click ids of a query into utm and clickIds where those have no
 * value yet. Names match in any case; blank values are skipped; the first of repeated ones counts.
 */
function readQuery(query: string, utm: Record<UtmKey, string | null>, clickIds: Record<string, string>): void {
	let start = 0;
	while (start < query.length) {
		let end = query.indexOf('&', start);
		if (end < 0) end = query.length;
		const equals = query.indexOf('=', start);
		const nameEnd = equals >= 0 && equals < end ? equals : end;
		const name = decodeQueryPart(query.slice(start, nameEnd)).toLowerCase();
		const utmKey = UTM_PARAMETERS.get(name);
		const isClickId = utmKey === undefined && CLICK_ID_CHANNELS.has(name);
		if (utmKey !== undefined || isClickId) {
			const value = decodeQueryPart(query.slice(nameEnd + 1, end)).trim();
			if (value !== '' && utmKey !== undefined) utm[utmKey] ??= value;
			else if (value !== '') clickIds[name] ??= value;
		}
		start = end + 1;
	}
}

/**
 * The marketing touch described by a lead's UTM fields, click ids, landing page and referrer, or
 * null when it has none of them.
 *
 * - UTM values from the fields win; missing ones come from the landing page's query, then the
 *   referrer's. Parameter names are matched case-insensitively. source and medium are lower-cased
 *   (GA's convention, so 'Google' and 'google' are one source); campaign, term and content are only
 *   trimmed.
 * - Click ids (gclid, gbraid, wbraid, fbclid, msclkid, li_fat_id, ttclid) come from the fields, then
 *   the same URLs.
 * - Without utm_source, source (and medium, when it is also missing) is derived: from a click id
 *   first (see CLICK_ID_CHANNELS), else from the referrer's host like GA does (channelOfReferrer).
 *   A referrer on the landing page's own host is internal navigation and derives nothing. With
 *   neither, source stays null: a form that does not capture the referrer cannot tell direct
 *   traffic from unknown.
 * - A landing page or referrer that is not a web address is left out with a warning `invalid_url`;
 *   an unreadable `at` is left out with a warning `invalid_date` (the touch is still usable).
 */
export function captureTouch(fields: TouchFields): Normalized<Touch | null> {
	const warnings: FieldIssue[] = [];
	const utm: Record<UtmKey, string | null> = {
		source: trimText(fields.utm_source),
		medium: trimText(fields.utm_medium),
		campaign: trimText(fields.utm_campaign),
		term: trimText(fields.utm_term),
		content: trimText(fields.utm_content),
	};
	const clickIds: Record<string, string> = {};
	for (const key of FIELD_CLICK_IDS) {
		const clickId = trimText(fields[key]);
		if (clickId !== null) clickIds[key] = clickId;
	}

	const readUrlField = (field: 'landing_page' | 'referrer'): ParsedUrl | null => {
		const text = trimText(fields[field]);
		if (text === null) return null;
		const parsed = parseUrl(text);
		if (parsed === null && !(field === 'referrer' && NO_REFERRER.has(foldKey(text)))) {
			warnings.push(issue(field, 'invalid_url', `${field} '${text}' is not a web address; it was left out`));
		}
		if (parsed !== null) readQuery(parsed.query, utm, clickIds);
		return parsed;
	};
	const landingPage = readUrlField('landing_page');
	const referrer = readUrlField('referrer');

	const hasUtm = Object.values(utm).some((value) => value !== null);
	const hasClickIds = Object.keys(clickIds).length > 0;
	if (!hasUtm && !hasClickIds && landingPage === null && referrer === null) {
		return { value: null, errors: [], warnings };
	}

	if (utm.source === null) {
		const derived = channelOfClickIds(clickIds) ?? externalReferrerChannel(referrer, landingPage);
		if (derived !== null) {
			utm.source = derived.source;
			utm.medium ??= derived.medium;
		}
	}

	// The time is the lead's created_at; a bad one only costs the touch its time, so it is a warning.
	const at = parseDateTime(fields.at, 'created_at');
	warnings.push(...at.errors, ...at.warnings);

	return {
		value: {
			source: utm.source?.toLowerCase() ?? null,
			medium: utm.medium?.toLowerCase() ?? null,
			campaign: utm.campaign,
			term: utm.term,
			content: utm.content,
			click_ids: clickIds,
			landing_page: landingPage?.text ?? null,
			referrer: referrer?.text ?? null,
			at: at.value,
		},
		errors: [],
		warnings,
	};
}

function channelOfClickIds(clickIds: Record<string, string>): Channel | null {
	for (const [clickId, channel] of CLICK_ID_CHANNELS) {
		if (clickIds[clickId] !== undefined) return channel;
	}
	return null;
}

function externalReferrerChannel(referrer: ParsedUrl | null, landingPage: ParsedUrl | null): Channel | null {
	if (referrer === null || referrer.host === null || referrer.host === '') return null;
	const landingHost = landingPage === null ? null : landingPage.host;
	if (landingHost !== null && withoutWww(landingHost) === withoutWww(referrer.host)) return null;
	return channelOfReferrer(referrer.host);
}

/**
 * The lead's attribution after a new touch: the original (first) touch is never replaced once set;
 * latest becomes the new touch, or stays when there is none. An attribution with only a latest
 * touch (written by another tool) keeps that as the original, being the earliest one known.
 */
export function mergeAttribution(existing: Attribution | undefined, touch: Touch | null): Attribution {
	return {
		original: existing?.original ?? existing?.latest ?? touch,
		latest: touch ?? existing?.latest ?? null,
	};
}

const EMPTY_TOUCH: Touch = {
	source: null,
	medium: null,
	campaign: null,
	term: null,
	content: null,
	click_ids: {},
	landing_page: null,
	referrer: null,
	at: null,
};

function readStoredTouch(value: unknown, path: string, warnings: FieldIssue[]): Touch | null {
	if (value === null || value === undefined) return null;
	const isObject = typeof value === 'object' && !Array.isArray(value);
	const parsed = isObject ? touchSchema.safeParse({ ...EMPTY_TOUCH, ...value }) : null;
	if (parsed?.success) return parsed.data;
	const problem = parsed?.error.issues[0];
	const detail = problem === undefined ? 'it is not an object' : `${problem.path.join('.')}: ${problem.message}`;
	warnings.push(issue(path, 'invalid_attribution', `${path} is not a valid touch (${detail}); it was ignored`));
	return null;
}

/**
 * The attribution an item already carries ({ original, latest }, e.g. from a previous run or the
 * CRM), as an object or its JSON text, so mergeAttribution can keep its first touch. Touches are
 * checked with touchSchema; keys they lack are taken as null (click_ids as {}), so hand-written
 * touches such as { source, medium } are accepted. Anything unusable is ignored with a warning
 * `invalid_attribution`: the lead itself is still fine.
 */
export function readExistingAttribution(
	value: unknown,
	field = 'attribution',
): Normalized<Attribution | undefined> {
	const warnings: FieldIssue[] = [];
	if (isBlank(value)) return { value: undefined, errors: [], warnings };

	let stored = value;
	if (typeof value === 'string') {
		try {
			stored = JSON.parse(value);
		} catch {
			stored = undefined;
		}
	}
	const isAttribution =
		typeof stored === 'object' && stored !== null && !Array.isArray(stored) && ('original' in stored || 'latest' in stored);
	if (!isAttribution) {
		warnings.push(issue(field, 'invalid_attribution', `${field} is not an { original, latest } object; it was ignored`));
		return { value: undefined, errors: [], warnings };
	}
	const { original, latest } = stored as { original?: unknown; latest?: unknown };
	return {
		value: {
			original: readStoredTouch(original, `${field}.original`, warnings),
			latest: readStoredTouch(latest, `${field}.latest`, warnings),
		},
		errors: [],
		warnings,
	};
}
