import { issue, textOf, type Normalized } from '../schema/issue';

/**
 * Country normalization: whatever a form, CRM export or spreadsheet put in a country field
 * ("Brasil", "U.S.A.", "Côte d’Ivoire", "gbr", "Reino Unido", "the Netherlands") becomes an
 * ISO 3166-1 alpha-2 code.
 *
 * Names come from the ICU data bundled with Node (Intl.DisplayNames) in six languages, plus a
 * hand-written table for what ICU does not produce: abbreviations, colloquial and former names,
 * ISO's own long-form names and a few endonyms. Everything is folded to one key form (lower case,
 * no accents, no punctuation or spaces, no leading article) so a lookup is one Map.get.
 */

/**
 * Current ISO 3166-1 alpha-2 -> alpha-3. XK (Kosovo) is a user-assigned code, not ISO, but CRMs,
 * the EU and most address APIs use it and Kosovo has no other code, so we accept and produce it
 * (its alpha-3 XKX follows the same convention).
 */
const ALPHA3_BY_ALPHA2 = `
AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM AT:AUT AU:AUS AW:ABW
AX:ALA AZ:AZE BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI BJ:BEN BL:BLM BM:BMU BN:BRN
BO:BOL BQ:BES BR:BRA BS:BHS BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ CA:CAN CC:CCK CD:COD CF:CAF CG:COG
CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN CO:COL CR:CRI CU:CUB CV:CPV CW:CUW CX:CXR CY:CYP CZ:CZE
DE:DEU DJ:DJI DK:DNK DM:DMA DO:DOM DZ:DZA EC:ECU EE:EST EG:EGY EH:ESH ER:ERI ES:ESP ET:ETH FI:FIN
FJ:FJI FK:FLK FM:FSM FO:FRO FR:FRA GA:GAB GB:GBR GD:GRD GE:GEO GF:GUF GG:GGY GH:GHA GI:GIB GL:GRL
GM:GMB GN:GIN GP:GLP GQ:GNQ GR:GRC GS:SGS GT:GTM GU:GUM GW:GNB GY:GUY HK:HKG HM:HMD HN:HND HR:HRV
HT:HTI HU:HUN ID:IDN IE:IRL IL:ISR IM:IMN IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA JE:JEY JM:JAM
JO:JOR JP:JPN KE:KEN KG:KGZ KH:KHM KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ LA:LAO
LB:LBN LC:LCA LI:LIE LK:LKA LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY MA:MAR MC:MCO MD:MDA ME:MNE
MF:MAF MG:MDG MH:MHL MK:MKD ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP MQ:MTQ MR:MRT MS:MSR MT:MLT MU:MUS
MV:MDV MW:MWI MX:MEX MY:MYS MZ:MOZ NA:NAM NC:NCL NE:NER NF:NFK NG:NGA NI:NIC NL:NLD NO:NOR NP:NPL
NR:NRU NU:NIU NZ:NZL OM:OMN PA:PAN PE:PER PF:PYF PG:PNG PH:PHL PK:PAK PL:POL PM:SPM PN:PCN PR:PRI
PS:PSE PT:PRT PW:PLW PY:PRY QA:QAT RE:REU RO:ROU RS:SRB RU:RUS RW:RWA SA:SAU SB:SLB SC:SYC SD:SDN
SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR SN:SEN SO:SOM SR:SUR SS:SSD ST:STP SV:SLV
SX:SXM SY:SYR SZ:SWZ TC:TCA TD:TCD TF:ATF TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS TM:TKM TN:TUN TO:TON
TR:TUR TT:TTO TV:TUV TW:TWN TZ:TZA UA:UKR UG:UGA UM:UMI US:USA UY:URY UZ:UZB VA:VAT VC:VCT VE:VEN
VG:VGB VI:VIR VN:VNM VU:VUT WF:WLF WS:WSM YE:YEM YT:MYT ZA:ZAF ZM:ZMB ZW:ZWE XK:XKX`;

const alpha3ByAlpha2 = new Map(
	ALPHA3_BY_ALPHA2.trim()
		.split(/\s+/)
		.map((pair) => pair.split(':') as [string, string]),
);

/** Every code normalizeCountry can return: the 249 current ISO 3166-1 alpha-2 codes plus XK. */
export const isoAlpha2Codes: ReadonlySet<string> = new Set(alpha3ByAlpha2.keys());

