import { isEmailAddress, isFreeMailDomain, normalizeEmail } from '../../lib/lead/email';

describe('normalizeEmail: cleaning', () => {
	it.each([
		['  ana@empresa.com.br  ', 'ana@empresa.com.br'],
		['\tana@empresa.com.br\n', 'ana@empresa.com.br'],
		['Ana.Lima@Empresa.COM.BR', 'ana.lima@empresa.com.br'],
		['JOHN.DOE@GMAIL.COM', 'john.doe@gmail.com'],
		['<ana@empresa.com.br>', 'ana@empresa.com.br'],
		['Ana Lima <Ana@Empresa.com.br>', 'ana@empresa.com.br'],
		['"Lima, Ana" <ana@empresa.com.br>', 'ana@empresa.com.br'],
		['Ana Lima < ana@empresa.com.br >', 'ana@empresa.com.br'],
		['mailto:joao@empresa.com.br', 'joao@empresa.com.br'],
		['MAILTO:Joao@Empresa.com.br', 'joao@empresa.com.br'],
		['mailto:joao@empresa.com.br?subject=Contato&body=Oi', 'joao@empresa.com.br'],
		['<mailto:joao@empresa.com.br>', 'joao@empresa.com.br'],
		['"ana@empresa.com.br"', 'ana@empresa.com.br'],
		["'ana@empresa.com.br'", 'ana@empresa.com.br'],
		['ana@empresa.com.br;', 'ana@empresa.com.br'],
		['ana@empresa.com.br,', 'ana@empresa.com.br'],
	])('%j -> %s', (input, email) => {
		const result = normalizeEmail(input);
		expect(result.value.email).toBe(email);
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([]);
	});

	it('splits off the domain', () => {
		expect(normalizeEmail('Ops@Mail.Acme.co.uk').value).toEqual({
			email: 'ops@mail.acme.co.uk',
			domain: 'mail.acme.co.uk',
			isFree: false,
			matchKey: 'ops@mail.acme.co.uk',
		});
	});

	it.each([undefined, null, '', '   ', '\t\n'])('empty input %j gives all nulls and no issues', (input) => {
		expect(normalizeEmail(input)).toEqual({
			value: { email: null, domain: null, isFree: null, matchKey: null },
			errors: [],
			warnings: [],
		});
	});
});

