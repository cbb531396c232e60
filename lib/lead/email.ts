import type { FieldIssue, Normalized } from '../schema/issue';
import { issue } from '../schema/issue';

export interface NormalizedEmail {
	/** The address, lower-cased, without display name, angle brackets or "mailto:". */
	email: string | null;
	domain: string | null;
	/** Free-mail or consumer domain (isFreeMailDomain): never a company's domain. */
	isFree: boolean | null;
	/** The address with provider aliasing removed, for matching only (see emailMatchKey). */
	matchKey: string | null;
}

/**
 * Consumer mailbox providers and ISPs. Brands with a domain per country (hotmail.*, yahoo.*, ...)
 * are matched by FREE_MAIL_BRANDS instead of being listed here.
 */
const FREE_MAIL_DOMAINS = new Set([
	// Google, Apple, Microsoft, Yahoo and AOL single domains
	'gmail.com', 'googlemail.com', 'icloud.com', 'me.com', 'mac.com', 'privaterelay.appleid.com', 'passport.com',
	'ymail.com', 'rocketmail.com', 'aim.com', 'verizon.net',
	// privacy-focused and independent providers
	'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me', 'tutanota.com', 'tutanota.de', 'tutamail.com', 'tuta.io', 'tuta.com',
	'keemail.me', 'hey.com', 'fastmail.com', 'fastmail.fm', 'hushmail.com', 'duck.com', 'posteo.de', 'posteo.net', 'mailbox.org',
	'zoho.com', 'zohomail.com', 'mail.com', 'email.com', 'usa.com', 'inbox.com', 'lycos.com', 'runbox.com', 'disroot.org',
	// Brazil
	'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br', 'r7.com', 'zipmail.com.br', 'globo.com', 'globomail.com',
	'oi.com.br', 'pop.com.br', 'superig.com.br', 'click21.com.br',
	// Spanish-speaking countries and Portugal
	'prodigy.net.mx', 'terra.com.mx', 'terra.es', 'telefonica.net', 'movistar.es', 'ono.com', 'sapo.pt', 'clix.pt', 'netcabo.pt',
	'speedy.com.ar', 'fibertel.com.ar', 'arnet.com.ar', 'ciudad.com.ar', 'une.net.co', 'etb.net.co', 'vtr.net', 'entelchile.net',
	// Germany, Austria, Switzerland
	'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'online.de', 'vodafone.de', 'kabelmail.de', 'bluewin.ch',
	// France, Belgium, Netherlands
	'orange.fr', 'free.fr', 'wanadoo.fr', 'sfr.fr', 'laposte.net', 'neuf.fr', 'bbox.fr', 'club-internet.fr', 'aliceadsl.fr',
	'skynet.be', 'telenet.be', 'ziggo.nl', 'kpnmail.nl', 'planet.nl', 'home.nl', 'xs4all.nl', 'hetnet.nl',
	// Italy
	'libero.it', 'virgilio.it', 'alice.it', 'tiscali.it', 'tin.it', 'fastwebnet.it', 'email.it', 'inwind.it', 'iol.it',
	// United Kingdom and Ireland
	'btinternet.com', 'sky.com', 'virginmedia.com', 'ntlworld.com', 'talktalk.net', 'blueyonder.co.uk', 'tiscali.co.uk',
	'eircom.net',
	// United States and Canada
	'comcast.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net', 'optonline.net',
	'frontier.com', 'juno.com', 'netzero.net', 'windstream.net', 'centurylink.net', 'roadrunner.com', 'rogers.com', 'shaw.ca',
	'sympatico.ca', 'videotron.ca', 'telus.net',
	// Australia and New Zealand
	'bigpond.com', 'bigpond.net.au', 'optusnet.com.au', 'iinet.net.au', 'tpg.com.au', 'xtra.co.nz',
	// Eastern Europe and Russia
	'mail.ru', 'inbox.ru', 'list.ru', 'bk.ru', 'internet.ru', 'ya.ru', 'rambler.ru', 'seznam.cz', 'centrum.cz', 'wp.pl', 'o2.pl',
	'onet.pl', 'interia.pl', 'abv.bg', 'ukr.net', 'i.ua',
	// Asia
	'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'aliyun.com', '139.com',
	'naver.com', 'daum.net', 'hanmail.net', 'nate.com', 'rediffmail.com',
]);

