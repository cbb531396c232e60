import { CANONICAL_INPUT_FIELDS, buildAliasResolver, type CanonicalInputKey } from '../../lib/lead/aliases';
import { foldKey } from '../../lib/lead/text';

const resolveBuiltIn = buildAliasResolver();

function fieldOf(key: string): CanonicalInputKey | undefined {
	const { canonical } = resolveBuiltIn({ [key]: 'value' });
	const fields = Object.keys(canonical) as CanonicalInputKey[];
	return fields.length === 1 ? fields[0] : undefined;
}

describe('foldKey', () => {
	it.each([
		['First Name', 'firstname'],
		['first_name', 'firstname'],
		['firstName', 'firstname'],
		['FIRST-NAME', 'firstname'],
		['first.name', 'firstname'],
		['Teléfono', 'telefono'],
		['País', 'pais'],
		['Organização', 'organizacao'],
		['Compañía', 'compania'],
		['  E-mail Address ', 'emailaddress'],
		['', ''],
	])('%j -> %j', (key, folded) => {
		expect(foldKey(key)).toBe(folded);
	});
});

describe('buildAliasResolver: built-in table', () => {
	it('lists every lead field once', () => {
		expect(new Set(CANONICAL_INPUT_FIELDS).size).toBe(CANONICAL_INPUT_FIELDS.length);
		expect(CANONICAL_INPUT_FIELDS).toEqual(
			expect.arrayContaining(['email', 'phone', 'mobile_phone', 'full_name', 'consent_policy_version', 'created_at']),
		);
	});

	it.each(CANONICAL_INPUT_FIELDS.map((field) => [field]))('reads the canonical key %s itself', (field) => {
		expect(fieldOf(field)).toBe(field);
	});

	it.each<[string, CanonicalInputKey]>([
		// English labels and folding variants
		['Email', 'email'],
		['E-mail', 'email'],
		['E-mail Address', 'email'],
		['Email Address', 'email'],
		['emailAddress', 'email'],
		['Work Email', 'email'],
		['Phone Number', 'phone'],
		['Telephone', 'phone'],
		['Mobile', 'mobile_phone'],
		['Mobile Phone', 'mobile_phone'],
		['Cell Phone', 'mobile_phone'],
		['First Name', 'first_name'],
		['firstName', 'first_name'],
		['FIRST_NAME', 'first_name'],
		['first-name', 'first_name'],
		['Given Name', 'first_name'],
		['Last Name', 'last_name'],
		['Surname', 'last_name'],
		['Full Name', 'full_name'],
		['Name', 'full_name'],
		['Company Name', 'company'],
		['companyName', 'company'],
		['Organization', 'company'],
		['Organisation', 'company'],
		['Employer', 'company'],
		['Account', 'company'],
		['Job Title', 'job_title'],
		['Title', 'job_title'],
		['Position', 'job_title'],
		['Website', 'website'],
		['Company Website', 'website'],
		['Zip', 'postal_code'],
		['ZIP Code', 'postal_code'],
		['Zipcode', 'postal_code'],
		['Postcode', 'postal_code'],
		['Province', 'state'],
		['Region', 'state'],
		['State/Province', 'state'],
		['State/Region', 'state'],
		['Country/Region', 'country'],
		['State or Province', 'state'],
		['Town', 'city'],
		['Sector', 'industry'],
		// Portuguese
		['nome', 'full_name'],
		['Nome completo', 'full_name'],
		['sobrenome', 'last_name'],
		['e-mail', 'email'],
		['telefone', 'phone'],
		['celular', 'mobile_phone'],
		['WhatsApp', 'mobile_phone'],
		['país', 'country'],
		['cidade', 'city'],
		['estado', 'state'],
		['UF', 'state'],
		['CEP', 'postal_code'],
		['site', 'website'],
		['empresa', 'company'],
		['organizacao', 'company'],
		['Organização', 'company'],
		['Razão Social', 'company'],
		['cargo', 'job_title'],
		['Função', 'job_title'],
		['segmento', 'industry'],
		['Ramo de atividade', 'industry'],
		['Data de criação', 'created_at'],
		// Spanish
		['correo', 'email'],
		['correo_electronico', 'email'],
		['Correo electrónico', 'email'],
		['nombre', 'full_name'],
		['Nombre completo', 'full_name'],
		['apellido', 'last_name'],
		['apellidos', 'last_name'],
		['teléfono', 'phone'],
		['móvil', 'mobile_phone'],
		['Teléfono móvil', 'mobile_phone'],
		['ciudad', 'city'],
		['provincia', 'state'],
		['Código postal', 'postal_code'],
		['sitio_web', 'website'],
		['Página web', 'website'],
		['Compañía', 'company'],
		['puesto', 'job_title'],
		['rubro', 'industry'],
		['Fecha de creación', 'created_at'],
		// Tool exports
		['phone_number', 'phone'],
		['work_phone_number', 'phone'],
		['created_time', 'created_at'],
		['campaign_name', 'utm_campaign'],
		['WORK_EMAIL', 'email'],
		['PHONE_NUMBER', 'phone'],
		['FULL_NAME', 'full_name'],
		['COMPANY_NAME', 'company'],
		['POSTAL_CODE', 'postal_code'],
		['gcl_id', 'gclid'],
		['mobilephone', 'mobile_phone'],
		['jobtitle', 'job_title'],
		['createdate', 'created_at'],
		['CreatedDate', 'created_at'],
		['MobilePhone', 'mobile_phone'],
		['PostalCode', 'postal_code'],
		['personal_phone', 'phone'],
		['traffic_source', 'utm_source'],
		['traffic_medium', 'utm_medium'],
		['traffic_campaign', 'utm_campaign'],
		['FNAME', 'first_name'],
		['LNAME', 'last_name'],
		['your-name', 'full_name'],
		['your-email', 'email'],
		['submitted_at', 'created_at'],
		['Timestamp', 'created_at'],
		['UTM Source', 'utm_source'],
		['utmCampaign', 'utm_campaign'],
		['Landing Page URL', 'landing_page'],
		['page_url', 'landing_page'],
		['HTTP Referer', 'referrer'],
		['GDPR Consent', 'consent'],
		['LGPD consent', 'consent'],
		['Opt-in', 'consent'],
		['Consentimento', 'consent'],
		['Consentimiento', 'consent'],
		['Consent Timestamp', 'consent_date'],
		['Data do consentimento', 'consent_date'],
		['Privacy Policy Version', 'consent_policy_version'],
	])('%j -> %s', (key, field) => {
		expect(fieldOf(key)).toBe(field);
	});

	it.each(['message', 'comments', 'id', 'form_id', 'ad_name', 'hs_context', 'Submitted From', 'source', 'date', 'data'])(
		'leaves %j to the caller',
		(key) => {
			const { canonical, consumedKeys } = resolveBuiltIn({ [key]: 'value' });
			expect(canonical).toEqual({});
			expect(consumedKeys.size).toBe(0);
		},
	);
});

