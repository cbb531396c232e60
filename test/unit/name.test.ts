import { normalizePersonName, titleCaseName } from '../../lib/lead/name';

describe('titleCaseName', () => {
	it.each([
		// plain re-casing, accents
		['JOHN SMITH', 'John Smith'],
		['john smith', 'John Smith'],
		['JOSÉ', 'José'],
		['ÁLVARO', 'Álvaro'],
		['joão', 'João'],
		['ZOË SALDAÑA', 'Zoë Saldaña'],
		['ÑUÑEZ', 'Ñuñez'],
		['GONÇALVES', 'Gonçalves'],
		['çelik', 'Çelik'],
		// whitespace
		['  maria   clara  ', 'Maria Clara'],
		['maria\tclara\nsouza', 'Maria Clara Souza'],
		// particles inside the name
		['MARIA DA SILVA', 'Maria da Silva'],
		['joão dos santos', 'João dos Santos'],
		['ANA DAS NEVES', 'Ana das Neves'],
		['PEDRO DO CARMO', 'Pedro do Carmo'],
		['LUDWIG VAN BEETHOVEN', 'Ludwig van Beethoven'],
		['URSULA VON DER LEYEN', 'Ursula von der Leyen'],
		['johannes van den berg', 'Johannes van den Berg'],
		['MARÍA DE LA CRUZ', 'María de la Cruz'],
		['juan carlos de la fuente', 'Juan Carlos de la Fuente'],
		['ANTONIO DEL RÍO', 'Antonio del Río'],
		['LUCA DELLA ROBBIA', 'Luca della Robbia'],
		['ANDRÉ DU BOIS', 'André du Bois'],
		['MOHAMMED BIN SALMAN', 'Mohammed bin Salman'],
		['PIETER TEN BRINK', 'Pieter ten Brink'],
		['JOSÉ ORTEGA Y GASSET', 'José Ortega y Gasset'],
		['PEDRO SOUZA E SILVA', 'Pedro Souza e Silva'],
		// a lone E or Y in second place is a middle initial
		['JOHN E SMITH', 'John E Smith'],
		['maria y lopez', 'Maria Y Lopez'],
		// articles alone are part of a capitalised surname
		['MARINE LE PEN', 'Marine Le Pen'],
		['FIORELLO LA GUARDIA', 'Fiorello La Guardia'],
		// particles first or last are names
		['DA SILVA', 'Da Silva'],
		['VAN HALEN', 'Van Halen'],
		['MARIA DA', 'Maria Da'],
		['NGUYEN THI VAN', 'Nguyen Thi Van'],
		// apostrophes
		["o'brien", "O'Brien"],
		["SEAN O'BRIEN", "Sean O'Brien"],
		["PAOLA D'ANGELO", "Paola D'Angelo"],
		['ANA D’ÁVILA', 'Ana D’Ávila'],
		["n'golo kanté", "N'Golo Kanté"],
		["KA'ANA", "Ka'ana"],
		// Mc and Mac
		['MCDONALD', 'McDonald'],
		['ross mckenzie', 'Ross McKenzie'],
		['ANGUS MACLEOD', 'Angus MacLeod'],
		['patrick macarthur', 'Patrick MacArthur'],
		['MACDONALD', 'MacDonald'],
		['MACHADO', 'Machado'],
		['luiz macedo', 'Luiz Macedo'],
		['MACY', 'Macy'],
		['MACK', 'Mack'],
		['MACIEL', 'Maciel'],
		['MACIAS', 'Macias'],
		['MACARIO', 'Macario'],
		// hyphens
		['anne-marie smith-jones', 'Anne-Marie Smith-Jones'],
		['ANNE-MARIE DUPONT-MOREAU', 'Anne-Marie Dupont-Moreau'],
		["MARY-KATE O'CONNOR", "Mary-Kate O'Connor"],
		['JEAN-PIERRE MCDONALD-JONES', 'Jean-Pierre McDonald-Jones'],
		// suffixes and roman numerals
		['henry ford ii', 'Henry Ford II'],
		['JOHN SMITH III', 'John Smith III'],
		['JOHN SMITH IV', 'John Smith IV'],
		['JOHN SMITH JR.', 'John Smith Jr.'],
		['john smith jr', 'John Smith Jr'],
		// initials
		['j. r. r. tolkien', 'J. R. R. Tolkien'],
		['JOHN F. KENNEDY', 'John F. Kennedy'],
		// brackets
		['ANA (ANINHA) LIMA', 'Ana (Aninha) Lima'],
	])('%j -> %j', (input, expected) => {
		expect(titleCaseName(input)).toBe(expected);
	});

	it.each([
		['DeShawn', 'DeShawn'],
		['McKenzie', 'McKenzie'],
		['LaToya JACKSON', 'LaToya Jackson'],
		['Ángel di María', 'Ángel di María'],
		['Maria De Souza', 'Maria De Souza'],
		['Leonardo DiCaprio', 'Leonardo DiCaprio'],
		['Mcdonald', 'Mcdonald'],
		['Ludwig Van Beethoven', 'Ludwig Van Beethoven'],
		["D'Angelo", "D'Angelo"],
		["d'Ávila", "d'Ávila"],
	])('keeps words typed in mixed case: %j -> %j', (input, expected) => {
		expect(titleCaseName(input)).toBe(expected);
	});

	it('returns an empty string for blank input', () => {
		expect(titleCaseName('   ')).toBe('');
	});
});

