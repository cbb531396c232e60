import { companyMatchKey, normalizeCompany } from '../../lib/lead/company';
import legalSuffixData from '../../lib/lead/data/legal-suffixes.json';

describe('companyMatchKey', () => {
	it.each(['Acme S.A.', 'ACME SA', 'Acme S/A', 'Acme S. A.', 'Acme Ltda', 'Acme Ltda.', 'Acme, Inc.', 'Acme Inc', 'Acme GmbH', 'Acme LLC', 'Acme L.L.C.', 'acme corp.', 'Acme Corporation', 'Acme Limited', 'Acme Ltd.', 'Acme PLC', 'Acme AG', 'Acme B.V.', 'Acme N.V.', 'Acme SAS', 'Acme S.A.S.', 'Acme S.L.', 'Acme SRL', 'Acme S.R.L.', 'Acme S.p.A.', 'Acme EIRELI', 'Acme ME', 'Acme EPP', 'Acme Ltda - ME', 'Acme Ltda. EPP', 'Acme EIRELI - ME', 'Acme S.A. de C.V.', 'Acme SA de CV', 'Acme S. de R.L. de C.V.', 'Acme S de RL de CV', 'Acme GmbH & Co. KG', 'Acme Pty Ltd', 'Acme Pty. Ltd.', 'Acme Pvt. Ltd.', 'Acme Private Limited', 'Acme LLP', 'Acme Co.', 'Acme Co., Ltd.', 'Acme & Co.', 'Acme and Company', 'Acme Company', 'Acme Incorporated', 'Acme Cia. Ltda.', 'Acme & Cia', 'Acme e Cia. Ltda.', 'Acme y Cía. S.A.', 'ACME S.A.C.', 'Acme E.I.R.L.', 'Acme SpA', 'Acme S.L.U.', 'Acme S.A.U.', 'Acme Unipessoal, Lda.', 'Acme SGPS, S.A.', 'Acme AB', 'Acme A/S', 'Acme ApS', 'Acme Oy', 'Acme AS', 'Acme ASA', 'Acme SE', 'Acme UG (haftungsbeschränkt)', 'Acme K.K.', 'Acme Sdn. Bhd.', 'Acme Pte. Ltd.', 'Acme OÜ', 'Acme C.A.', 'Acme Sociedade Anônima', 'Acme Sociedad Anónima', 'Acme Sociedad de Responsabilidad Limitada', 'Acme Limitada', '  ACME   S.A.  ', '"Acme" Ltda', 'The Acme Company'])(
		'%j -> "acme"',
		(name) => {
			expect(companyMatchKey(name)).toBe('acme');
		},
	);

	it.each([
		['Padaria Pão Quente Ltda', 'padaria pao quente'],
		['NATURA COSMÉTICOS S.A.', 'natura cosmeticos'],
		['Banco do Brasil S.A.', 'banco do brasil'],
		['Itaú Unibanco Holding S.A.', 'itau unibanco holding'],
		['Magazine Luiza S/A', 'magazine luiza'],
		['Lojas Renner S.A.', 'lojas renner'],
		['Acme Comércio Ltda - ME', 'acme comercio'],
		['Ind. e Com. de Alimentos Silva Ltda', 'ind e com de alimentos silva'],
		['Softplan Planejamento e Sistemas Ltda', 'softplan planejamento e sistemas'],
		['Nestlé Brasil Ltda.', 'nestle brasil'],
		['Telefónica Soluciones S.L.', 'telefonica soluciones'],
		['Grupo Bimbo, S.A.B. de C.V.', 'grupo bimbo'],
		['Cemex, S.A.B. de C.V.', 'cemex'],
		['Bancolombia S.A.', 'bancolombia'],
		['Alpina Productos Alimenticios S.A.S.', 'alpina productos alimenticios'],
		['Falabella S.A.', 'falabella'],
		['Alicorp S.A.A.', 'alicorp'],
		['Empresas Polar, C.A.', 'empresas polar'],
		['Sonae SGPS, S.A.', 'sonae'],
		['Jerónimo Martins SGPS S.A.', 'jeronimo martins'],
		['Ferrero Italia S.R.L.', 'ferrero italia'],
		['Heineken N.V.', 'heineken'],
		['Société Générale S.A.', 'societe generale'],
		['Nestlé S.A.', 'nestle'],
		['Siemens AG', 'siemens'],
		['Robert Bosch GmbH', 'robert bosch'],
		['Dr. Ing. h.c. F. Porsche AG', 'dr ing hc f porsche'],
		['Søren Ålborg ApS', 'soren alborg'],
		['Łódź Media Sp. z o.o.', 'lodz media'],
		['Straße & Söhne GmbH', 'strasse and sohne'],
		['Atlassian Pty Ltd', 'atlassian'],
		['Tata Consultancy Services Limited', 'tata consultancy services'],
		['Infosys Private Limited', 'infosys'],
		['The Coca-Cola Company', 'coca cola'],
		['Coca-Cola FEMSA, S.A.B. de C.V.', 'coca cola femsa'],
		["McDonald's Corporation", 'mcdonalds'],
		["O'Reilly Media, Inc.", 'oreilly media'],
		['Johnson & Johnson', 'johnson and johnson'],
		['Johnson and Johnson', 'johnson and johnson'],
		['Procter & Gamble Co.', 'procter and gamble'],
		['AT&T Inc.', 'at and t'],
		['AT & T', 'at and t'],
		['J. P. Morgan Chase & Co.', 'jp morgan chase'],
		['J.P. Morgan Chase & Co.', 'jp morgan chase'],
		['JP Morgan Chase', 'jp morgan chase'],
		['A.B.C. Transportes Ltda', 'abc transportes'],
		['A B C Transportes Ltda', 'abc transportes'],
		['3M do Brasil Ltda', '3m do brasil'],
		['7-Eleven, Inc.', '7 eleven'],
		['iFood', 'ifood'],
		['Acme (Brasil) Ltda', 'acme brasil'],
		// descriptive words stay: they often tell entities of one group apart
		['Acme Holdings Ltd.', 'acme holdings'],
		['Acme Group', 'acme group'],
		['Acme Participações S.A.', 'acme participacoes'],
		['Acme Brasil', 'acme brasil'],
		// only a leading "the" is dropped
		['The Home Depot', 'home depot'],
		['Home Depot, The', 'home depot the'],
		// words that look like rare legal forms but are usually part of the name
		['Level Up', 'level up'],
		['Acme UK Ltd', 'acme uk'],
		['Pimenta e Sal', 'pimenta e sal'],
		['Unimed SC', 'unimed sc'],
		['Grupo SP', 'grupo sp'],
		['Acme PC', 'acme pc'],
		['Acme Private', 'acme private'],
		['Acme Unlimited', 'acme unlimited'],
		// forms written first are kept
		['PT Bank Mandiri', 'pt bank mandiri'],
		['OOO Romashka', 'ooo romashka'],
	])('%j -> %j', (name, key) => {
		expect(companyMatchKey(name)).toBe(key);
	});

	it.each([
		['Limited', 'limited'],
		['SA', 'sa'],
		['S.A.', 'sa'],
		['Ltda', 'ltda'],
		['The Limited', 'limited'],
		['Company', 'company'],
		['Inc.', 'inc'],
		['S.A. Ltda', 'sa'],
		['GmbH & Co. KG', 'gmbh'],
		['The', 'the'],
	])('never reduces a name to nothing: %j -> %j', (name, key) => {
		expect(companyMatchKey(name)).toBe(key);
	});

	it('gives an empty key for text without letters or digits', () => {
		expect(companyMatchKey('--- ...')).toBe('');
	});

	it('recognises every legal form of the data file after a name', () => {
		const terms = [...legalSuffixData.cleanco, ...legalSuffixData.added];
		expect(terms.length).toBeGreaterThan(300);
		const missed = terms.filter((term) => companyMatchKey(`Acme ${term}`) !== 'acme');
		expect(missed).toEqual([]);
	});

	it('includes the Brazilian forms cleanco lacks', () => {
		for (const form of ['EIRELI', 'ME', 'EPP', 'Ltda', 'S/A']) {
			expect(companyMatchKey(`Padaria Central ${form}`)).toBe('padaria central');
		}
	});
});

