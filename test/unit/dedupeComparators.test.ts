import { COMPARATORS, forgetComparedScores, reachesThreshold } from '../../lib/dedupe/comparators';
import { RuleMatcher } from '../../lib/dedupe/matcher';
import { peopleRules } from '../../lib/dedupe/rules';
import { areNicknameEquivalent } from '../../lib/dedupe/nicknames';
import { jaroWinkler } from '../../lib/dedupe/similarity';

function similarity(type: keyof typeof COMPARATORS, a: unknown, b: unknown, defaultCountry?: string): number | null {
	const comparator = COMPARATORS[type] as unknown as {
		prepare(value: unknown, context: object): unknown;
		similarity(a: unknown, b: unknown): number;
	};
	const left = comparator.prepare(a, { defaultCountry });
	const right = comparator.prepare(b, { defaultCountry });
	return left === null || right === null ? null : comparator.similarity(left, right);
}

describe('Jaro-Winkler', () => {
	it('matches the published reference values', () => {
		expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
		expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
		expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
		expect(jaroWinkler('abc', 'xyz')).toBe(0);
		expect(jaroWinkler('', 'a')).toBe(0);
		expect(jaroWinkler('same', 'same')).toBe(1);
	});
});

describe('nicknames', () => {
	it.each([
		['roberto', 'bob'],
		['roberto', 'beto'],
		['robert', 'bob'],
		['william', 'bill'],
		['jose', 'ze'],
		['francisco', 'chico'],
		['francisco', 'paco'],
		['chico', 'paco'],
		['elizabeth', 'beth'],
		['margaret', 'peggy'],
	])('%s = %s', (a, b) => {
		expect(areNicknameEquivalent(a, b)).toBe(true);
		expect(areNicknameEquivalent(b, a)).toBe(true);
	});

	it.each([
		['william', 'robert'],
		['ana', 'maria'],
		['jose', 'francisco'],
	])('%s != %s (no joining through a nickname shared by two formal names)', (a, b) => {
		expect(areNicknameEquivalent(a, b)).toBe(false);
	});
});