/** Providers with the same mailbox service under many country domains: yahoo.com.br, hotmail.co.uk, gmx.de, ... */
const FREE_MAIL_BRANDS = new Set(['hotmail', 'outlook', 'live', 'windowslive', 'msn', 'yahoo', 'aol', 'gmx', 'yandex']);
/** What may follow a brand: a country or generic top-level domain, alone or under com/co/net/org ("com.br", "co.uk"). */
const BRAND_COUNTRY_SUFFIX = /^(?:[a-z]{2,3}|(?:com?|net|org|ne|or)\.[a-z]{2})$/;
/** Microsoft's consumer mailboxes, which accept "+tag" sub-addresses. */
const MICROSOFT_BRANDS = new Set(['hotmail', 'outlook', 'live', 'windowslive', 'msn']);

/** The brand of a country-domain family ("yahoo" for "yahoo.com.br"), or null. */
function mailBrand(domain: string): string | null {
	const dot = domain.indexOf('.');
	if (dot < 0) return null;
	const brand = domain.slice(0, dot);
	return FREE_MAIL_BRANDS.has(brand) && BRAND_COUNTRY_SUFFIX.test(domain.slice(dot + 1)) ? brand : null;
}

/** True for free-mail and consumer mailbox domains (gmail.com, hotmail.co.uk, uol.com.br, ...). Expects a lower-case domain. */
export function isFreeMailDomain(domain: string): boolean {
	return FREE_MAIL_DOMAINS.has(domain) || mailBrand(domain) !== null;
}

/**
 * Misspelt domains of the biggest providers, with the intended domain. Built from each provider's
 * common misspellings and from mistyped top-level domains ("gmail.con"). Only used to warn: a
 * look-alike domain can be real, so the address is never changed.
 */
const DOMAIN_TYPOS = new Map<string, string>();
const PROVIDER_MISSPELLINGS: Array<{ domain: string; misspellings: string[] }> = [
	{
		domain: 'gmail.com',
		misspellings: ['gmial', 'gmai', 'gamil', 'gmal', 'gnail', 'gmaill', 'gmil', 'gmali', 'gmaul', 'gemail', 'gimail', 'gmsil', 'gmeil', 'gmall', 'gmaik', 'gmaiil', 'gmqil', 'gmakl'],
	},
	{
		domain: 'hotmail.com',
		misspellings: ['hotmial', 'hotmal', 'hotmai', 'hotmil', 'hotmaill', 'hotamil', 'hotmsil', 'homail', 'hotnail', 'hotmali', 'hotmeil', 'hotimail', 'htomail', 'hotail', 'hitmail', 'hotmaiil', 'hormail', 'hotmaul'],
	},
	{ domain: 'outlook.com', misspellings: ['outlok', 'outllok', 'outloo', 'outook', 'oulook', 'otlook', 'outlock', 'outlookk', 'putlook', 'outluk', 'outlool'] },
	{ domain: 'yahoo.com', misspellings: ['yaho', 'yahooo', 'yhaoo', 'yahho', 'yaoo', 'yhoo', 'yaboo', 'yajoo', 'tahoo', 'uahoo'] },
	{ domain: 'icloud.com', misspellings: ['iclod', 'icoud', 'icluod', 'iclud', 'icould', 'icloude', 'iclould', 'iclaud', 'icload'] },
];
/** Providers that also have a .com.br domain, so a misspelt "hotmial.com.br" means "hotmail.com.br". */
const HAS_BRAZILIAN_DOMAIN = new Set(['hotmail', 'outlook', 'yahoo']);
const MISTYPED_COM = ['con', 'cmo', 'vom', 'xom', 'comm', 'cm', 'co', 'om', 'ocm', 'cim', 'cpm', 'coom', 'com.com', 'comn'];
for (const { domain, misspellings } of PROVIDER_MISSPELLINGS) {
	const provider = domain.slice(0, domain.indexOf('.'));
	for (const misspelling of misspellings) {
		DOMAIN_TYPOS.set(`${misspelling}.com`, domain);
		DOMAIN_TYPOS.set(`${misspelling}.com.br`, HAS_BRAZILIAN_DOMAIN.has(provider) ? `${provider}.com.br` : domain);
	}
}
for (const provider of ['gmail', 'hotmail', 'outlook', 'yahoo', 'icloud', 'aol', 'live', 'msn']) {
	for (const tld of MISTYPED_COM) {
		// live.co and msn.co are not obviously mistakes for .com, the others' .co domains take no mail.
		if (tld === 'co' && (provider === 'live' || provider === 'msn')) continue;
		DOMAIN_TYPOS.set(`${provider}.${tld}`, `${provider}.com`);
	}
}
// Google and Apple have no Brazilian mail domain; ".com.br" is the usual slip of Brazilian users.
DOMAIN_TYPOS.set('gmail.com.br', 'gmail.com');
DOMAIN_TYPOS.set('icloud.com.br', 'icloud.com');