describe('normalizeCompany: display form', () => {
	it.each([
		// mixed case is kept as typed
		['ACME Inc.', 'ACME Inc.'],
		['iFood', 'iFood'],
		['McKinsey & Company', 'McKinsey & Company'],
		['Padaria Pão Quente Ltda', 'Padaria Pão Quente Ltda'],
		['Ambev S/A', 'Ambev S/A'],
		['Globex, LLC', 'Globex, LLC'],
		['eBay Inc.', 'eBay Inc.'],
		['Tesco PLC', 'Tesco PLC'],
		// whitespace and wrapping quotes
		['  "Banco do Brasil S.A."  ', 'Banco do Brasil S.A.'],
		["'Acme Ltda'", 'Acme Ltda'],
		['“Acme Ltda”', 'Acme Ltda'],
		['«Acme S.L.»', 'Acme S.L.'],
		['Acme   Comércio\tLtda', 'Acme Comércio Ltda'],
		['"Acme" Ltda', '"Acme" Ltda'],
		['"Alfa" e "Beta" Ltda', '"Alfa" e "Beta" Ltda'],
		['"Alfa" e "Beta"', '"Alfa" e "Beta"'],
		// all upper or all lower case: re-cased
		['ACME LTDA', 'Acme Ltda'],
		['empresa fantasia ltda.', 'Empresa Fantasia Ltda.'],
		['NATURA COSMÉTICOS S.A.', 'Natura Cosméticos S.A.'],
		['BANCO DO BRASIL SA', 'Banco do Brasil SA'],
		['bosch gmbh', 'Bosch GmbH'],
		['COMERCIAL SILVA EIRELI', 'Comercial Silva EIRELI'],
		['PADARIA PÃO QUENTE LTDA - ME', 'Padaria Pão Quente Ltda - ME'],
		['LOJA DA ANA ME', 'Loja da Ana ME'],
		['DISTRIBUIDORA NORTE LTDA EPP', 'Distribuidora Norte Ltda EPP'],
		['SOFTPLAN PLANEJAMENTO E SISTEMAS LTDA', 'Softplan Planejamento e Sistemas Ltda'],
		['IND. E COM. DE ALIMENTOS SILVA LTDA', 'Ind. e Com. de Alimentos Silva Ltda'],
		['BANCO DE LA NACION ARGENTINA', 'Banco de la Nacion Argentina'],
		['GRUPO BIMBO, S.A.B. DE C.V.', 'Grupo Bimbo, S.A.B. de C.V.'],
		['COCA-COLA FEMSA, S.A.B. DE C.V.', 'Coca-Cola Femsa, S.A.B. de C.V.'],
		['ALPINA PRODUCTOS ALIMENTICIOS S.A.S.', 'Alpina Productos Alimenticios S.A.S.'],
		['TELEFÓNICA SOLUCIONES SL', 'Telefónica Soluciones SL'],
		['acme llc', 'Acme LLC'],
		['acme pty ltd', 'Acme Pty Ltd'],
		['ACME PVT. LTD.', 'Acme Pvt. Ltd.'],
		['ACME GMBH & CO. KG', 'Acme GmbH & Co. KG'],
		['ACME S.P.A.', 'Acme S.p.A.'],
		['the coca-cola company', 'The Coca-Cola Company'],
		['BANK OF AMERICA', 'Bank of America'],
		["O'REILLY MEDIA", "O'Reilly Media"],
		['ACME (BRASIL) LTDA', 'Acme (Brasil) Ltda'],
		['CASA DO PÃO, COMÉRCIO E SERVIÇOS LTDA', 'Casa do Pão, Comércio e Serviços Ltda'],
		['J. P. MORGAN', 'J. P. Morgan'],
		// connectors are capitalised first and last
		['DO BEM ALIMENTOS', 'Do Bem Alimentos'],
		['THE BOX', 'The Box'],
		['SILVA E', 'Silva E'],
		// Portuguese words that are also legal forms elsewhere are spelled so only last
		['AS AMERICAS COMERCIO LTDA', 'As Americas Comercio Ltda'],
		['CALL ME MAYBE LTDA ME', 'Call Me Maybe Ltda ME'],
		['ACME AS', 'Acme AS'],
		['ACME SE', 'Acme SE'],
		// acronyms: words without vowels, short one-word upper-case names
		['KPMG AUDITORES INDEPENDENTES', 'KPMG Auditores Independentes'],
		['BMW DO BRASIL LTDA', 'BMW do Brasil Ltda'],
		['3M DO BRASIL LTDA', '3M do Brasil Ltda'],
		['JOHNSON & JOHNSON', 'Johnson & Johnson'],
		['P&G BRASIL', 'P&G Brasil'],
		['XP INVESTIMENTOS S.A.', 'XP Investimentos S.A.'],
		['IBM', 'IBM'],
		['SAP', 'SAP'],
		['UOL', 'UOL'],
		['AT&T', 'AT&T'],
		// short words with vowels cannot be told from acronyms: title case (documented)
		['IBM BRASIL', 'Ibm Brasil'],
		['ibm', 'Ibm'],
		['ACME', 'ACME'],
		['acme', 'Acme'],
		['BAR DO ZÉ', 'Bar do Zé'],
		['7-ELEVEN', '7-Eleven'],
		['ST. JOHN HOSPITAL', 'St. John Hospital'],
	])('%j -> %j', (input, company) => {
		const result = normalizeCompany(input);
		expect(result.value.company).toBe(company);
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([]);
	});

	it('returns the match key of the display form', () => {
		expect(normalizeCompany('  "NATURA COSMÉTICOS S.A."  ')).toEqual({
			value: { company: 'Natura Cosméticos S.A.', matchKey: 'natura cosmeticos' },
			errors: [],
			warnings: [],
		});
	});

	it('reads numbers as text', () => {
		expect(normalizeCompany(1999).value).toEqual({ company: '1999', matchKey: '1999' });
	});
});

