import { isoAlpha2Codes, normalizeCountry } from '../../lib/lead/country';

function expectCountry(input: unknown, code: string | null): void {
	const result = normalizeCountry(input);
	expect(result).toEqual({ value: code, errors: [], warnings: [] });
}

describe('normalizeCountry: ISO codes', () => {
	it.each([
		['BR', 'BR'],
		['br', 'BR'],
		['Br', 'BR'],
		['  us ', 'US'],
		['DE', 'DE'],
		['GB', 'GB'],
		['NA', 'NA'],
		['na', 'NA'],
		['XK', 'XK'],
	])('alpha-2 %j -> %s', (input, code) => expectCountry(input, code));

	it.each([
		['BRA', 'BR'],
		['bra', 'BR'],
		['USA', 'US'],
		['usa', 'US'],
		['GBR', 'GB'],
		['DEU', 'DE'],
		['CHE', 'CH'],
		['ARE', 'AE'],
		['KOR', 'KR'],
		['PRK', 'KP'],
		['COD', 'CD'],
		['COG', 'CG'],
		['ZAF', 'ZA'],
		['SRB', 'RS'],
		['MNE', 'ME'],
		['XKX', 'XK'],
	])('alpha-3 %j -> %s', (input, code) => expectCountry(input, code));

	it('accepts every code it can return, in either case, and nothing outside the set', () => {
		for (const code of isoAlpha2Codes) {
			expect(normalizeCountry(code).value).toBe(code);
			expect(normalizeCountry(code.toLowerCase()).value).toBe(code);
		}
	});

	it('knows the 249 current ISO 3166-1 codes plus XK (Kosovo)', () => {
		expect(isoAlpha2Codes.size).toBe(250);
		for (const code of ['BR', 'US', 'GB', 'SS', 'CW', 'SX', 'BQ', 'TL', 'XK', 'AQ', 'UM']) {
			expect(isoAlpha2Codes.has(code)).toBe(true);
		}
		for (const code of ['UK', 'EU', 'UN', 'SU', 'YU', 'CS', 'AN', 'ZR', 'TP', 'BU', 'DD', 'EL']) {
			expect(isoAlpha2Codes.has(code)).toBe(false);
		}
	});
});

describe('normalizeCountry: names in six languages', () => {
	it.each([
		// English
		['Brazil', 'BR'],
		['Germany', 'DE'],
		['United States', 'US'],
		['United Kingdom', 'GB'],
		['Spain', 'ES'],
		['Mexico', 'MX'],
		['Japan', 'JP'],
		['South Africa', 'ZA'],
		['New Zealand', 'NZ'],
		['Switzerland', 'CH'],
		// Portuguese
		['Brasil', 'BR'],
		['Alemanha', 'DE'],
		['Estados Unidos', 'US'],
		['Reino Unido', 'GB'],
		['Espanha', 'ES'],
		['Japão', 'JP'],
		['África do Sul', 'ZA'],
		['Suíça', 'CH'],
		['Coreia do Sul', 'KR'],
		['Países Baixos', 'NL'],
		// Spanish
		['Alemania', 'DE'],
		['España', 'ES'],
		['México', 'MX'],
		['Japón', 'JP'],
		['Sudáfrica', 'ZA'],
		['Suiza', 'CH'],
		['Nueva Zelanda', 'NZ'],
		['Corea del Sur', 'KR'],
		// French
		['Brésil', 'BR'],
		['Allemagne', 'DE'],
		['États-Unis', 'US'],
		['Royaume-Uni', 'GB'],
		['Espagne', 'ES'],
		['Suisse', 'CH'],
		['Pays-Bas', 'NL'],
		// German
		['Brasilien', 'BR'],
		['Deutschland', 'DE'],
		['Vereinigte Staaten', 'US'],
		['Vereinigtes Königreich', 'GB'],
		['Spanien', 'ES'],
		['Schweiz', 'CH'],
		['Österreich', 'AT'],
		['Niederlande', 'NL'],
		// Italian
		['Brasile', 'BR'],
		['Germania', 'DE'],
		['Stati Uniti', 'US'],
		['Regno Unito', 'GB'],
		['Spagna', 'ES'],
		['Svizzera', 'CH'],
		['Giappone', 'JP'],
		['Paesi Bassi', 'NL'],
	])('%j -> %s', (input, code) => expectCountry(input, code));

	it.each(['en', 'pt', 'es', 'fr', 'de', 'it'])(
		'every country name ICU writes in %s maps back to its code',
		(language) => {
			const names = new Intl.DisplayNames([language], { type: 'region' });
			for (const code of isoAlpha2Codes) {
				const name = names.of(code) as string;
				expect([name, normalizeCountry(name).value]).toEqual([name, code]);
			}
		},
	);
});

