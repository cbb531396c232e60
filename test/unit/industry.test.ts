import { DEFAULT_INDUSTRY_PICKLIST, buildIndustryMatcher } from '../../lib/lead/industry';

const matchIndustry = buildIndustryMatcher();

const PICKLIST_VALUES = [
	'Technology/Software',
	'Financial Services',
	'Healthcare',
	'Education',
	'Retail & E-commerce',
	'Manufacturing',
	'Real Estate',
	'Marketing & Advertising',
	'Consulting & Professional Services',
	'Media & Entertainment',
	'Telecommunications',
	'Energy & Utilities',
	'Transportation & Logistics',
	'Hospitality & Travel',
	'Government & Public Sector',
	'Non-profit',
	'Agriculture',
	'Construction',
	'Automotive',
	'Food & Beverage',
	'Legal',
	'Insurance',
	'Pharmaceuticals & Biotech',
	'Other',
];

describe('DEFAULT_INDUSTRY_PICKLIST', () => {
	it('has the CRM-style values, in English', () => {
		expect(DEFAULT_INDUSTRY_PICKLIST.map((entry) => entry.value)).toEqual(PICKLIST_VALUES);
	});

	it.each(PICKLIST_VALUES.map((value) => [value]))('maps its own value %j to itself, also upper-cased', (value) => {
		expect(matchIndustry(value)).toEqual({ value, errors: [], warnings: [] });
		expect(matchIndustry(value.toUpperCase()).value).toBe(value);
	});
});

describe('buildIndustryMatcher: exact synonyms', () => {
	it.each([
		// English
		['SaaS', 'Technology/Software'],
		['software', 'Technology/Software'],
		['IT', 'Technology/Software'],
		['IT Services', 'Technology/Software'],
		['Information Technology and Services', 'Technology/Software'],
		['Computer Software', 'Technology/Software'],
		['fintech', 'Financial Services'],
		['Banking', 'Financial Services'],
		['Hospital & Health Care', 'Healthcare'],
		['Higher Education', 'Education'],
		['E-Learning', 'Education'],
		['ecommerce', 'Retail & E-commerce'],
		['E-Commerce', 'Retail & E-commerce'],
		['e commerce', 'Retail & E-commerce'],
		['Apparel & Fashion', 'Retail & E-commerce'],
		['Marketing and Advertising', 'Marketing & Advertising'],
		['Management Consulting', 'Consulting & Professional Services'],
		['Staffing and Recruiting', 'Consulting & Professional Services'],
		['Broadcast Media', 'Media & Entertainment'],
		['Oil & Energy', 'Energy & Utilities'],
		['Logistics and Supply Chain', 'Transportation & Logistics'],
		['Travel & Tourism', 'Hospitality & Travel'],
		['Government Administration', 'Government & Public Sector'],
		['Non-Profit Organization Management', 'Non-profit'],
		['nonprofit', 'Non-profit'],
		['NGO', 'Non-profit'],
		['Farming', 'Agriculture'],
		['Building Materials', 'Construction'],
		['Food & Beverages', 'Food & Beverage'],
		['F&B', 'Food & Beverage'],
		['Law Practice', 'Legal'],
		['Insurtech', 'Insurance'],
		['Biotechnology', 'Pharmaceuticals & Biotech'],
		// Portuguese
		['Tecnologia', 'Technology/Software'],
		['TI', 'Technology/Software'],
		['Tecnologia da Informação', 'Technology/Software'],
		['banco', 'Financial Services'],
		['bancos', 'Financial Services'],
		['Serviços financeiros', 'Financial Services'],
		['seguros', 'Insurance'],
		['Seguradora', 'Insurance'],
		['saúde', 'Healthcare'],
		['SAÚDE', 'Healthcare'],
		['Clínica', 'Healthcare'],
		['educação', 'Education'],
		['Ensino superior', 'Education'],
		['varejo', 'Retail & E-commerce'],
		['Comércio eletrônico', 'Retail & E-commerce'],
		['indústria', 'Manufacturing'],
		['imobiliária', 'Real Estate'],
		['Imóveis', 'Real Estate'],
		['agência', 'Marketing & Advertising'],
		['Agência de publicidade', 'Marketing & Advertising'],
		['consultoria', 'Consulting & Professional Services'],
		['Contabilidade', 'Consulting & Professional Services'],
		['ONG', 'Non-profit'],
		['Terceiro setor', 'Non-profit'],
		['governo', 'Government & Public Sector'],
		['Prefeitura', 'Government & Public Sector'],
		['Agronegócio', 'Agriculture'],
		['Construtora', 'Construction'],
		['Alimentos e bebidas', 'Food & Beverage'],
		['Advocacia', 'Legal'],
		['Jurídico', 'Legal'],
		['Logística', 'Transportation & Logistics'],
		['Telecomunicações', 'Telecommunications'],
		['Energia solar', 'Energy & Utilities'],
		['Hotelaria', 'Hospitality & Travel'],
		['Agência de viagens', 'Hospitality & Travel'],
		['Indústria farmacêutica', 'Pharmaceuticals & Biotech'],
		['Outros', 'Other'],
		// Spanish
		['tecnología', 'Technology/Software'],
		['Servicios financieros', 'Financial Services'],
		['salud', 'Healthcare'],
		['educación', 'Education'],
		['comercio minorista', 'Retail & E-commerce'],
		['manufactura', 'Manufacturing'],
		['inmobiliaria', 'Real Estate'],
		['Bienes raíces', 'Real Estate'],
		['agencia de marketing', 'Marketing & Advertising'],
		['Asesoría', 'Consulting & Professional Services'],
		['gobierno', 'Government & Public Sector'],
		['Sin fines de lucro', 'Non-profit'],
		['Construcción', 'Construction'],
		['Automotriz', 'Automotive'],
		['Alimentos y bebidas', 'Food & Beverage'],
		['Abogados', 'Legal'],
		['Aseguradora', 'Insurance'],
		['Telecomunicaciones', 'Telecommunications'],
		['Agencia de viajes', 'Hospitality & Travel'],
		['Otros', 'Other'],
	])('%j -> %s', (input, value) => {
		expect(matchIndustry(input)).toEqual({ value, errors: [], warnings: [] });
	});

	it('trims and ignores punctuation around the text', () => {
		expect(matchIndustry('  "Software" ').value).toBe('Technology/Software');
		expect(matchIndustry('Saúde.').value).toBe('Healthcare');
	});
});