describe('comparators', () => {
	it('email: case, Gmail dots and +tags, googlemail; company addresses keep their +tags', () => {
		expect(similarity('email', 'Maria.Silva+promo@GMAIL.com', 'mariasilva@googlemail.com')).toBe(1);
		expect(similarity('email', 'sales+eu@acme.com', 'sales@acme.com')).toBe(0);
		expect(similarity('email', 'not an email', 'x@y.com')).toBeNull();
	});

	it('phone: formats and country codes meet in E.164', () => {
		expect(similarity('phone', '(11) 98765-4321', '+55 11 98765 4321', 'BR')).toBe(1);
		expect(similarity('phone', '0049 30 123456', '+49 30 123456')).toBe(1);
		expect(similarity('phone', '+55 11 98765 4321', '+55 11 98765 4322')).toBe(0);
	});

	it('company: legal suffixes, case and punctuation ignored', () => {
		expect(similarity('company', 'Acme S.A.', 'ACME SA')).toBe(1);
		expect(similarity('company', 'Acme S.A.', 'Acme Ltda')).toBe(1);
		expect(similarity('company', 'Initech, Inc.', 'INITECH LLC')).toBe(1);
		expect(similarity('company', 'Acme Holdings', 'Acme')).toBe(0);
	});

	it('company email domain: free-mail domains are missing, not equal', () => {
		expect(similarity('emailDomain', 'bob@acme.com', 'ROBERT@ACME.COM')).toBe(1);
		expect(similarity('emailDomain', 'bob@gmail.com', 'robert@gmail.com')).toBeNull();
	});

	it('person name: nicknames, initials, typos and word order', () => {
		expect(similarity('personName', 'Bob Smith', 'Robert Smith')).toBe(1);
		expect(similarity('personName', 'Zé Silva', 'José Silva')).toBe(1);
		expect(similarity('personName', 'Smith, Robert', 'Bob Smith')).toBe(1);
		expect(similarity('personName', 'R. Smith', 'Robert Smith')).toBe(0.9);
		expect(similarity('personName', 'Jonathon Smith', 'Jonathan Smith')!).toBeGreaterThan(0.9);
		expect(similarity('personName', 'Olivia Perez', 'Olivia Oliveira')!).toBeLessThan(0.88);
		expect(similarity('personName', 'Maryann', 'Mary Ann')!).toBeGreaterThan(0.95);
		expect(similarity('personName', 'Mary Ann Smith', 'Maryann Smith')!).toBeGreaterThan(0.95);
		expect(similarity('personName', 'Ana da Silva', 'Ana Dasilva')!).toBeGreaterThan(0.95);
	});

	it('person name: words joined differently are compared word by word, never as one string', () => {
		// Joined, "valentinawilson" and "valentinadasilva" score 0.885 with Jaro-Winkler.
		expect(similarity('personName', 'Valentina Wilson', 'Valentina da Silva')!).toBeLessThan(0.8);
		expect(similarity('personName', 'John Smith', 'John Paul Smith')).toBe(1);
	});

	it('date: formats, swapped day and month, one wrong part', () => {
		expect(similarity('date', '1990-03-04', '19900304')).toBe(1);
		expect(similarity('date', '1990-03-04', '03/04/1990')).toBe(0.95);
		expect(similarity('date', '1990-03-04', '1990-03-05')).toBe(0.75);
		expect(similarity('date', '1990-03-04', '1991-05-05')).toBe(0);
		expect(similarity('date', 'someday', '1990-03-04')).toBeNull();
	});

	it('number: the threshold is the difference allowed', () => {
		const score = similarity('number', '100', 102)!;
		expect(reachesThreshold('number', score, 2)).toBe(true);
		expect(reachesThreshold('number', score, 1)).toBe(false);
	});

	it('text: folded Jaro-Winkler', () => {
		expect(similarity('text', 'São Paulo', 'sao paulo')).toBe(1);
		expect(similarity('text', 'Tullaroop Street', 'Tullarop Street')!).toBeGreaterThan(0.95);
	});

	it('text: words in another order, appended text and street abbreviations', () => {
		expect(similarity('text', 'hotel bel-air', 'bel-air hotel')).toBe(1);
		expect(similarity('text', '2 harrison st. near hudson st.', '2 Harrison Street')).toBe(1);
		expect(similarity('text', '896 Grand Rd. between Ponce de Leon Ave.', '896 Grand Road')).toBe(1);
		expect(similarity('text', 'Golden Dragon Grill', 'Lounge and Bar at the Golden Dragon Grill')!).toBeLessThan(0.9);
		expect(similarity('text', '12 Main Avenue, Suite 200', '12 main ave')).toBe(1);
		expect(similarity('text', 'Pearl & Lotus Grill', 'pearl and lotus grill')).toBe(1);
		// Another house number is another place, however much else is shared.
		expect(similarity('text', '2 harrison st.', '12 harrison st.')!).toBeLessThan(0.9);
		// One shared word is no containment.
		expect(similarity('text', 'Grill', 'Golden Dragon Grill')!).toBeLessThan(0.9);
	});
});