describe('normalizeCountry: case, accents, punctuation, spacing, articles', () => {
	it.each([
		['BRAZIL', 'BR'],
		['brazil', 'BR'],
		['  Brazil  ', 'BR'],
		['Brazil.', 'BR'],
		['BRASIL', 'BR'],
		['Mexico', 'MX'],
		['MÉXICO', 'MX'],
		['Espana', 'ES'],
		['Japao', 'JP'],
		['Osterreich', 'AT'],
		['Oesterreich', null],
		['Côte d’Ivoire', 'CI'],
		["Cote d'Ivoire", 'CI'],
		['cote divoire', 'CI'],
		['COTE D IVOIRE', 'CI'],
		['Great  Britain', 'GB'],
		['U S A', 'US'],
		['United-States', 'US'],
		['Guinea-Bissau', 'GW'],
		['Guinea Bissau', 'GW'],
		['Timor-Leste', 'TL'],
		['Åland', 'AX'],
		['Curaçao', 'CW'],
		['Curacao', 'CW'],
		['Réunion', 'RE'],
		['Sao Tome and Principe', 'ST'],
		['São Tomé & Príncipe', 'ST'],
		['Bosnia and Herzegovina', 'BA'],
		['Bosnia & Herzegovina', 'BA'],
		['Trinidad and Tobago', 'TT'],
		['Saint Lucia', 'LC'],
		['St. Lucia', 'LC'],
		['St Lucia', 'LC'],
		['Saint Kitts and Nevis', 'KN'],
		['Saint Vincent and the Grenadines', 'VC'],
		['The Netherlands', 'NL'],
		['the Bahamas', 'BS'],
		['The Gambia', 'GM'],
		['La France', 'FR'],
		["l'Italie", 'IT'],
		['die Schweiz', 'CH'],
		['o Brasil', 'BR'],
		['El Salvador', 'SV'],
		['La Réunion', 'RE'],
		['Myanmar (Burma)', 'MM'],
		['Hong Kong SAR China', 'HK'],
		['Hong Kong', 'HK'],
	])('%j -> %j', (input, code) => {
		expect(normalizeCountry(input).value).toBe(code);
	});
});

describe('normalizeCountry: aliases', () => {
	it.each([
		['USA', 'US'],
		['U.S.A.', 'US'],
		['U.S.', 'US'],
		['US of A', 'US'],
		['United States of America', 'US'],
		['EUA', 'US'],
		['E.U.A.', 'US'],
		['EE.UU.', 'US'],
		['EEUU', 'US'],
		['Estados Unidos', 'US'],
		['Estados Unidos da América', 'US'],
		['America', 'US'],
		['América', 'US'],
		['UK', 'GB'],
		['U.K.', 'GB'],
		['England', 'GB'],
		['Scotland', 'GB'],
		['Wales', 'GB'],
		['Northern Ireland', 'GB'],
		['Great Britain', 'GB'],
		['Britain', 'GB'],
		['Inglaterra', 'GB'],
		['Reino Unido', 'GB'],
		['United Kingdom of Great Britain and Northern Ireland', 'GB'],
		['Holland', 'NL'],
		['Netherlands', 'NL'],
		['Países Baixos', 'NL'],
		['Holanda', 'NL'],
		['South Korea', 'KR'],
		['Korea', 'KR'],
		['Republic of Korea', 'KR'],
		['Korea, Republic of', 'KR'],
		['Coreia do Sul', 'KR'],
		['North Korea', 'KP'],
		["Korea, Democratic People's Republic of", 'KP'],
		['Russia', 'RU'],
		['Rússia', 'RU'],
		['Russian Federation', 'RU'],
		['Czechia', 'CZ'],
		['Czech Republic', 'CZ'],
		['República Tcheca', 'CZ'],
		['Ivory Coast', 'CI'],
		["Côte d'Ivoire", 'CI'],
		['Türkiye', 'TR'],
		['Turkiye', 'TR'],
		['Turkey', 'TR'],
		['Turquia', 'TR'],
		['UAE', 'AE'],
		['U.A.E.', 'AE'],
		['Emirados Árabes', 'AE'],
		['Emirados Árabes Unidos', 'AE'],
		['United Arab Emirates', 'AE'],
		['Vatican', 'VA'],
		['Vatican City', 'VA'],
		['Holy See', 'VA'],
		['Macedonia', 'MK'],
		['North Macedonia', 'MK'],
		['Swaziland', 'SZ'],
		['Eswatini', 'SZ'],
		['Burma', 'MM'],
		['Myanmar', 'MM'],
		['Deutschland', 'DE'],
		['España', 'ES'],
		['Brasil', 'BR'],
		['México', 'MX'],
		['Cape Verde', 'CV'],
		['Cabo Verde', 'CV'],
		['East Timor', 'TL'],
		['Congo', 'CG'],
		['Republic of the Congo', 'CG'],
		['DRC', 'CD'],
		['DR Congo', 'CD'],
		['Democratic Republic of the Congo', 'CD'],
		['Congo - Kinshasa', 'CD'],
		['Viet Nam', 'VN'],
		['Vietnam', 'VN'],
		['Iran, Islamic Republic of', 'IR'],
		['Bolivia, Plurinational State of', 'BO'],
		['Venezuela, Bolivarian Republic of', 'VE'],
		['Tanzania, United Republic of', 'TZ'],
		['Moldova, Republic of', 'MD'],
		['Lao PDR', 'LA'],
		['Syrian Arab Republic', 'SY'],
		['Taiwan, Province of China', 'TW'],
		['Palestine, State of', 'PS'],
		['Falkland Islands (Malvinas)', 'FK'],
		['Virgin Islands, British', 'VG'],
		['Virgin Islands, U.S.', 'VI'],
		['Macau', 'MO'],
		['PRC', 'CN'],
		['Mainland China', 'CN'],
		['Republic of Ireland', 'IE'],
		['Éire', 'IE'],
		['KSA', 'SA'],
		['RSA', 'ZA'],
		['Kosovo', 'XK'],
		['Nederland', 'NL'],
		['Sverige', 'SE'],
		['Polska', 'PL'],
	])('%j -> %s', (input, code) => expectCountry(input, code));
});