describe('buildAliasResolver: real exports', () => {
	it('reads a Facebook Lead Ads CSV row', () => {
		const row = {
			id: 'l:1234567890',
			created_time: '2024-03-01T13:45:10+0000',
			ad_id: 'ag:23850000',
			ad_name: 'Carousel BR',
			campaign_name: 'Leads Q1 - Brasil',
			form_name: 'Demo request',
			is_organic: false,
			full_name: 'Ana Paula Souza',
			phone_number: '+5511987654321',
			email: 'ana@acme.com.br',
			city: 'Campinas',
		};
		const { canonical, consumedKeys } = resolveBuiltIn(row);
		expect(canonical).toEqual({
			created_at: '2024-03-01T13:45:10+0000',
			utm_campaign: 'Leads Q1 - Brasil',
			full_name: 'Ana Paula Souza',
			phone: '+5511987654321',
			email: 'ana@acme.com.br',
			city: 'Campinas',
		});
		expect([...consumedKeys].sort()).toEqual(['campaign_name', 'city', 'created_time', 'email', 'full_name', 'phone_number']);
	});

	it('reads a Google Ads lead form export', () => {
		const { canonical } = resolveBuiltIn({
			FULL_NAME: 'John Carter',
			WORK_EMAIL: 'john@carter.io',
			PHONE_NUMBER: '+1 415 555 2671',
			COMPANY_NAME: 'Carter Labs',
			JOB_TITLE: 'CTO',
			POSTAL_CODE: '94107',
			gcl_id: 'Cj0KCQjw',
			lead_id: 'TeSter-123',
		});
		expect(canonical).toEqual({
			full_name: 'John Carter',
			email: 'john@carter.io',
			phone: '+1 415 555 2671',
			company: 'Carter Labs',
			job_title: 'CTO',
			postal_code: '94107',
			gclid: 'Cj0KCQjw',
		});
	});

	it('reads a LinkedIn Lead Gen export', () => {
		const { canonical } = resolveBuiltIn({
			firstName: 'Priya',
			lastName: 'Raman',
			emailAddress: 'priya@globex.com',
			phoneNumber: '+44 20 7946 0018',
			companyName: 'Globex',
			jobTitle: 'Head of Growth',
			country: 'GB',
		});
		expect(canonical).toEqual({
			first_name: 'Priya',
			last_name: 'Raman',
			email: 'priya@globex.com',
			phone: '+44 20 7946 0018',
			company: 'Globex',
			job_title: 'Head of Growth',
			country: 'GB',
		});
	});

	it('reads Salesforce-style and HubSpot property names', () => {
		expect(
			resolveBuiltIn({ FirstName: 'Lucy', LastName: 'Lee', Email: 'lucy@initech.com', Company: 'Initech', Title: 'VP Sales', MobilePhone: '555' })
				.canonical,
		).toEqual({ first_name: 'Lucy', last_name: 'Lee', email: 'lucy@initech.com', company: 'Initech', job_title: 'VP Sales', mobile_phone: '555' });
		expect(
			resolveBuiltIn({ firstname: 'Bob', lastname: 'Stone', jobtitle: 'CFO', zip: '10001', mobilephone: '555', hs_context: '{}' }).canonical,
		).toEqual({ first_name: 'Bob', last_name: 'Stone', job_title: 'CFO', postal_code: '10001', mobile_phone: '555' });
	});

	it('reads an RD Station conversion, keeping phone and mobile apart', () => {
		const { canonical } = resolveBuiltIn({
			nome: 'Carlos Pereira',
			email: 'carlos@padaria.com.br',
			empresa: 'Padaria do Zé',
			cargo: 'Sócio',
			celular: '(11) 98765-4321',
			telefone: '(11) 3456-7890',
			cidade: 'São Paulo',
			estado: 'SP',
			traffic_source: 'google',
			traffic_medium: 'cpc',
			traffic_campaign: 'pães',
		});
		expect(canonical).toEqual({
			full_name: 'Carlos Pereira',
			email: 'carlos@padaria.com.br',
			company: 'Padaria do Zé',
			job_title: 'Sócio',
			mobile_phone: '(11) 98765-4321',
			phone: '(11) 3456-7890',
			city: 'São Paulo',
			state: 'SP',
			utm_source: 'google',
			utm_medium: 'cpc',
			utm_campaign: 'pães',
		});
	});

	it('reads a Spanish form', () => {
		const { canonical } = resolveBuiltIn({
			Nombre: 'Lucía',
			Apellidos: 'García López',
			'Correo electrónico': 'lucia@empresa.es',
			Teléfono: '612 345 678',
			País: 'España',
			Ciudad: 'Madrid',
			Empresa: 'Empresa SL',
			Cargo: 'Directora',
			'Sitio web': 'empresa.es',
		});
		expect(canonical).toEqual({
			first_name: 'Lucía',
			last_name: 'García López',
			email: 'lucia@empresa.es',
			phone: '612 345 678',
			country: 'España',
			city: 'Madrid',
			company: 'Empresa SL',
			job_title: 'Directora',
			website: 'empresa.es',
		});
	});
});