/**
 * Spellings ICU does not give us. A few (USA, Turkey/Türkiye, Burma, Côte d'Ivoire, Cape Verde...)
 * duplicate today's ICU names on purpose: CLDR renames countries between Node releases and these
 * are the spellings CRMs hold most often. Includes codes and names ISO 3166 itself used before a country
 * was renamed or merged into a single successor (ZR Zaire, BU Burma, TP East Timor, YD South
 * Yemen, DD East Germany, ROM Romania's old alpha-3...). Pre-ISO names (Persia, Ceylon, Siam)
 * are deliberately left out: they show up as jokes or history more often than as addresses.
 */
const ALIASES: Record<string, readonly string[]> = {
	AE: ['UAE', 'U.A.E.', 'EAU', 'Emirates', 'Emirados Árabes', 'Emiratos Árabes', 'Emirati Arabi'],
	AX: ['Åland'],
	BA: ['Bosnia'],
	BF: ['Upper Volta', 'HV', 'HVO'],
	BJ: ['Dahomey', 'DY', 'DHY'],
	BO: ['Bolivia, Plurinational State of', 'Plurinational State of Bolivia'],
	BQ: ['Bonaire', 'Bonaire, Sint Eustatius and Saba'],
	CD: [
		'Zaire',
		'ZR',
		'ZAR',
		'DRC',
		'DR Congo',
		'RDC',
		'RD Congo',
		'Democratic Republic of the Congo',
		'Congo, Democratic Republic of the',
		'Congo, The Democratic Republic of the',
		'República Democrática do Congo',
	],
	CG: ['Congo', 'Republic of the Congo', 'Congo Republic'],
	CI: ['Ivory Coast', 'Costa de Marfil', "Côte d'Ivoire"],
	CN: ['PRC', "People's Republic of China", 'Mainland China', 'China Mainland'],
	CV: ['Cape Verde'],
	CZ: [
		'Czech Republic',
		'República Tcheca',
		'República Checa',
		'République tchèque',
		'Tschechische Republik',
		'Repubblica Ceca',
		'Česko',
	],
	DE: ['Deutschland', 'West Germany', 'East Germany', 'BRD', 'DDR', 'GDR', 'FRG', 'DD'],
	DK: ['Danmark'],
	FI: ['Suomi'],
	FK: ['Falkland Islands (Malvinas)', 'Malvinas', 'Falklands'],
	FM: ['Micronesia', 'Micronesia, Federated States of', 'Federated States of Micronesia'],
	FO: ['Faroes', 'Faroe'],
	FR: ['FX', 'FXX', 'Metropolitan France'],
	GB: [
		'UK',
		'U.K.',
		'United Kingdom of Great Britain and Northern Ireland',
		'Great Britain',
		'Britain',
		'England',
		'Scotland',
		'Wales',
		'Northern Ireland',
		'Inglaterra',
		'Escócia',
		'País de Gales',
		'Irlanda do Norte',
		'Irlanda del Norte',
		'Grã-Bretanha',
		'Gran Bretaña',
		'Grande-Bretagne',
		'Angleterre',
		'Écosse',
		'Großbritannien',
		'Inghilterra',
		'Gran Bretagna',
		'Scozia',
	],
	GR: ['Hellas'],
	GS: ['South Georgia and the South Sandwich Islands'],
	HK: ['Hong Kong SAR'],
	HM: ['Heard Island and McDonald Islands'],
	HR: ['Hrvatska'],
	HU: ['Magyarország'],
	IE: ['Republic of Ireland', 'Éire', 'Eire'],
	IR: ['Iran, Islamic Republic of', 'Islamic Republic of Iran'],
	KP: [
		'North Korea',
		'DPRK',
		'Korea, Democratic People’s Republic of',
		"Democratic People's Republic of Korea",
		'Korea North',
	],
	KR: [
		'South Korea',
		'Korea',
		'Republic of Korea',
		'Korea, Republic of',
		'Korea South',
		'ROK',
		'Coreia',
		'Corea',
		'Corée',
	],
	KY: ['Cayman'],
	LA: ['Lao PDR', "Lao People's Democratic Republic"],
	MD: ['Moldova, Republic of', 'Republic of Moldova'],
	MF: ['Saint Martin (French part)'],
	MK: [
		'Macedonia',
		'FYROM',
		'Former Yugoslav Republic of Macedonia',
		'Macedonia, the former Yugoslav Republic of',
		'Macedônia',
		'Mazedonien',
		'Macédoine',
	],
	MM: ['Burma', 'BU', 'BUR', 'Birma'],
	MO: ['Macao SAR'],
	MX: ['Méjico'],
	NL: [
		'Holland',
		'Holanda',
		'Hollande',
		'Olanda',
		'Nederland',
		'Kingdom of the Netherlands',
		'Netherlands, Kingdom of the',
		'Netherlands (Kingdom of the)',
	],
	NO: ['Norge'],
	PL: ['Polska'],
	PS: ['Palestine, State of', 'State of Palestine', 'Palestinian Territory'],
	RO: ['ROM'],
	RU: ['Russian Federation', 'Federação Russa', 'Federación Rusa'],
	SA: ['KSA', 'Saudi'],
	SE: ['Sverige'],
	SH: ['Saint Helena, Ascension and Tristan da Cunha'],
	SX: ['Sint Maarten (Dutch part)'],
	SY: ['Syrian Arab Republic'],
	SZ: ['Swaziland', 'Suazilândia', 'Suazilandia', 'Swasiland'],
	TL: ['East Timor', 'TP', 'TMP'],
	TR: ['Turkey', 'Türkiye'],
	TW: ['Taiwan, Province of China'],
	TZ: ['Tanzania, United Republic of', 'United Republic of Tanzania'],
	UM: ['United States Minor Outlying Islands'],
	US: [
		'USA',
		'U.S.A.',
		'U.S.',
		'US of A',
		'United States of America',
		'America',
		'EUA',
		'E.U.A.',
		'EE.UU.',
		'EEUU',
		'Estados Unidos',
		'Estados Unidos da América',
		'Estados Unidos de América',
		"États-Unis d'Amérique",
		'Vereinigte Staaten von Amerika',
		"Stati Uniti d'America",
	],
	VA: ['Vatican', 'Holy See', 'Vaticano', 'Santa Sé', 'Santa Sede', 'Saint-Siège', 'Vatikan'],
	VC: ['Saint Vincent and the Grenadines'],
	VE: ['Venezuela, Bolivarian Republic of', 'Bolivarian Republic of Venezuela'],
	VG: ['Virgin Islands, British', 'Virgin Islands (British)', 'BVI'],
	VI: ['Virgin Islands, U.S.', 'Virgin Islands (U.S.)', 'USVI'],
	VN: ['North Vietnam', 'VD', 'VDR'],
	VU: ['New Hebrides', 'NH', 'NHB'],
	XK: ['Kosova', 'Kosovë'],
	YE: ['South Yemen', 'YD', 'YMD'],
	ZA: ['RSA'],
	ZW: ['Rhodesia', 'Southern Rhodesia', 'RH', 'RHO'],
};