describe('normalizeCompany: empty, placeholder and invalid values', () => {
	it.each([undefined, null, '', '   ', '""'])('%j gives nulls and no issues', (input) => {
		const result = normalizeCompany(input);
		expect(result.value).toEqual({ company: null, matchKey: null });
		expect(result.errors).toEqual([]);
	});

	it.each(['N/A', 'n/a', 'NA', 'none', 'None', 'null', '-', '--', '.', '?', 'não', 'Nao', 'nenhuma', 'ninguna', 'Not applicable', 'x', ' - '])(
		'%j means no company',
		(input) => {
			const result = normalizeCompany(input);
			expect(result.value).toEqual({ company: null, matchKey: null });
			expect(result.errors).toEqual([]);
			expect(result.warnings).toHaveLength(1);
			expect(result.warnings[0].code).toBe('company_placeholder');
		},
	);

	it('names the field and value in the placeholder warning', () => {
		expect(normalizeCompany(' N/A ', 'empresa').warnings).toEqual([
			{ field: 'empresa', code: 'company_placeholder', message: "empresa 'N/A' means no company; left empty" },
		]);
	});

	it.each([
		[true, 'boolean'],
		[{ name: 'Acme' }, 'object'],
		[['Acme'], 'a list'],
		[Number.NaN, 'number'],
	])('rejects %j', (input, kind) => {
		expect(normalizeCompany(input)).toEqual({
			value: { company: null, matchKey: null },
			errors: [{ field: 'company', code: 'invalid_company', message: `company is not text (got ${kind})` }],
			warnings: [],
		});
	});
});