describe('buildAliasResolver: generic name labels', () => {
	it.each<[Record<string, unknown>, Partial<Record<CanonicalInputKey, unknown>>]>([
		[{ nome: 'João da Silva' }, { full_name: 'João da Silva' }],
		[{ nome: 'João', sobrenome: 'Silva' }, { first_name: 'João', last_name: 'Silva' }],
		[{ nombre: 'Lucía', apellido: 'García' }, { first_name: 'Lucía', last_name: 'García' }],
		[{ Name: 'Anne', 'Last Name': 'Marie' }, { first_name: 'Anne', last_name: 'Marie' }],
		[{ full_name: 'Ana Souza', last_name: 'Souza' }, { full_name: 'Ana Souza', last_name: 'Souza' }],
		[{ name: 'Ana Souza', first_name: 'Ana', last_name: 'Souza' }, { full_name: 'Ana Souza', first_name: 'Ana', last_name: 'Souza' }],
		[{ name: 'Ana Souza', full_name: 'Ana Maria Souza', sobrenome: 'Souza' }, { full_name: 'Ana Maria Souza', last_name: 'Souza' }],
	])('%j', (item, expected) => {
		expect(resolveBuiltIn(item).canonical).toEqual(expected);
	});
});

describe('buildAliasResolver: several aliases of one field', () => {
	it('keeps the first non-empty one in table order, whatever the item key order', () => {
		expect(resolveBuiltIn({ work_email: 'work@acme.com', email: 'me@gmail.com' }).canonical).toEqual({ email: 'me@gmail.com' });
		expect(resolveBuiltIn({ email: 'me@gmail.com', work_email: 'work@acme.com' }).canonical).toEqual({ email: 'me@gmail.com' });
	});

	it.each([[''], ['   '], [null], [undefined]])('skips a blank value (%j) for the next alias', (blank) => {
		const { canonical, consumedKeys } = resolveBuiltIn({ email: blank, 'E-mail Address': 'ana@acme.com' });
		expect(canonical).toEqual({ email: 'ana@acme.com' });
		expect([...consumedKeys].sort()).toEqual(['E-mail Address', 'email']);
	});

	it('marks empty and losing aliases as consumed too, so they are not mistaken for unknown fields', () => {
		const { canonical, consumedKeys } = resolveBuiltIn({ Email: 'a@b.co', correo: 'c@d.co', telefone: '', extra: 1 });
		expect(canonical).toEqual({ email: 'a@b.co' });
		expect([...consumedKeys].sort()).toEqual(['Email', 'correo', 'telefone']);
	});

	it('passes values through as given: untrimmed text, numbers, booleans, objects', () => {
		const address = { line1: 'Rua A, 1' };
		const { canonical } = resolveBuiltIn({ email: '  A@B.CO ', cep: 13560000, consent: false, city: address });
		expect(canonical).toEqual({ email: '  A@B.CO ', postal_code: 13560000, consent: false, city: address });
		expect(canonical.city).toBe(address);
	});

	it('returns an empty result for an empty item, and fresh objects per item', () => {
		const first = resolveBuiltIn({});
		expect(first.canonical).toEqual({});
		expect(first.consumedKeys.size).toBe(0);
		const second = resolveBuiltIn({ email: 'x@y.z' });
		expect(first.canonical).toEqual({});
		expect(second.canonical).not.toBe(first.canonical);
	});

	it('resolves items with the same keys independently (blank here, filled there)', () => {
		const resolve = buildAliasResolver();
		const rows = [
			{ email: '', work_email: 'w1@acme.com', nome: 'Ana', sobrenome: 'Lima' },
			{ email: 'e2@gmail.com', work_email: 'w2@acme.com', nome: 'Bia Souza', sobrenome: '' },
			{ email: null, work_email: '', nome: '', sobrenome: 'Reis' },
		];
		expect(rows.map((row) => resolve(row).canonical)).toEqual([
			{ email: 'w1@acme.com', first_name: 'Ana', last_name: 'Lima' },
			{ email: 'e2@gmail.com', full_name: 'Bia Souza' },
			{ last_name: 'Reis' },
		]);
	});

	it('resolves items of alternating shapes (two forms feeding one workflow)', () => {
		const resolve = buildAliasResolver();
		const fromForm = { 'E-mail': 'a@x.co', Telefone: '1' };
		const fromAds = { email: 'b@y.co', phone_number: '2', ad_id: '9' };
		for (let round = 0; round < 3; round++) {
			expect(resolve(fromForm).canonical).toEqual({ email: 'a@x.co', phone: '1' });
			expect(resolve(fromAds).canonical).toEqual({ email: 'b@y.co', phone: '2' });
			expect([...resolve(fromAds).consumedKeys]).toEqual(['email', 'phone_number']);
		}
		expect(resolve({ Telefone: '3', 'E-mail': 'c@z.co' }).canonical).toEqual({ email: 'c@z.co', phone: '3' });
	});

	it('keeps resolving correctly after more distinct keys than its key cache holds', () => {
		const resolve = buildAliasResolver();
		for (let batch = 0; batch < 3; batch++) {
			const item: Record<string, unknown> = {};
			for (let index = 0; index < 5_000; index++) item[`custom_${batch}_${index}`] = index;
			expect(resolve(item).canonical).toEqual({});
		}
		expect(resolve({ 'E-mail': 'x@y.z', telefone: '1' }).canonical).toEqual({ email: 'x@y.z', phone: '1' });
	});
});