/**
 * Countries that no longer exist and split into several: we cannot pick one for the user, so these
 * are errors, but with a message that says why rather than "we don't know this country".
 */
const DISSOLVED = [
	'SU',
	'SUN',
	'USSR',
	'U.S.S.R.',
	'Soviet Union',
	'URSS',
	'UdSSR',
	'Sowjetunion',
	'União Soviética',
	'Unión Soviética',
	'Union soviétique',
	'Unione Sovietica',
	'YU',
	'YUG',
	'Yugoslavia',
	'Iugoslávia',
	'Jugoslávia',
	'Yougoslavie',
	'Jugoslawien',
	'Jugoslavia',
	'CS',
	'CSK',
	'SCG',
	'Czechoslovakia',
	'Tchecoslováquia',
	'Checoslovaquia',
	'Tchécoslovaquie',
	'Tschechoslowakei',
	'Cecoslovacchia',
	'Serbia and Montenegro',
	'AN',
	'ANT',
	'Netherlands Antilles',
	'Antilhas Holandesas',
	'Antillas Neerlandesas',
	'Antilles néerlandaises',
	'Niederländische Antillen',
	'Antille Olandesi',
];

/** Values people type to mean "no country"; they become null like an empty field. */
const PLACEHOLDERS = new Set([
	'none',
	'null',
	'nil',
	'undefined',
	'unknown',
	'notapplicable',
	'notavailable',
	'notprovided',
	'notspecified',
]);

const NAME_LANGUAGES = ['en', 'pt', 'es', 'fr', 'de', 'it'] as const;
const AND_WORD: Record<(typeof NAME_LANGUAGES)[number], string> = {
	en: 'and',
	pt: 'e',
	es: 'y',
	fr: 'et',
	de: 'und',
	it: 'e',
};

/** "The Netherlands", "la France", "l'Italie", "die Schweiz", "o Brasil": the article is dropped. */
const LEADING_ARTICLES = new Set([
	'the',
	'la',
	'le',
	'les',
	'l',
	'el',
	'los',
	'las',
	'o',
	'a',
	'os',
	'as',
	'die',
	'der',
	'das',
	'il',
	'lo',
	'gli',
]);

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const IS_COMBINING_MARK = /^[\u0300-\u036f]$/;
const IS_LETTER_OR_DIGIT = /^[\p{L}\p{N}]+$/u;
const PARENTHESIZED_NAME = /^(.*?)\s*\((.*)\)\s*$/;
const SAINT_ABBREVIATION = /^St\.? /;
const AMPERSAND = /&/g;
/** Letters NFD does not decompose into a base letter plus a mark. */
const LIGATURES: Record<string, string> = {
	ß: 'ss',
	ø: 'o',
	æ: 'ae',
	œ: 'oe',
	đ: 'd',
	ł: 'l',
	ı: 'i',
	þ: 'th',
};

