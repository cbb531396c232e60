import { contradiction, contradictionProfiles } from '../../lib/dedupe/contradiction';
import { withinOneEdit } from '../../lib/dedupe/similarity';
import { classifyRecords } from '../../lib/dedupe/dedupe';
import { FellegiSunterMatcher } from '../../lib/dedupe/fellegiSunter';
import { RuleMatcher } from '../../lib/dedupe/matcher';
import { b2bRules, peopleRules, probabilisticPeopleComparisons } from '../../lib/dedupe/rules';
import type { Matcher } from '../../lib/dedupe/types';
import { seededRandom } from '../../lib/random';
import { generateHardPeople } from '../../bench/_hardPeople';

/** Whether two records were put in one cluster, for every pair: the partition, whatever the order. */
function partition(matcher: Matcher, records: Array<Record<string, unknown>>, ids: string[]): string[] {
	const { survivorOf } = matcher.match({ records });
	const groups = new Map<number, string[]>();
	survivorOf.forEach((survivor, index) => groups.set(survivor, [...(groups.get(survivor) ?? []), ids[index]]));
	return [...groups.values()].map((group) => group.sort().join(',')).sort();
}

describe('cannot-link evidence', () => {
	const contradicts = (a: Record<string, unknown>, b: Record<string, unknown>): string | null => {
		const [profileA, profileB] = contradictionProfiles([a, b]);
		return contradiction(profileA, profileB);
	};

	it('birth dates: typos, swapped day and month and small shifts are one person; years apart are two', () => {
		expect(contradicts({ dob: '1990-01-01' }, { dob: '1990-01-01' })).toBeNull();
		expect(contradicts({ dob: '1990-03-04' }, { dob: '04/03/1990' })).toBeNull();
		expect(contradicts({ dob: '1990-03-04' }, { dob: '1990-04-03' })).toBeNull();
		expect(contradicts({ dob: '1990-01-01' }, { dob: '1991-01-01' })).toBeNull();
		expect(contradicts({ dob: '1996-03-25' }, { dob: '1997-03-24' })).toBeNull();
		expect(contradicts({ dob: '1950-01-01' }, { dob: '1972-01-01' })).toBe('date_of_birth');
		expect(contradicts({ dob: '1950-03-14' }, { dob: '1950-09-27' })).toBe('date_of_birth');
		expect(contradicts({ dob: '1950-03-14' }, {})).toBeNull();
	});

	it('identifiers one typo apart agree; the same identifier or company email outranks a birth date', () => {
		expect(contradicts({ ssn: '123-45-6789' }, { ssn: '123456789' })).toBeNull();
		expect(contradicts({ ssn: '123456789' }, { ssn: '123456780' })).toBeNull();
		expect(contradicts({ ssn: '123456789' }, { ssn: '987654321' })).toBe('identifier');
		expect(contradicts({ ssn: '123456789', dob: '1950-01-01' }, { ssn: '123456789', dob: '1980-06-30' })).toBeNull();
	});

	it('company emails: another mailbox at the domain is a colleague, an alias sharing the name is not; free mail never counts', () => {
		expect(contradicts({ email: 'ana.costa@acme.com' }, { email: 'joao.lima@acme.com' })).toBe('email');
		expect(contradicts({ email: 'jsmith@acme.com' }, { email: 'john.smith@acme.com' })).toBeNull();
		expect(contradicts({ email: 'ana.costa@acme.com' }, { email: 'ana.costa@globex.com' })).toBeNull();
		expect(contradicts({ email: 'ana@gmail.com' }, { email: 'joao@gmail.com' })).toBeNull();
	});

	it('one edit: substitution, insertion, deletion, neighbours swapped', () => {
		expect(withinOneEdit('19900101', '19900701')).toBe(true);
		expect(withinOneEdit('1990', '1909')).toBe(true);
		expect(withinOneEdit('smith', 'smth')).toBe(true);
		expect(withinOneEdit('1990', '1985')).toBe(false);
	});
});