describe('buildIndustryMatcher: words inside a longer text', () => {
	it.each([
		['Software Development', 'Technology/Software'],
		['Empresa de software', 'Technology/Software'],
		['Custom Software Solutions', 'Technology/Software'],
		['Hospitals', 'Healthcare'],
		['Clínica odontológica', 'Healthcare'],
		['Regional Banks', 'Financial Services'],
		['Comércio varejista de roupas', 'Retail & E-commerce'],
		['E-commerce store', 'Retail & E-commerce'],
		['Mechanical or Industrial Engineering', 'Manufacturing'],
		['Escritório de advocacia trabalhista', 'Legal'],
		['Construtora e incorporadora', 'Construction'],
		['Transporte rodoviário de cargas', 'Transportation & Logistics'],
		['Universidad privada', 'Education'],
		['Hotel boutique', 'Hospitality & Travel'],
		['Restaurante italiano', 'Food & Beverage'],
		['Commercial Real Estate Brokerage', 'Real Estate'],
		['Concessionária de veículos', 'Automotive'],
		['Seguros de vida', 'Insurance'],
	])('%j -> %s', (input, value) => {
		expect(matchIndustry(input)).toEqual({ value, errors: [], warnings: [] });
	});

	it('prefers any other industry word over a qualifier such as indústria, agência or technology', () => {
		expect(matchIndustry('Indústria de alimentos')).toEqual({ value: 'Food & Beverage', errors: [], warnings: [] });
		expect(matchIndustry('Agencia de turismo')).toEqual({ value: 'Hospitality & Travel', errors: [], warnings: [] });
		expect(matchIndustry('Healthcare technology')).toEqual({ value: 'Healthcare', errors: [], warnings: [] });
		expect(matchIndustry('Tecnologia em saúde')).toEqual({ value: 'Healthcare', errors: [], warnings: [] });
	});

	it('prefers the longest phrase and does not count words inside it as rivals', () => {
		expect(matchIndustry('Social media agency')).toEqual({ value: 'Marketing & Advertising', errors: [], warnings: [] });
		expect(matchIndustry('Boutique travel agency')).toEqual({ value: 'Hospitality & Travel', errors: [], warnings: [] });
	});

	it('takes the earliest of equally strong matches and warns naming the others', () => {
		expect(matchIndustry('Consultoria em TI')).toEqual({
			value: 'Consulting & Professional Services',
			errors: [],
			warnings: [
				{
					field: 'industry',
					code: 'ambiguous_industry',
					message: "industry 'Consultoria em TI' could also be 'Technology/Software'; chose 'Consulting & Professional Services'",
				},
			],
		});
		const result = matchIndustry('Software for banks and hospitals');
		expect(result.value).toBe('Technology/Software');
		expect(result.warnings).toHaveLength(1);
		expect(result.warnings[0].message).toContain("could also be 'Financial Services', 'Healthcare'");
	});

	it('reads plurals as singulars, but not in words of three letters', () => {
		expect(matchIndustry('Clinics').value).toBe('Healthcare');
		expect(matchIndustry('Its complicated')).toMatchObject({ value: 'Other', warnings: [{ code: 'unknown_industry' }] });
	});
});