describe('normalizePersonName: first and last given', () => {
	it.each([
		[{ first: 'joão', last: 'SILVA' }, 'João', 'Silva'],
		[{ first: 'JOSÉ', last: 'ÁLVAREZ' }, 'José', 'Álvarez'],
		[{ first: 'DeShawn', last: 'Jackson' }, 'DeShawn', 'Jackson'],
		[{ first: 'Ángel', last: 'di María' }, 'Ángel', 'di María'],
		[{ first: 'ANA', last: 'DOS SANTOS' }, 'Ana', 'dos Santos'],
		[{ first: 'MARIA', last: 'DA SILVA' }, 'Maria', 'da Silva'],
		[{ first: 'María', last: 'DE LA CRUZ' }, 'María', 'de la Cruz'],
		[{ first: 'PEDRO', last: 'SOUZA E SILVA' }, 'Pedro', 'Souza e Silva'],
		[{ first: 'MARÍA JOSÉ', last: 'FERNÁNDEZ LÓPEZ' }, 'María José', 'Fernández López'],
		[{ first: 'MARIA DE LOURDES', last: 'COSTA' }, 'Maria de Lourdes', 'Costa'],
		[{ first: 'PAOLA', last: "D'ANGELO" }, 'Paola', "D'Angelo"],
		[{ first: 'ronald', last: 'mcdonald' }, 'Ronald', 'McDonald'],
		[{ first: 'ANA', last: 'MACHADO' }, 'Ana', 'Machado'],
		[{ first: 'jean-pierre', last: 'LEBLANC' }, 'Jean-Pierre', 'Leblanc'],
		[{ first: 'emma', last: 'WATSON' }, 'Emma', 'Watson'],
		[{ first: 'HENRY', last: 'FORD II' }, 'Henry', 'Ford II'],
		[{ first: 'Marine', last: 'LE PEN' }, 'Marine', 'Le Pen'],
		[{ first: 'Thi', last: 'DA' }, 'Thi', 'Da'],
		[{ first: '  Ana  ', last: '  Lima ' }, 'Ana', 'Lima'],
		// forms of address dropped from the first name
		[{ first: 'Sra. Ana', last: 'dos Santos' }, 'Ana', 'dos Santos'],
		[{ first: 'Dr. João', last: 'Silva' }, 'João', 'Silva'],
		[{ first: 'MR JOHN', last: 'SMITH' }, 'John', 'Smith'],
		// a full name given as well is ignored
		[{ first: 'Ana', last: 'Lima', full: 'A. Lima (marketing)' }, 'Ana', 'Lima'],
	])('%j -> %j / %j', (input, first, last) => {
		const result = normalizePersonName(input);
		expect(result.value).toEqual({ first, last, full: `${first} ${last}` });
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([]);
	});
});