/** Providers that deliver "name+tag@" to "name@" (plus addressing) beyond Gmail and Microsoft's. */
const PLUS_TAG_DOMAINS = new Set([
	'icloud.com', 'me.com', 'mac.com', 'fastmail.com', 'fastmail.fm', 'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me',
]);
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
const DOTS = /\./g;

function withoutPlusTag(local: string): string {
	const plus = local.indexOf('+');
	return plus > 0 ? local.slice(0, plus) : local;
}

/**
 * The address as a mailbox identity, for matching only. Gmail ignores dots and "+tags" and treats
 * googlemail.com as gmail.com; Microsoft (Outlook, Hotmail, Live, MSN), Apple (iCloud, me.com,
 * mac.com), Fastmail and Proton drop "+tags". Yahoo's disposable addresses ("name-tag@") are kept:
 * the base name is chosen freely, so the tag cannot be told from the name. Other domains are only
 * lower-cased: company mail servers may deliver "sales+eu@" and "sales@" to different people.
 */
function emailMatchKey(local: string, domain: string, brand: string | null): string {
	if (GMAIL_DOMAINS.has(domain)) return `${withoutPlusTag(local).replace(DOTS, '')}@gmail.com`;
	if (PLUS_TAG_DOMAINS.has(domain) || (brand !== null && MICROSOFT_BRANDS.has(brand))) return `${withoutPlusTag(local)}@${domain}`;
	return `${local}@${domain}`;
}