describe('buildIndustryMatcher: unknown and invalid input', () => {
	it("maps unknown text to 'Other' with a warning quoting it", () => {
		expect(matchIndustry('Widgets & Gizmos')).toEqual({
			value: 'Other',
			errors: [],
			warnings: [
				{
					field: 'industry',
					code: 'unknown_industry',
					message: "industry 'Widgets & Gizmos' matches no picklist value; set to 'Other'",
				},
			],
		});
	});

	it('treats a number as text (an unknown code)', () => {
		expect(matchIndustry(7372)).toMatchObject({ value: 'Other', warnings: [{ code: 'unknown_industry' }] });
	});

	it.each([[null], [undefined], [''], ['   ']])('gives null and no issue for %j', (input) => {
		expect(matchIndustry(input)).toEqual({ value: null, errors: [], warnings: [] });
	});

	it.each<[unknown, string]>([
		[{ name: 'Software' }, 'industry must be text, got object'],
		[['Software'], 'industry must be text, got a list'],
		[true, 'industry must be text, got boolean'],
	])('rejects %j', (input, message) => {
		expect(matchIndustry(input)).toEqual({ value: null, errors: [{ field: 'industry', code: 'invalid_industry', message }], warnings: [] });
	});

	it('returns a fresh result for a text seen before, in the field asked for', () => {
		const first = matchIndustry('Gizmo makers');
		first.warnings.length = 0;
		first.value = 'changed';
		expect(matchIndustry('Gizmo makers')).toEqual({
			value: 'Other',
			errors: [],
			warnings: [{ field: 'industry', code: 'unknown_industry', message: "industry 'Gizmo makers' matches no picklist value; set to 'Other'" }],
		});
		expect(matchIndustry('Gizmo makers', 'sector').warnings[0].field).toBe('sector');
	});

	it('names the given field in issues', () => {
		expect(matchIndustry('Widgets', 'segmento').warnings[0]).toEqual({
			field: 'segmento',
			code: 'unknown_industry',
			message: "segmento 'Widgets' matches no picklist value; set to 'Other'",
		});
	});
});

describe('buildIndustryMatcher: custom picklist', () => {
	const crmPicklist = [
		{ value: 'Tecnologia', synonyms: ['software', 'SaaS', 'TI'] },
		{ value: 'Varejo', synonyms: ['loja', 'e-commerce'] },
		{ value: 'Serviços', synonyms: ['consultoria', 'agência'] },
	];

	it('replaces the built-in picklist', () => {
		const match = buildIndustryMatcher(crmPicklist);
		expect(match('saas').value).toBe('Tecnologia');
		expect(match('Loja de roupas').value).toBe('Varejo');
		expect(match('TECNOLOGIA').value).toBe('Tecnologia');
		expect(match('serviços').value).toBe('Serviços');
	});

	it('leaves unknown text empty when the picklist has no Other value', () => {
		expect(buildIndustryMatcher(crmPicklist)('Healthcare')).toEqual({
			value: null,
			errors: [],
			warnings: [
				{ field: 'industry', code: 'unknown_industry', message: "industry 'Healthcare' matches no picklist value; it was left empty" },
			],
		});
	});

	it.each(['Outros', 'Otros', 'Others'])('uses an Other value named %j', (otherValue) => {
		const match = buildIndustryMatcher([...crmPicklist, { value: otherValue, synonyms: [] }]);
		expect(match('Healthcare')).toMatchObject({ value: otherValue, warnings: [{ code: 'unknown_industry' }] });
	});

	it('throws when one synonym is given for two values', () => {
		expect(() =>
			buildIndustryMatcher([
				{ value: 'Tech', synonyms: ['software'] },
				{ value: 'Services', synonyms: ['Software'] },
			]),
		).toThrow("Industry synonym 'Software' is given for both 'Tech' and 'Services'");
	});

	it('ignores synonyms without letters or digits', () => {
		expect(buildIndustryMatcher([{ value: 'Tech', synonyms: ['', ' - '] }])('Tech').value).toBe('Tech');
	});
});