describe('normalizeEmail: syntax', () => {
	it.each([
		'john@acme.com',
		'j@acme.io',
		"o'brien@example.ie",
		'first.last@empresa.com.br',
		'first-last@empresa.com.br',
		'user_name@sub.domain.co.uk',
		'12345@numbers.com',
		'a+b+c@example.org',
		'x!#$%&*/=?^`{|}~-y@example.com',
		'info@my-company.com',
		'info@123.example.com',
		'info@xn--mnchen-3ya.de',
		'info@example.xn--p1ai',
		'contato@construção.com.br',
		'info@münchen.de',
		`${'a'.repeat(64)}@example.com`,
		`a@${'b'.repeat(63)}.com`,
	])('accepts %s', (address) => {
		const result = normalizeEmail(address);
		expect(result.errors).toEqual([]);
		expect(result.value.email).toBe(address.toLowerCase());
	});

	it.each([
		'john at acme',
		'john@acme',
		'john@acme.c',
		'john@acme.123',
		'john@@acme.com',
		'john@ana@acme.com',
		'@acme.com',
		'john@',
		'john',
		'.john@acme.com',
		'john.@acme.com',
		'jo..hn@acme.com',
		'john@.acme.com',
		'john@acme..com',
		'john@acme.com.',
		'john@-acme.com',
		'john@acme-.com',
		'john@acme_corp.com',
		'"john doe"@acme.com',
		'john doe@acme.com',
		'joão@empresa.com.br',
		'john@[192.168.0.1]',
		'john(work)@acme.com',
		'john@acme.com (work)',
		'ana@empresa.com,br',
		'ana@empresa.com, br',
		`${'a'.repeat(65)}@example.com`,
		`a@${'b'.repeat(64)}.com`,
		// 260 characters: over the 254 limit although every part is within its own
		`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
		'Ana Lima <>',
		'mailto:',
	])('rejects %j', (address) => {
		const result = normalizeEmail(address);
		expect(result.value).toEqual({ email: null, domain: null, isFree: null, matchKey: null });
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].code).toBe('invalid_email');
	});

	it('names the field and the value in the error', () => {
		expect(normalizeEmail('john at acme').errors).toEqual([
			{ field: 'email', code: 'invalid_email', message: "email 'john at acme' is not a valid address" },
		]);
		expect(normalizeEmail(' john@acme ', 'work_email').errors).toEqual([
			{ field: 'work_email', code: 'invalid_email', message: "work_email 'john@acme' is not a valid address" },
		]);
	});

	it('shortens very long values in the error message', () => {
		const message = normalizeEmail(`${'x'.repeat(200)}@`).errors[0].message;
		expect(message).toBe(`email '${'x'.repeat(80)}…' is not a valid address`);
	});

	it('rejects values that are not text', () => {
		expect(normalizeEmail(12345).errors).toEqual([
			{ field: 'email', code: 'invalid_email', message: "email '12345' is not a valid address" },
		]);
		expect(normalizeEmail({ address: 'a@b.com' }).errors).toEqual([
			{ field: 'email', code: 'invalid_email', message: 'email is not text (got object)' },
		]);
		expect(normalizeEmail(['a@b.com']).errors).toEqual([
			{ field: 'email', code: 'invalid_email', message: 'email is not text (got a list)' },
		]);
		expect(normalizeEmail(true).value.email).toBeNull();
	});
});

describe('normalizeEmail: several addresses in one field', () => {
	it.each([
		['ana@empresa.com.br; ana.pessoal@gmail.com', 'ana@empresa.com.br', 2],
		['ana@empresa.com.br, ana.pessoal@gmail.com', 'ana@empresa.com.br', 2],
		['ana@empresa.com.br ana.pessoal@gmail.com', 'ana@empresa.com.br', 2],
		['A@x.com;b@y.com;c@z.com', 'a@x.com', 3],
	])('%j keeps %s with a warning', (input, email, count) => {
		const result = normalizeEmail(input);
		expect(result.value.email).toBe(email);
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([
			{
				field: 'email',
				code: 'email_multiple',
				message: `email '${input}' holds ${count} values; kept the first, '${email}'`,
			},
		]);
	});

	it('rejects the field when the first value is not an address', () => {
		expect(normalizeEmail('ana; ana@empresa.com.br').errors[0].code).toBe('invalid_email');
	});

	it('does not read a comma typed for a dot as a list', () => {
		expect(normalizeEmail('ana@empresa.com,br').errors).toEqual([
			{ field: 'email', code: 'invalid_email', message: "email 'ana@empresa.com,br' is not a valid address" },
		]);
	});
});

describe('normalizeEmail: domain typos', () => {
	it.each([
		['gmial.com', 'gmail.com'],
		['gmai.com', 'gmail.com'],
		['gamil.com', 'gmail.com'],
		['gnail.com', 'gmail.com'],
		['gmail.con', 'gmail.com'],
		['gmail.co', 'gmail.com'],
		['gmail.cmo', 'gmail.com'],
		['gmail.com.com', 'gmail.com'],
		['gmail.com.br', 'gmail.com'],
		['gmial.com.br', 'gmail.com'],
		['hotmial.com', 'hotmail.com'],
		['hotmal.com', 'hotmail.com'],
		['hotmail.con', 'hotmail.com'],
		['hotmial.com.br', 'hotmail.com.br'],
		['outlok.com', 'outlook.com'],
		['outlook.con', 'outlook.com'],
		['yahoo.co', 'yahoo.com'],
		['yaho.com', 'yahoo.com'],
		['yahooo.com.br', 'yahoo.com.br'],
		['iclod.com', 'icloud.com'],
		['icloud.com.br', 'icloud.com'],
		['aol.con', 'aol.com'],
		['live.con', 'live.com'],
	])('%s is flagged as a typo of %s, the address is kept', (domain, intended) => {
		const result = normalizeEmail(`Maria@${domain}`);
		expect(result.value).toEqual({ email: `maria@${domain}`, domain, isFree: true, matchKey: `maria@${domain}` });
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([
			{
				field: 'email',
				code: 'email_domain_typo',
				message: `email domain '${domain}' looks like a typo of '${intended}'; address kept as given`,
			},
		]);
	});

	it.each([
		'gmail.com',
		'googlemail.com',
		'hotmail.com',
		'hotmail.com.br',
		'hotmail.co.uk',
		'outlook.com.br',
		'yahoo.com.br',
		'yahoo.co.uk',
		'yahoo.co.jp',
		'live.co.uk',
		'icloud.com',
		'gmx.com',
		'mail.com',
		'acme.co',
		'empresa.com.br',
	])('%s is not flagged', (domain) => {
		expect(normalizeEmail(`ana@${domain}`).warnings).toEqual([]);
	});
});

describe('normalizeEmail: match key', () => {
	it.each([
		// Gmail ignores dots and +tags; googlemail.com is the same mailbox
		['John.Doe@gmail.com', 'johndoe@gmail.com'],
		['John.Doe+newsletter@gmail.com', 'johndoe@gmail.com'],
		['maria+crm+2024@gmail.com', 'maria@gmail.com'],
		['j.o.h.n@googlemail.com', 'john@gmail.com'],
		['j.o.h.n+x@GoogleMail.com', 'john@gmail.com'],
		['+tag@gmail.com', '+tag@gmail.com'],
		// Microsoft and Apple drop +tags, dots are significant
		['ana+crm@outlook.com', 'ana@outlook.com'],
		['ana.lima@hotmail.com', 'ana.lima@hotmail.com'],
		['Carla+Promo@Hotmail.com.br', 'carla@hotmail.com.br'],
		['tom+shop@live.co.uk', 'tom@live.co.uk'],
		['pilar.gomez+x@outlook.es', 'pilar.gomez@outlook.es'],
		['bob+x@msn.com', 'bob@msn.com'],
		['bob+shopping@icloud.com', 'bob@icloud.com'],
		['bob.smith+x@me.com', 'bob.smith@me.com'],
		['bob+x@mac.com', 'bob@mac.com'],
		// Fastmail and Proton drop +tags
		['eve+lists@fastmail.com', 'eve@fastmail.com'],
		['eve+lists@fastmail.fm', 'eve@fastmail.fm'],
		['privacy+signup@proton.me', 'privacy@proton.me'],
		['privacy+signup@protonmail.com', 'privacy@protonmail.com'],
		['privacy+signup@pm.me', 'privacy@pm.me'],
		// Yahoo: "-tag" disposable addresses cannot be told from names, +tags are not Yahoo's; both kept
		['joao-promo@yahoo.com', 'joao-promo@yahoo.com'],
		['joao+test@yahoo.com.br', 'joao+test@yahoo.com.br'],
		// other domains: lower case only, dots and +tags kept
		['j.doe+leads@acme.com', 'j.doe+leads@acme.com'],
		['Sales+BR@Acme.com', 'sales+br@acme.com'],
		['ana.lima@uol.com.br', 'ana.lima@uol.com.br'],
		['hans+x@gmx.de', 'hans+x@gmx.de'],
	])('%s -> %s', (address, matchKey) => {
		expect(normalizeEmail(address).value.matchKey).toBe(matchKey);
	});

	it('never changes the stored address', () => {
		expect(normalizeEmail('John.Doe+newsletter@googlemail.com').value.email).toBe('john.doe+newsletter@googlemail.com');
	});
});

describe('isFreeMailDomain', () => {
	it.each([
		'gmail.com', 'googlemail.com', 'outlook.com', 'outlook.com.br', 'outlook.es', 'outlook.jp', 'hotmail.com', 'hotmail.com.br',
		'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'hotmail.com.ar', 'hotmail.com.mx', 'live.com',
		'live.co.uk', 'live.fr', 'live.com.mx', 'live.com.pt', 'msn.com', 'yahoo.com', 'yahoo.com.br', 'yahoo.com.ar', 'yahoo.com.mx',
		'yahoo.co.uk', 'yahoo.co.jp', 'yahoo.es', 'yahoo.fr', 'yahoo.de', 'ymail.com', 'rocketmail.com', 'icloud.com', 'me.com',
		'mac.com', 'privaterelay.appleid.com', 'aol.com', 'aol.co.uk', 'proton.me', 'protonmail.com', 'pm.me', 'gmx.com', 'gmx.net',
		'gmx.de', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'mail.ru', 'yandex.ru', 'yandex.com', 'yandex.com.tr', 'qq.com', '163.com',
		'126.com', 'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br', 'globo.com', 'zoho.com', 'hey.com', 'fastmail.com',
		'tutanota.com', 'libero.it', 'virgilio.it', 'orange.fr', 'free.fr', 'wanadoo.fr', 'laposte.net', 'btinternet.com', 'sky.com',
		'comcast.net', 'att.net', 'verizon.net', 'sbcglobal.net', 'prodigy.net.mx', 'naver.com', 'duck.com',
	])('%s is free mail', (domain) => {
		expect(isFreeMailDomain(domain)).toBe(true);
	});

	it.each([
		'acme.com',
		'empresa.com.br',
		'gmailmarketing.com.br',
		'mail.acme.com',
		'live.acme.com',
		'hotmail.acme.com.br',
		'yahoo.acme.io',
		'outlookconsulting.com',
		'yahoo-inc.com',
		'gmail.acme.com',
		'uol.com',
		'bol.com',
		'terra.com',
		'protonmail.acme.com',
	])('%s is not free mail', (domain) => {
		expect(isFreeMailDomain(domain)).toBe(false);
	});

	it('flags free-mail addresses on normalized leads', () => {
		expect(normalizeEmail('hans@GMX.de').value.isFree).toBe(true);
		expect(normalizeEmail('ceo@acme.com').value.isFree).toBe(false);
	});
});

describe('isEmailAddress', () => {
	it.each(['ana@empresa.com.br', 'joao@construção.com.br', 'x!#$%&*/=?^`{|}~-y@example.com', "o'brien@example.ie"])('accepts %s', (address) => {
		expect(isEmailAddress(address)).toBe(true);
	});

	it.each(['ana@empresa', 'ana@@empresa.com', 'joão@empresa.com.br', ' ana@empresa.com', 'Ana Lima <ana@empresa.com>', 'ANA@EMPRESA.COM'])(
		'rejects %j (it expects normalized, lower-case addresses)',
		(address) => {
			expect(isEmailAddress(address)).toBe(false);
		},
	);

	it('accepts every address normalizeEmail returns', () => {
		for (const input of ['John Doe <J.D+news@googlemail.com>', 'mailto:Joao@Construção.com.br', '  Maria@GMIAL.com ']) {
			const { email } = normalizeEmail(input).value;
			expect(email).not.toBeNull();
			expect(isEmailAddress(email as string)).toBe(true);
		}
	});
});