/** Per non-ASCII character: its folded letters, '' for a combining mark, null for a separator. */
const nonAsciiFolds = new Map<number, string | null>();

function foldNonAscii(charCode: number): string | null {
	const cached = nonAsciiFolds.get(charCode);
	if (cached !== undefined) return cached;
	const char = String.fromCharCode(charCode);
	let folded: string | null = '';
	if (!IS_COMBINING_MARK.test(char)) {
		const lower = char.toLowerCase();
		const stripped = LIGATURES[lower] ?? lower.normalize('NFD').replace(COMBINING_MARKS, '');
		// Letters of other scripts are kept as they are; punctuation and spaces separate words.
		folded = IS_LETTER_OR_DIGIT.test(stripped) ? stripped : null;
	}
	nonAsciiFolds.set(charCode, folded);
	return folded;
}

/**
 * "  Côte d’Ivoire " -> "cotedivoire", "The U.S.A." -> "usa", "l'Italie" -> "italie".
 * One pass that copies runs of ASCII letters and digits whole: this runs on every call.
 */
function foldKey(text: string): string {
	let key = '';
	let runStart = 0;
	// Length of the key when the first word ended, to drop it if it is an article.
	let firstWordLength = -1;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		const isAsciiLetterOrDigit =
			(code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
		if (isAsciiLetterOrDigit) continue;
		if (runStart < i) key += text.slice(runStart, i);
		runStart = i + 1;
		const folded = code < 128 ? null : foldNonAscii(code);
		if (folded !== null) key += folded;
		else if (firstWordLength < 0 && key.length > 0) firstWordLength = key.length;
	}
	if (runStart === 0) key = text;
	else if (runStart < text.length) key += text.slice(runStart);
	key = key.toLowerCase();
	if (
		firstWordLength > 0 &&
		firstWordLength < key.length &&
		LEADING_ARTICLES.has(key.slice(0, firstWordLength))
	) {
		return key.slice(firstWordLength);
	}
	return key;
}

interface CountryIndex {
	/** Folded key -> alpha-2 code, or null for a dissolved country. */
	byKey: Map<string, string | null>;
	/**
	 * The same answers keyed by the spellings as ICU and the tables write them ("BR", "bra",
	 * "Brazil", "Estados Unidos"): most inputs are one of these and skip folding.
	 */
	bySpelling: Map<string, string>;
}

let countryIndex: CountryIndex | undefined;

/**
 * Names from a map where two countries claim the same key are dropped: a name that could mean
 * either is better reported than guessed.
 */
function addUnambiguous(names: Map<string, string | false>, key: string, code: string): void {
	if (key === '') return;
	const existing = names.get(key);
	if (existing === undefined) names.set(key, code);
	else if (existing !== code) names.set(key, false);
}

function buildCountryIndex(): CountryIndex {
	// Full ICU names win over names derived from them ("Saint-Martin (partie néerlandaise)" must
	// not take "Saint-Martin" away from MF).
	const fullNames = new Map<string, string | false>();
	const derivedNames = new Map<string, string | false>();
	const spellings: string[] = [];
	for (const language of NAME_LANGUAGES) {
		const longNames = new Intl.DisplayNames([language], { type: 'region', style: 'long' });
		const shortNames = new Intl.DisplayNames([language], { type: 'region', style: 'short' });
		for (const code of isoAlpha2Codes) {
			const longName = longNames.of(code) ?? code;
			const shortName = shortNames.of(code) ?? code;
			spellings.push(longName, shortName);
			addUnambiguous(fullNames, foldKey(longName), code);
			const shortKey = foldKey(shortName);
			// Short forms such as es "RU" (United Kingdom) or fr "É.-U." would shadow codes and
			// "EU"; the abbreviations worth having are in ALIASES.
			if (shortName !== longName && shortKey.length > 3) addUnambiguous(fullNames, shortKey, code);
			for (const name of shortName === longName ? [longName] : [longName, shortName]) {
				for (const variant of nameVariants(name, AND_WORD[language])) {
					addUnambiguous(derivedNames, foldKey(variant), code);
				}
			}
		}
	}

	const byKey = new Map<string, string | null>();
	for (const names of [derivedNames, fullNames]) {
		for (const [key, code] of names) {
			if (code) byKey.set(key, code);
			else if (names === fullNames) byKey.delete(key);
		}
	}
	for (const [code, aliases] of Object.entries(ALIASES)) {
		for (const alias of aliases) byKey.set(foldKey(alias), code);
		spellings.push(...aliases);
	}
	for (const name of DISSOLVED) byKey.set(foldKey(name), null);
	for (const [alpha2, alpha3] of alpha3ByAlpha2) {
		byKey.set(alpha3.toLowerCase(), alpha2);
		byKey.set(alpha2.toLowerCase(), alpha2);
		spellings.push(alpha2, alpha2.toLowerCase(), alpha3, alpha3.toLowerCase());
	}

	// Derived from byKey so that both maps always give the same answer.
	const bySpelling = new Map<string, string>();
	for (const spelling of spellings) {
		const code = byKey.get(foldKey(spelling));
		if (code) bySpelling.set(spelling, code);
	}
	return { byKey, bySpelling };
}