describe('cluster integrity', () => {
	it('a chain of matches does not merge records that contradict each other', () => {
		const people = new RuleMatcher({ rules: peopleRules() });
		const records = [
			{ id: 'a', first_name: 'John', last_name: 'Smith', dob: '1950-01-01', city: 'London', postcode: 'SW1A 2BJ' },
			// No birth date: it matches both, and must not join them.
			{ id: 'b', first_name: 'John', last_name: 'Smith', city: 'London', postcode: 'SW1A 2BJ' },
			{ id: 'c', first_name: 'John', last_name: 'Smith', dob: '1972-01-01', city: 'London', postcode: 'SW1A 2BJ' },
		];
		const outcome = people.match({ records });
		expect(outcome.survivorOf[0]).not.toBe(outcome.survivorOf[2]);
		expect(outcome.keptApart.length).toBeGreaterThan(0);
		expect(outcome.keptApart.every((kept) => kept.field === 'date_of_birth')).toBe(true);
	});

	it('explains in the annotation which matches were not followed, and why', () => {
		const people = new RuleMatcher({ rules: peopleRules() });
		const input = [
			{ id: 'a', first_name: 'John', last_name: 'Smith', dob: '1950-01-01', city: 'London', postcode: 'SW1A 2BJ' },
			{ id: 'c', first_name: 'John', last_name: 'Smith', dob: '1972-01-01', city: 'London', postcode: 'SW1A 2BJ' },
		];
		const classified = classifyRecords(people, input, [], { idField: 'id' });
		expect(classified.unique.map((entry) => entry.annotation)).toEqual([
			{ status: 'unique', id: 'a', duplicate_count: 0, kept_apart: [{ id: 'c', rule: expect.any(String), field: 'date_of_birth' }] },
			{ status: 'unique', id: 'c', duplicate_count: 0, kept_apart: [{ id: 'a', rule: expect.any(String), field: 'date_of_birth' }] },
		]);
	});

	it('colleagues sharing a switchboard phone stay apart; one person with two mailboxes merges', () => {
		const outcome = new RuleMatcher({ rules: b2bRules(), context: { defaultCountry: 'US' } }).match({
			records: [
				{ email: 'ana.costa@acme.com', phone: '+1 415 555 2671', first_name: 'Ana', last_name: 'Costa' },
				{ email: 'joao.lima@acme.com', phone: '(415) 555-2671', first_name: 'João', last_name: 'Lima' },
				{ email: 'bob@initech.com', first_name: 'Bob', last_name: 'Jones', company: 'Initech' },
				{ email: 'robert.jones@initech.com', first_name: 'Robert', last_name: 'Jones', company: 'Initech Inc' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 2]);
		expect(outcome.keptApart).toEqual([{ a: 0, b: 1, rule: 'phone', field: 'email' }]);
	});

	it('a record joins a big cluster by fuzzy matches only when it matches enough of its members', () => {
		const rules = [{ name: 'name', comparisons: [{ label: 'name', source: { fields: ['name'] }, type: 'text' as const, threshold: 0.96 }] }];
		// "john smithe" matches the four "john smith"; "john smithers" matches only "john smithe" (0.969), not "john smith" (0.954).
		const records = ['john smith', 'john smith', 'john smith', 'john smith', 'john smithe', 'john smithers'].map((name) => ({ name }));
		const outcome = new RuleMatcher({ rules }).match({ records });
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 0, 0, 0, 5]);
		expect(outcome.evidence[4]).toMatchObject({ clusterLinks: 4 });
	});

	it.each([
		['the People preset', () => new RuleMatcher({ rules: peopleRules() })],
		['the probabilistic mode', () => new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 0.99 })],
	])('with %s, the clusters do not depend on the input order', (_, makeMatcher) => {
		const set = generateHardPeople({ people: 60, seed: 5 });
		const ids = set.records.map((_record, index) => `r${index}`);
		const random = seededRandom(3);
		const order = ids.map((_id, index) => index).sort(() => random() - 0.5);
		const shuffled = partition(
			makeMatcher(),
			order.map((index) => set.records[index]),
			order.map((index) => ids[index]),
		);
		expect(shuffled).toEqual(partition(makeMatcher(), set.records, ids));
		expect(shuffled.length).toBeLessThan(set.records.length);
	});
});