describe('buildAliasResolver: user aliases', () => {
	it('accepts a record of field -> aliases', () => {
		const resolve = buildAliasResolver({ phone: ['whatsapp_number'], company: ['Nome da Loja', 'loja'] });
		expect(resolve({ 'WhatsApp Number': '11 98765-4321', 'Nome da loja': 'Loja Azul' }).canonical).toEqual({
			phone: '11 98765-4321',
			company: 'Loja Azul',
		});
	});

	it('accepts a list of { alias, field }', () => {
		const resolve = buildAliasResolver([
			{ alias: 'Qual o seu cargo?', field: 'job_title' },
			{ alias: 'Seu melhor e-mail', field: 'email' },
		]);
		expect(resolve({ 'Qual o seu cargo?': 'Gerente', 'Seu melhor e-mail': 'gerente@loja.com' }).canonical).toEqual({
			job_title: 'Gerente',
			email: 'gerente@loja.com',
		});
	});

	it('wins over built-in aliases of the same field', () => {
		const resolve = buildAliasResolver([{ alias: 'personal_email', field: 'email' }]);
		expect(resolve({ email: 'work@acme.com', personal_email: 'me@gmail.com' }).canonical).toEqual({ email: 'me@gmail.com' });
	});

	it('falls back to the built-ins when its own value is blank', () => {
		const resolve = buildAliasResolver([{ alias: 'personal_email', field: 'email' }]);
		expect(resolve({ email: 'work@acme.com', personal_email: ' ' }).canonical).toEqual({ email: 'work@acme.com' });
	});

	it('takes over a built-in alias name for another field', () => {
		const resolve = buildAliasResolver([{ alias: 'site', field: 'landing_page' }]);
		expect(resolve({ site: 'https://acme.com/lp', website: 'acme.com' }).canonical).toEqual({
			landing_page: 'https://acme.com/lp',
			website: 'acme.com',
		});
	});

	it('prefers the earlier of two user aliases of one field', () => {
		const resolve = buildAliasResolver([
			{ alias: 'primary_mail', field: 'email' },
			{ alias: 'secondary_mail', field: 'email' },
		]);
		expect(resolve({ secondary_mail: 'b@x.co', primary_mail: 'a@x.co' }).canonical).toEqual({ email: 'a@x.co' });
	});

	it('accepts the target field written like a label', () => {
		const resolve = buildAliasResolver([
			{ alias: 'given', field: 'First Name' },
			{ alias: 'cp', field: 'postalCode' },
		]);
		expect(resolve({ given: 'Ana', cp: '28001' }).canonical).toEqual({ first_name: 'Ana', postal_code: '28001' });
	});

	it('reads dotted paths from nested objects and records the path as consumed', () => {
		const resolve = buildAliasResolver([
			{ alias: 'contact.email', field: 'email' },
			{ alias: 'contact.phones.0', field: 'phone' },
			{ alias: 'answers.company.text', field: 'company' },
		]);
		const { canonical, consumedKeys } = resolve({
			contact: { email: 'nested@acme.com', phones: ['+55 11 3456-7890'] },
			answers: { company: { text: 'Acme' } },
		});
		expect(canonical).toEqual({ email: 'nested@acme.com', phone: '+55 11 3456-7890', company: 'Acme' });
		expect([...consumedKeys].sort()).toEqual(['answers.company.text', 'contact.email', 'contact.phones.0']);
	});

	it('gives a nested user alias priority over a top-level built-in', () => {
		const resolve = buildAliasResolver([{ alias: 'contact.email', field: 'email' }]);
		const { canonical, consumedKeys } = resolve({ email: 'top@acme.com', contact: { email: 'nested@acme.com' } });
		expect(canonical).toEqual({ email: 'nested@acme.com' });
		expect([...consumedKeys].sort()).toEqual(['contact.email', 'email']);
		expect([...resolve({ email: 'top@acme.com', contact: {} }).consumedKeys]).toEqual(['email']);
	});

	it('matches a dotted alias against a flat key of that name too', () => {
		const resolve = buildAliasResolver([{ alias: 'lead.mail', field: 'email' }]);
		const { canonical, consumedKeys } = resolve({ 'lead.mail': 'flat@acme.com' });
		expect(canonical).toEqual({ email: 'flat@acme.com' });
		expect([...consumedKeys]).toEqual(['lead.mail']);
	});

	it('skips missing, non-object and inherited path segments', () => {
		const resolve = buildAliasResolver([
			{ alias: 'contact.email', field: 'email' },
			{ alias: 'contact.constructor', field: 'company' },
			{ alias: 'profile.name.first', field: 'first_name' },
		]);
		const { canonical, consumedKeys } = resolve({ contact: {}, profile: { name: 'Ana' } });
		expect(canonical).toEqual({});
		expect(consumedKeys.size).toBe(0);
		expect(resolve({ contact: null }).canonical).toEqual({});
	});

	it('throws naming the alias and the field when the field is unknown', () => {
		expect(() => buildAliasResolver([{ alias: 'Correo', field: 'emial' }])).toThrow(
			"Field alias 'Correo' points to unknown lead field 'emial'",
		);
		expect(() => buildAliasResolver({ telephone_number: ['tel'] })).toThrow(/unknown lead field 'telephone_number'.*Known fields: email, phone/);
	});

	it('throws for an alias without letters or digits', () => {
		expect(() => buildAliasResolver([{ alias: ' -- ', field: 'email' }])).toThrow("Field alias '--' for 'email' has no letters or digits");
	});

	it('throws for one alias given for two fields, also when written differently', () => {
		expect(() =>
			buildAliasResolver([
				{ alias: 'Contato', field: 'phone' },
				{ alias: 'contato', field: 'email' },
			]),
		).toThrow("Field alias 'contato' is given for both 'phone' and 'email'");
	});

	it('accepts one alias repeated for the same field', () => {
		const resolve = buildAliasResolver({ email: ['Mail Pessoal', 'mail_pessoal'] });
		expect(resolve({ 'mail pessoal': 'a@b.co' }).canonical).toEqual({ email: 'a@b.co' });
	});

	it('does not change the built-in table of other resolvers', () => {
		buildAliasResolver([{ alias: 'email', field: 'company' }]);
		expect(buildAliasResolver()({ email: 'a@b.co' }).canonical).toEqual({ email: 'a@b.co' });
	});
});