describe('email with typos allowed', () => {
	it('a typo in the mailbox or a garbled address agrees', () => {
		expect(similarity('emailTypo', 'Maisie.Walsh@hodge.com', 'maiie.walsoh@hodge.com')!).toBeGreaterThanOrEqual(0.9);
		expect(similarity('emailTypo', 'robert255@smith.net', 'roberta25@smith.net')!).toBeGreaterThanOrEqual(0.9);
		expect(similarity('emailTypo', 'hmay3@richardson.com', 'hmay32@richardson.com')!).toBeGreaterThanOrEqual(0.9);
		expect(similarity('emailTypo', 'iprice@carr.com', 'iirpce@carr.cm')!).toBeGreaterThanOrEqual(0.9);
		expect(similarity('emailTypo', 'j.smith+news@gmail.com', 'jsmith@gmail.com')).toBe(1);
	});

	it('two free-mail providers, a numbered namesake or another surname behind the same first name do not', () => {
		// Jaro-Winkler on the whole address scores these 0.918, 0.984, 0.972 and 0.959: the shared domain and first name carry it.
		expect(similarity('emailTypo', 'john.smith@hotmail.co.uk', 'john.smith@yahoo.co.uk')).toBe(0);
		expect(similarity('emailTypo', 'john.davies@yahoo.co.uk', 'john.davies97@yahoo.co.uk')).toBe(0);
		expect(similarity('emailTypo', 'john.smith7@gmail.com', 'john.smith12@gmail.com')).toBe(0);
		expect(similarity('emailTypo', 'john.lee@gmail.com', 'john.doyle@gmail.com')!).toBeLessThan(0.9);
	});

	it('lets the People preset match a mistyped address with the name, not a namesake at another provider', () => {
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({
			records: [
				{ first_name: 'John', last_name: 'Smith', email: 'john.smith@hotmail.co.uk' },
				{ first_name: 'John', last_name: 'Smith', email: 'john.smith@yahoo.co.uk' },
				{ first_name: 'John', last_name: 'Smith', email: 'john.smiht@hotmail.co.uk' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 0]);
	});
});

describe('placeholder birth dates', () => {
	it('1 January and 1 July agree below a real date, so one name and such a date is no match', () => {
		expect(similarity('date', '1950-01-01', '1950-01-01')).toBeLessThan(1);
		expect(similarity('date', '1950-07-01', '01/07/1950')).toBeLessThan(1);
		expect(similarity('date', '1950-03-14', '1950-03-14')).toBe(1);
		const people = new RuleMatcher({ rules: peopleRules() });
		const outcome = people.match({
			records: [
				{ first_name: 'John', last_name: 'Smith', dob: '1950-01-01' },
				{ first_name: 'John', last_name: 'Jones', dob: '1950-01-01' },
				{ first_name: 'Mary', last_name: 'Brown', dob: '1950-03-14' },
				{ first_name: 'Mary', last_name: 'Green', dob: '1950-03-14' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 2]);
	});

	it('two placeholder dates of different years share only the placeholder: not one date with a mistyped year', () => {
		expect(similarity('date', '1950-01-01', '1951-01-01')).toBe(0);
		expect(similarity('date', '1950-07-01', '1958-07-01')).toBe(0);
		expect(similarity('date', '1950-03-14', '1951-03-14')).toBe(0.75);
		expect(similarity('date', '1950-01-01', '1950-01-02')).toBe(0.7);
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({
			records: [
				{ first_name: 'John', last_name: 'Smith', dob: '1950-01-01' },
				{ first_name: 'John', last_name: 'Smith', dob: '1951-01-01' },
				{ first_name: 'Mary', last_name: 'Brown', dob: '1950-03-14' },
				{ first_name: 'Mary', last_name: 'Brown', dob: '1951-03-14' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 2]);
	});
});

describe('a date sharing a month or day with a placeholder', () => {
	it('agrees below a real date with one part mistyped, so no People rule takes it for a birth date', () => {
		expect(similarity('date', '1944-01-01', '1944-01-20')).toBeLessThan(similarity('date', '1944-03-14', '1944-03-20')!);
		expect(similarity('date', '1944-07-15', '1944-07-01')).toBeLessThan(similarity('date', '1944-03-14', '1944-03-20')!);
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({
			records: [
				{ first_name: 'John', last_name: 'Knight', dob: '1944-01-01', city: 'London' },
				{ first_name: 'John', last_name: 'Smith', dob: '1944-01-20', city: 'London' },
				{ first_name: 'Mary', last_name: 'Brown', dob: '1950-03-14', city: 'Leeds' },
				{ first_name: 'Mary', last_name: 'Green', dob: '1950-03-15', city: 'Leeds' },
			],
		});
		// A real date one day off still matches with one name and the city.
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 2]);
	});
});

describe('remembered scores', () => {
	it('a pair of name words or texts scores the same whether remembered or not, in either order', () => {
		const pairs: Array<[keyof typeof COMPARATORS, string, string]> = [
			['personName', 'Jonathon Smith', 'Jonathan Smyth'],
			['text', '12 High Street', 'High Street'],
			['text', 'London', 'Lndon'],
		];
		const fresh = pairs.map(([type, a, b]) => [similarity(type, a, b), similarity(type, b, a)]);
		const remembered = pairs.map(([type, a, b]) => [similarity(type, a, b), similarity(type, b, a)]);
		expect(remembered).toEqual(fresh);
		forgetComparedScores();
		expect(pairs.map(([type, a, b]) => [similarity(type, a, b), similarity(type, b, a)])).toEqual(fresh);
	});
});