/** RFC 5322 dot-atom: atext runs separated by single dots. Quoted local parts are not accepted. */
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ASCII_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** Internationalised domain written in Unicode ("construção.com.br"): labels of letters, marks and digits. */
const UNICODE_DOMAIN = /^(?:[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+(?:[\p{L}\p{M}]{2,63}|xn--[a-z0-9-]{1,59})$/u;
/** Any UTF-16 code unit outside ASCII, surrogate halves included. */
const NON_ASCII = /[\u0080-\uffff]/;
const MAX_LOCAL_LENGTH = 64;
const MAX_ADDRESS_LENGTH = 254;

/** The local part and domain of a syntactically valid lower-case address, or null. */
function splitAddress(address: string): { local: string; domain: string } | null {
	if (address.length > MAX_ADDRESS_LENGTH) return null;
	const at = address.lastIndexOf('@');
	if (at < 1 || at > MAX_LOCAL_LENGTH) return null;
	const local = address.slice(0, at);
	const domain = address.slice(at + 1);
	if (!LOCAL_PART.test(local)) return null;
	if (!(NON_ASCII.test(domain) ? UNICODE_DOMAIN : ASCII_DOMAIN).test(domain)) return null;
	return { local, domain };
}

/**
 * Whether a normalized (lower-case) address has the syntax normalizeEmail accepts: for schemas and
 * other nodes checking an address this module produced.
 */
export function isEmailAddress(address: string): boolean {
	return splitAddress(address) !== null;
}

const DISPLAY_NAME_ADDRESS = /<([^<>]*)>/;
const MAILTO = /^mailto:/i;
const WRAPPING_QUOTES = /^(["'])(.*)\1$/;
const ADDRESS_SEPARATORS = /[\s,;]+/;
const MAX_SHOWN_LENGTH = 80;

/** The address inside "Name <a@b.com>", "<a@b.com>", "mailto:a@b.com?subject=..." or quotes. */
function unwrap(text: string): string {
	let address = text;
	if (address.includes('<')) {
		const inside = DISPLAY_NAME_ADDRESS.exec(address);
		if (inside !== null) address = inside[1].trim();
	}
	if (MAILTO.test(address)) {
		const query = address.indexOf('?');
		address = address.slice(7, query < 0 ? undefined : query).trim();
	}
	const quoted = WRAPPING_QUOTES.exec(address);
	return quoted === null ? address : quoted[2].trim();
}

function shown(text: string): string {
	return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}

function invalidEmail(field: string, text: string): FieldIssue {
	return issue(field, 'invalid_email', `${field} '${shown(text)}' is not a valid address`);
}

function notText(field: string, input: unknown): FieldIssue {
	return issue(field, 'invalid_email', `${field} is not text (got ${Array.isArray(input) ? 'a list' : typeof input})`);
}

/**
 * A lead's email address, checked and split for CRM use.
 *
 * Cleans "Name <a@b.com>", "<a@b.com>", "mailto:" and wrapping quotes, then lower-cases the whole
 * address: marketing systems treat addresses case-insensitively, and one spelling per address
 * keeps lookups and dedupe simple. The syntax accepted is a pragmatic subset of RFC 5322: a
 * dot-atom local part of up to 64 characters, a domain with at least one dot and a top-level
 * domain of two or more letters, 254 characters in all. Internationalised domains are kept as
 * given (lower-cased), not converted to punycode; non-ASCII local parts are rejected, as most
 * CRMs and mail senders do.
 *
 * Issues: error `invalid_email` for anything else; warning `email_domain_typo` when the domain
 * looks like a misspelt big provider ("gmial.com"): the address is kept as given, since it might
 * be real, and the warning names the likely fix; warning `email_multiple` when the field held
 * several addresses: the first is used. `isFree` follows the fix of a misspelt domain (a lead at
 * "gmial.com" is a consumer), `matchKey` the address as given. Empty input gives all nulls.
 */
export function normalizeEmail(input: unknown, field = 'email'): Normalized<NormalizedEmail> {
	const result: Normalized<NormalizedEmail> = {
		value: { email: null, domain: null, isFree: null, matchKey: null },
		errors: [],
		warnings: [],
	};
	if (input === undefined || input === null) return result;
	if (typeof input !== 'string') {
		result.errors.push(typeof input === 'number' ? invalidEmail(field, String(input)) : notText(field, input));
		return result;
	}
	const text = input.trim();
	if (text === '') return result;

	let address = unwrap(text).toLowerCase();
	let parts = splitAddress(address);
	if (parts === null) {
		// Lists pasted into one field ("a@x.com; b@y.com"), or an address followed by a separator. Only
		// when every piece has an "@": "ana@empresa.com,br" is a mistyped address, not a list.
		const candidates = address.split(ADDRESS_SEPARATORS).filter((candidate) => candidate !== '');
		const isList = candidates.length > 0 && candidates[0] !== address && candidates.every((candidate) => candidate.includes('@'));
		const first = isList ? splitAddress(candidates[0]) : null;
		if (first === null) {
			result.errors.push(invalidEmail(field, text));
			return result;
		}
		address = candidates[0];
		parts = first;
		if (candidates.length > 1) {
			result.warnings.push(
				issue(field, 'email_multiple', `${field} '${shown(text)}' holds ${candidates.length} values; kept the first, '${address}'`),
			);
		}
	}

	const { local, domain } = parts;
	const intendedDomain = DOMAIN_TYPOS.get(domain);
	if (intendedDomain !== undefined) {
		result.warnings.push(
			issue(field, 'email_domain_typo', `${field} domain '${domain}' looks like a typo of '${intendedDomain}'; address kept as given`),
		);
	}
	const brand = mailBrand(domain);
	result.value = {
		email: address,
		domain,
		isFree: intendedDomain === undefined ? FREE_MAIL_DOMAINS.has(domain) || brand !== null : isFreeMailDomain(intendedDomain),
		matchKey: emailMatchKey(local, domain, brand),
	};
	return result;
}