describe('normalizeCountry: former names and codes', () => {
	it.each([
		['Zaire', 'CD'],
		['ZR', 'CD'],
		['ZAR', 'CD'],
		['Burma', 'MM'],
		['BU', 'MM'],
		['BUR', 'MM'],
		['Swaziland', 'SZ'],
		['TP', 'TL'],
		['TMP', 'TL'],
		['East Timor', 'TL'],
		['UK', 'GB'],
		['DD', 'DE'],
		['DDR', 'DE'],
		['East Germany', 'DE'],
		['West Germany', 'DE'],
		['YD', 'YE'],
		['South Yemen', 'YE'],
		['ROM', 'RO'],
		['FX', 'FR'],
		['Rhodesia', 'ZW'],
		['Upper Volta', 'BF'],
		['Dahomey', 'BJ'],
		['New Hebrides', 'VU'],
	])('%j -> %s (a current code)', (input, code) => expectCountry(input, code));

	it.each([
		'Czechoslovakia',
		'CS',
		'CSK',
		'USSR',
		'U.S.S.R.',
		'Soviet Union',
		'União Soviética',
		'SU',
		'SUN',
		'Yugoslavia',
		'Iugoslávia',
		'YU',
		'YUG',
		'Serbia and Montenegro',
		'SCG',
		'AN',
		'ANT',
		'Netherlands Antilles',
		'Antilhas Holandesas',
	])('%j no longer exists and split: error, no guess', (input) => {
		const result = normalizeCountry(input);
		expect(result.value).toBeNull();
		expect(result.warnings).toEqual([]);
		expect(result.errors).toEqual([
			{
				field: 'country',
				code: 'unknown_country',
				message: `country '${input}' no longer exists and split into several countries; use the current one`,
			},
		]);
	});
});

describe('normalizeCountry: unknown input', () => {
	it('reports a name it does not know', () => {
		expect(normalizeCountry('Narnia')).toEqual({
			value: null,
			errors: [
				{
					field: 'country',
					code: 'unknown_country',
					message: "country 'Narnia' is not a country name or ISO code we know",
				},
			],
			warnings: [],
		});
	});

	it.each([
		'EU',
		'UN',
		'EL',
		'ZZ',
		'QQ',
		'Persia',
		'Europe',
		'Latin America',
		'Asia',
		'XYZ',
		'Other',
	])('%j is not a country', (input) => {
		const result = normalizeCountry(input);
		expect(result.value).toBeNull();
		expect(result.errors.map((error) => error.code)).toEqual(['unknown_country']);
	});

	it('names the field it was given and shows the value trimmed', () => {
		expect(normalizeCountry('  Atlantis ', 'billing_country').errors).toEqual([
			{
				field: 'billing_country',
				code: 'unknown_country',
				message: "billing_country 'Atlantis' is not a country name or ISO code we know",
			},
		]);
	});

	it.each([
		[42, "country '42' is not a country name or ISO code we know"],
		[true, "country 'true' is not a country name or ISO code we know"],
	])('rejects a non-text value %j', (input, message) => {
		expect(normalizeCountry(input).errors).toEqual([
			{ field: 'country', code: 'unknown_country', message },
		]);
	});
});

describe('normalizeCountry: empty input', () => {
	it.each([
		undefined,
		null,
		'',
		'   ',
		'\t\n',
		'-',
		'--',
		'?',
		'N/A',
		'n/a',
		'n.a.',
		'None',
		'null',
		'unknown',
		'Not provided',
	])('%j is null without issues', (input) => expectCountry(input, null));

	it('reads a bare NA as Namibia, not as "not available"', () => {
		expectCountry('NA', 'NA');
		expectCountry(' na ', 'NA');
		expectCountry('N/A', null);
	});
});

describe('normalizeCountry: results', () => {
	it('never returns a code outside the current ISO set (plus XK)', () => {
		const inputs = ['UK', 'ZR', 'BU', 'TP', 'DD', 'YD', 'FX', 'SU', 'YU', 'AN', 'CS', 'EL', 'EU'];
		for (const input of inputs) {
			const { value } = normalizeCountry(input);
			if (value !== null) expect(isoAlpha2Codes.has(value)).toBe(true);
		}
	});

	it('gives each call its own arrays', () => {
		const first = normalizeCountry('Brazil');
		first.errors.push({ field: 'country', code: 'x', message: 'x' });
		expect(normalizeCountry('Brazil').errors).toEqual([]);
	});
});