describe('normalizePersonName: splitting a full name', () => {
	it.each([
		['John Smith', 'John', 'Smith'],
		['RAFAEL SOUZA', 'Rafael', 'Souza'],
		['Lucía Fernández', 'Lucía', 'Fernández'],
		['ZOË SALDAÑA', 'Zoë', 'Saldaña'],
		// compound first names cannot be told from surnames without a particle
		['João Pedro Souza', 'João', 'Pedro Souza'],
		['Dra. Ana Paula Souza', 'Ana', 'Paula Souza'],
		// the last name starts at the first particle after the first word
		['Maria da Silva', 'Maria', 'da Silva'],
		['MARIA DA SILVA', 'Maria', 'da Silva'],
		['joão dos santos', 'João', 'dos Santos'],
		['Maria Clara da Silva', 'Maria Clara', 'da Silva'],
		['ana lúcia dos santos oliveira', 'Ana Lúcia', 'dos Santos Oliveira'],
		['Dr. João Pedro de Souza Filho', 'João Pedro', 'de Souza Filho'],
		['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
		['VINCENT VAN GOGH', 'Vincent', 'van Gogh'],
		['URSULA VON DER LEYEN', 'Ursula', 'von der Leyen'],
		['MARÍA DE LA CRUZ', 'María', 'de la Cruz'],
		['juan carlos de la fuente', 'Juan Carlos', 'de la Fuente'],
		['Mohammed bin Salman', 'Mohammed', 'bin Salman'],
		// conjunctions join surnames, they do not start one
		['PEDRO SOUZA E SILVA', 'Pedro', 'Souza e Silva'],
		['JOSÉ ORTEGA Y GASSET', 'José', 'Ortega y Gasset'],
		['MARINE LE PEN', 'Marine', 'Le Pen'],
		["sean o'brien", 'Sean', "O'Brien"],
		['ANA D’ÁVILA', 'Ana', 'D’Ávila'],
		['mary-kate o’connor', 'Mary-Kate', 'O’Connor'],
		['ROSS MCKENZIE', 'Ross', 'McKenzie'],
		['ANGUS MACLEOD', 'Angus', 'MacLeod'],
		['luiz macedo', 'Luiz', 'Macedo'],
		['ANNE-MARIE DUPONT-MOREAU', 'Anne-Marie', 'Dupont-Moreau'],
		['  maria   da   silva ', 'Maria', 'da Silva'],
		// "Last, First"
		['Silva, Maria', 'Maria', 'Silva'],
		['SMITH, JOHN', 'John', 'Smith'],
		['GARCÍA MÁRQUEZ, GABRIEL', 'Gabriel', 'García Márquez'],
		['DA SILVA, MARIA', 'Maria', 'da Silva'],
		['Silva, Dr. João', 'João', 'Silva'],
		// suffixes stay on the last name
		['John Smith Jr.', 'John', 'Smith Jr.'],
		['John Smith, Jr.', 'John', 'Smith Jr.'],
		['henry ford ii', 'Henry', 'Ford II'],
		['King, Martin Luther, Jr.', 'Martin Luther', 'King Jr.'],
		['Smith, John Jr.', 'John', 'Smith Jr.'],
		['JOHN SMITH III', 'John', 'Smith III'],
		// forms of address dropped
		['Dr. João Silva', 'João', 'Silva'],
		['Prof. Dr. Hans Müller', 'Hans', 'Müller'],
		['MR. JOHN SMITH', 'John', 'Smith'],
		['Mrs Jane Doe', 'Jane', 'Doe'],
		['Sr. Juan Pérez', 'Juan', 'Pérez'],
		['Sra. María López', 'María', 'López'],
		['Srta. Lucía Gómez', 'Lucía', 'Gómez'],
		['Profa. Ana Costa', 'Ana', 'Costa'],
		['Mme Claire Martin', 'Claire', 'Martin'],
	])('%j -> %j / %j', (full, first, last) => {
		const result = normalizePersonName({ full });
		expect(result.value).toEqual({ first, last, full: `${first} ${last}` });
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([]);
	});

	it('keeps a single name as the first name, with a warning', () => {
		expect(normalizePersonName({ full: 'Madonna' })).toEqual({
			value: { first: 'Madonna', last: null, full: 'Madonna' },
			errors: [],
			warnings: [{ field: 'last_name', code: 'last_name_missing', message: 'last_name is missing; only a first name was given' }],
		});
	});

	it('keeps a suffix with a single name rather than losing it', () => {
		expect(normalizePersonName({ full: 'John Jr.' }).value).toEqual({ first: 'John Jr.', last: null, full: 'John Jr.' });
	});

	it('keeps a lone form of address as the name', () => {
		expect(normalizePersonName({ full: 'Dr.' }).value.first).toBe('Dr.');
	});
});

describe('normalizePersonName: one name field plus the full name', () => {
	it.each([
		[{ first: 'Maria', full: 'Maria da Silva' }, 'Maria', 'da Silva'],
		[{ first: 'Maria Clara', full: 'Maria Clara Souza' }, 'Maria Clara', 'Souza'],
		[{ first: 'MARIA CLARA', full: 'maria clara souza' }, 'Maria Clara', 'Souza'],
		[{ first: 'Ana', full: 'Silva, Ana' }, 'Ana', 'Silva'],
		[{ first: 'Ana', full: 'Ana Paula Souza' }, 'Ana', 'Paula Souza'],
		// the first name does not start the full name: the full name's own split gives the last name
		[{ first: 'Aninha', full: 'Ana Souza' }, 'Aninha', 'Souza'],
		[{ last: 'Souza', full: 'Ana Souza' }, 'Ana', 'Souza'],
		[{ last: 'Souza', full: 'Ana Paula Souza' }, 'Ana Paula', 'Souza'],
		[{ last: 'da Silva', full: 'Maria Clara da Silva' }, 'Maria Clara', 'da Silva'],
		[{ last: 'Oliveira', full: 'João Pedro Souza' }, 'João', 'Oliveira'],
	])('%j -> %j / %j', (input, first, last) => {
		const result = normalizePersonName(input);
		expect(result.value).toEqual({ first, last, full: `${first} ${last}` });
		expect(result.warnings).toEqual([]);
	});

	it('warns when the full name adds nothing to the first name', () => {
		const result = normalizePersonName({ first: 'Ana', full: 'Ana' });
		expect(result.value).toEqual({ first: 'Ana', last: null, full: 'Ana' });
		expect(result.warnings.map((warning) => warning.code)).toEqual(['last_name_missing']);
	});
});

describe('normalizePersonName: a first name holding the whole name', () => {
	it.each([
		['John Smith', 'John', 'Smith'],
		['MARIA DA SILVA', 'Maria', 'da Silva'],
		['Dr. João Silva', 'João', 'Silva'],
		['Silva, Maria', 'Maria', 'Silva'],
		// a compound first name is split too: the warning lets a user check
		['Maria Clara', 'Maria', 'Clara'],
	])('%j -> %j / %j with a warning', (whole, first, last) => {
		const result = normalizePersonName({ first: whole, last: '' });
		expect(result.value).toEqual({ first, last, full: `${first} ${last}` });
		expect(result.warnings).toEqual([
			{
				field: 'first_name',
				code: 'name_split',
				message: `first_name '${whole}' holds a whole name; split into first '${first}' and last '${last}'`,
			},
		]);
	});

	it('does not split a first name when a last name is given', () => {
		expect(normalizePersonName({ first: 'Maria Clara', last: 'Souza' }).value.first).toBe('Maria Clara');
	});
});

describe('normalizePersonName: missing and invalid names', () => {
	it('gives all nulls for no input', () => {
		for (const input of [{}, { first: null, last: undefined, full: '' }, { first: '  ', last: '\t' }]) {
			expect(normalizePersonName(input)).toEqual({ value: { first: null, last: null, full: null }, errors: [], warnings: [] });
		}
	});

	it('warns when only a first name is known', () => {
		expect(normalizePersonName({ first: 'ana' })).toEqual({
			value: { first: 'Ana', last: null, full: 'Ana' },
			errors: [],
			warnings: [{ field: 'last_name', code: 'last_name_missing', message: 'last_name is missing; only a first name was given' }],
		});
	});

	it('warns when only a last name is known', () => {
		expect(normalizePersonName({ last: 'Oliveira' })).toEqual({
			value: { first: null, last: 'Oliveira', full: 'Oliveira' },
			errors: [],
			warnings: [{ field: 'first_name', code: 'first_name_missing', message: 'first_name is missing; only a last name was given' }],
		});
	});

	it.each([
		['first', 'first_name', 'john@acme.com', "first_name 'john@acme.com' is an email address, not a name"],
		['last', 'last_name', 'Ana Lima <ana@lima.com>', "last_name 'Ana Lima <ana@lima.com>' is an email address, not a name"],
		['full', 'full_name', 'ana@empresa.com.br', "full_name 'ana@empresa.com.br' is an email address, not a name"],
		['first', 'first_name', '12345', "first_name '12345' contains digits, not a name"],
		['last', 'last_name', '(11) 98765-4321', "last_name '(11) 98765-4321' contains digits, not a name"],
		['full', 'full_name', 'Ana 2', "full_name 'Ana 2' contains digits, not a name"],
		['first', 'first_name', '-', "first_name '-' has no letters, not a name"],
		['last', 'last_name', '...', "last_name '...' has no letters, not a name"],
	])('rejects %s %j', (key, field, value, message) => {
		const result = normalizePersonName({ [key]: value });
		expect(result.value).toEqual({ first: null, last: null, full: null });
		expect(result.errors).toEqual([{ field, code: 'invalid_name', message }]);
		expect(result.warnings).toEqual([]);
	});

	it('rejects values that are not text', () => {
		expect(normalizePersonName({ first: 42 }).errors).toEqual([
			{ field: 'first_name', code: 'invalid_name', message: "first_name '42' is a number, not a name" },
		]);
		expect(normalizePersonName({ last: { name: 'Silva' } }).errors).toEqual([
			{ field: 'last_name', code: 'invalid_name', message: 'last_name is not text (got object)' },
		]);
		expect(normalizePersonName({ full: ['Ana', 'Lima'] }).errors).toEqual([
			{ field: 'full_name', code: 'invalid_name', message: 'full_name is not text (got a list)' },
		]);
	});

	it('keeps the valid field when another is rejected, without a "missing" warning for the rejected one', () => {
		const result = normalizePersonName({ first: 'john@acme.com', last: 'SMITH' });
		expect(result.value).toEqual({ first: null, last: 'Smith', full: 'Smith' });
		expect(result.errors.map((error) => error.field)).toEqual(['first_name']);
		expect(result.warnings).toEqual([]);
	});

	it('falls back to the full name when a name field is rejected', () => {
		const result = normalizePersonName({ first: '12345', full: 'Ana Souza' });
		expect(result.value).toEqual({ first: 'Ana', last: 'Souza', full: 'Ana Souza' });
		expect(result.errors.map((error) => error.code)).toEqual(['invalid_name']);
	});
});