/** "Myanmar (Burma)" -> "Myanmar", "Burma"; "St. Lucia" -> "Saint Lucia"; "&" -> "and". */
function nameVariants(name: string, andWord: string): string[] {
	const parenthesized = PARENTHESIZED_NAME.exec(name);
	const variants = parenthesized ? [name, parenthesized[1], parenthesized[2]] : [name];
	if (name.includes('&')) {
		for (const variant of variants.slice()) {
			variants.push(variant.replace(AMPERSAND, ` ${andWord} `));
		}
	}
	if (SAINT_ABBREVIATION.test(name)) {
		for (const variant of variants.slice()) {
			variants.push(variant.replace(SAINT_ABBREVIATION, 'Saint '));
		}
	}
	return variants.slice(1);
}

/**
 * "Netherlands, The", "Bahamas (the)": the article written last, as ISO and government lists do.
 * Split by hand at the last comma or parenthesis rather than with a regular expression: a lazy
 * `(.+?)\s*` before an optional tail backtracks quadratically on a long run of spaces.
 */
function withoutTrailingArticle(input: string): string | undefined {
	const text = input.trim();
	let name: string;
	let article: string;
	if (text.endsWith(')')) {
		const open = text.lastIndexOf('(');
		if (open < 0) return undefined;
		name = text.slice(0, open);
		article = text.slice(open + 1, -1).trim();
	} else {
		const comma = text.lastIndexOf(',');
		if (comma < 0) return undefined;
		name = text.slice(0, comma);
		article = text.slice(comma + 1).trim();
	}
	if (name.trim() === '' || !LEADING_ARTICLES.has(article.toLowerCase())) return undefined;
	return countryIndex?.byKey.get(foldKey(name)) || undefined;
}

/**
 * Any spelling of a country (ISO alpha-2 or alpha-3 in any case, names in English, Portuguese,
 * Spanish, French, German and Italian, common abbreviations and former names) -> ISO 3166-1
 * alpha-2. Empty input and placeholders ("N/A", "unknown") give null without an error;
 * anything else we cannot place gives null and an `unknown_country` error.
 */
export function normalizeCountry(input: unknown, field = 'country'): Normalized<string | null> {
	if (input === null || input === undefined) return countryResult(null);
	if (typeof input !== 'string') {
		return countryError(
			field,
			`${field} '${textOf(input)}' is not a country name or ISO code we know`,
		);
	}
	countryIndex ??= buildCountryIndex();
	const spelledCode = countryIndex.bySpelling.get(input);
	if (spelledCode) return countryResult(spelledCode);

	const key = foldKey(input);
	if (key === '' || PLACEHOLDERS.has(key)) return countryResult(null);
	// "N/A" and "n.a." fold to "na", which is also Namibia's code; only a bare "NA" means Namibia.
	if (key === 'na' && input.trim().length !== 2) return countryResult(null);
	let code = countryIndex.byKey.get(key);
	if (code === undefined) code = withoutTrailingArticle(input);
	if (code) return countryResult(code);
	const shown = input.trim();
	if (code === null) {
		return countryError(
			field,
			`${field} '${shown}' no longer exists and split into several countries; use the current one`,
		);
	}
	return countryError(field, `${field} '${shown}' is not a country name or ISO code we know`);
}

function countryResult(code: string | null): Normalized<string | null> {
	return { value: code, errors: [], warnings: [] };
}

function countryError(field: string, message: string): Normalized<string | null> {
	return { value: null, errors: [issue(field, 'unknown_country', message)], warnings: [] };
}
