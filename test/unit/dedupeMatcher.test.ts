import { classifyRecords, mergeClusters } from '../../lib/dedupe/dedupe';
import { FellegiSunterMatcher } from '../../lib/dedupe/fellegiSunter';
import { RuleMatcher } from '../../lib/dedupe/matcher';
import type { MatchRule } from '../../lib/dedupe/rules';
import { b2bRules, peopleRules, probabilisticPeopleComparisons } from '../../lib/dedupe/rules';
import { mergeCluster } from '../../lib/dedupe/survivorship';
import { febrl, pairwiseAccuracy } from '../../bench/_dedupeData';

const b2b = new RuleMatcher({ rules: b2bRules(), context: { defaultCountry: 'BR' } });

describe('RuleMatcher with the B2B preset', () => {
	it('works on raw items and on Normalize Lead output alike', () => {
		const outcome = b2b.match({
			records: [
				{ email_match_key: 'mariasilva@gmail.com', email: 'maria.silva@gmail.com', phone: '+5511987654321', first_name: 'Maria' },
				{ 'E-mail': 'Maria.Silva+x@Gmail.com' },
				{ Telefone: '(11) 98765-4321' },
				{ fax: '(11) 98765-4321' },
			],
		});
		// Field names are matched in any spelling ("E-mail", "Telefone"); a fax number is no rule's field.
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 0, 3]);
		expect(outcome.evidence[1]).toEqual({ matchedIndex: 0, rule: 'email', score: 1, fields: ['email'], clusterLinks: 1 });
		expect(outcome.evidence[2]).toMatchObject({ matchedIndex: 0, rule: 'phone' });
		expect(outcome.unmatchable).toEqual([false, false, false, true]);
	});

	it("places a phone without country code by the record's own country (Normalize Lead's), else by the Default Country", () => {
		const records = [
			{ id: 'lead', phone: '+5511987654321', phone_country: 'BR', country: 'BR' },
			{ id: 'crm-br', phone: '(11) 98765-4321', country: 'BR' },
			{ id: 'crm-unknown', phone: '(11) 98765-4321', country: 'Brasil' },
			{ id: 'lead-us', phone: '+14155552671', phone_country: 'US', country: 'US' },
			{ id: 'crm-us', phone: '(415) 555-2671', country: 'US' },
		];
		const noDefault = new RuleMatcher({ rules: b2bRules(['phone']) }).match({ records });
		expect(Array.from(noDefault.survivorOf)).toEqual([0, 0, 2, 3, 3]);
		// The Default Country serves only the record without a country code of its own.
		const withDefault = new RuleMatcher({ rules: b2bRules(['phone']), context: { defaultCountry: 'BR' } }).match({ records });
		expect(Array.from(withDefault.survivorOf)).toEqual([0, 0, 0, 3, 3]);
	});

	it('does not merge colleagues at one company domain, nor namesakes at different companies', () => {
		const outcome = b2b.match({
			records: [
				{ first_name: 'Ana', last_name: 'Costa', email: 'ana.costa@acme.com', company: 'Acme' },
				{ first_name: 'João', last_name: 'Lima', email: 'joao.lima@acme.com', company: 'Acme' },
				{ first_name: 'Ana', last_name: 'Costa', email: 'ana@globex.com', company: 'Globex' },
				{ first_name: 'Ana', last_name: 'Costa', email: 'anacosta@gmail.com' },
				{ first_name: 'Ana', last_name: 'Costa', email: 'costa.ana@gmail.com' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 3, 4]);
	});

	it('clusters transitively and explains each member by the record it matched', () => {
		const outcome = b2b.match({
			records: [
				{ id: 1, email: 'bob@acme.com', first_name: 'Bob', last_name: 'Jones', company: 'Acme Inc' },
				{ id: 2, phone: '+1 415 555 2671', first_name: 'Robert', last_name: 'Jones', company: 'ACME LLC' },
				{ id: 3, phone: '+1 (415) 555-2671', email: 'rj@personal.net' },
			],
			existingCount: 0,
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 0]);
		expect(outcome.evidence[1]).toMatchObject({ matchedIndex: 0, rule: 'name + company' });
		expect(outcome.evidence[2]).toMatchObject({ matchedIndex: 1, rule: 'phone' });
	});

	it('only the domain rule, when chosen, matches everyone at a company domain', () => {
		const accounts = new RuleMatcher({ rules: b2bRules(['domain']) });
		const outcome = accounts.match({ records: [{ email: 'a@acme.com' }, { email: 'b@acme.com' }, { email: 'c@gmail.com' }, { email: 'd@gmail.com' }] });
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 2, 3]);
	});

	it('compares a record only with a window of predecessors in an oversized block', () => {
		const rules: MatchRule[] = [{ name: 'city', comparisons: [{ label: 'city', source: { fields: ['city'] }, type: 'text' }] }];
		const records = Array.from({ length: 50 }, (_, index) => ({ city: index % 2 === 0 ? 'London' : 'Londres' }));
		const outcome = new RuleMatcher({ rules, maxBlockSize: 10 }).match({ records });
		expect(outcome.oversizedBlocks).toBe(1);
		expect(outcome.comparedPairs).toBeLessThan(50 * 10);
	});

	it('rejects rules it cannot apply', () => {
		expect(() => new RuleMatcher({ rules: [] })).toThrow('No match rules');
		expect(() => new RuleMatcher({ rules: [{ name: 'x', comparisons: [] }] })).toThrow("Rule 'x' has no comparisons");
	});
});

describe('People preset', () => {
	it('needs three agreeing fields, one about the person', () => {
		const matcher = new RuleMatcher({ rules: peopleRules() });
		const outcome = matcher.match({
			records: [
				{ given_name: 'kayla', surname: 'harrington', date_of_birth: '19150612', postcode: '3465', suburb: 'coolaroo' },
				{ given_name: 'kayla', surname: 'harringtn', date_of_birth: '19151206', postcode: '3465' },
				// Same household: address, postcode and city agree, nothing about the person.
				{ given_name: 'mark', surname: 'lee', address_1: 'maltby circuit', postcode: '3465', suburb: 'coolaroo', date_of_birth: '19700101' },
				{ given_name: 'anna', surname: 'smith', address_1: 'maltby circuit', postcode: '3465', suburb: 'coolaroo', date_of_birth: '19851224' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 2, 3]);
	});
});

describe('People preset with namesakes', () => {
	it('does not match by names and place alone when records holding them contradict each other (known namesakes)', () => {
		const records = [
			{ first_name: 'John', last_name: 'Smith', city: 'London', dob: '1950-03-14' },
			{ first_name: 'John', last_name: 'Smith', city: 'London', dob: '1972-08-30' },
			{ first_name: 'John', last_name: 'Smith', city: 'London' },
			{ first_name: 'John', last_name: 'Smith', city: 'London' },
			{ first_name: 'Mary', last_name: 'Brown', city: 'Leeds', dob: '1961-05-02' },
			{ first_name: 'Mary', last_name: 'Brown', city: 'Leeds' },
		];
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({ records });
		// Two John Smiths of London born years apart: "John Smith, London" identifies neither. One Mary Brown of Leeds does.
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 3, 4, 4]);
	});
});

describe('People preset with placeholder birth dates', () => {
	it('one name, an equal 1 January and a city is a crowd, not a person; a real date still matches', () => {
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({
			records: [
				{ first_name: 'John', last_name: 'Smith', dob: '1957-01-01', city: 'London' },
				{ first_name: 'John', last_name: 'Taylor', dob: '1957-01-01', city: 'London' },
				{ first_name: 'Daniel', last_name: 'Smith', dob: '1957-01-01', city: 'London' },
				{ first_name: 'Mary', last_name: 'Brown', dob: '1957-03-14', city: 'Leeds' },
				{ first_name: 'Mary', last_name: 'Green', dob: '1957-03-14', city: 'Leeds' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 2, 3, 3]);
	});

	it('the whole name and an equal placeholder match unless the records give different cities, even through a chain', () => {
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({
			records: [
				{ first_name: 'John', last_name: 'Jones', dob: '1970-01-01', city: 'Luton' },
				{ first_name: 'John', last_name: 'Jones', dob: '1970-01-01', city: 'London' },
				{ first_name: 'John', last_name: 'Jones', dob: '1970-01-01', postcode: 'LU2 7BJ' },
				{ first_name: 'Jon', last_name: 'Jones', dob: '1970-01-01', postcode: 'LU2 7BJ' },
				// A real date: one person who moved.
				{ first_name: 'Mary', last_name: 'Brown', dob: '1961-05-02', city: 'Leeds' },
				{ first_name: 'Mary', last_name: 'Brown', dob: '1961-05-02', city: 'York' },
			],
		});
		// Luton and London are two John Joneses born in 1970; the records without a city join one of them, never both.
		expect(Array.from(outcome.survivorOf)).toEqual([0, 1, 0, 0, 4, 4]);
	});
});

describe('People preset with phones', () => {
	it('a phone counts as one of three fields; a landline shared by a household does not merge it', () => {
		const outcome = new RuleMatcher({ rules: peopleRules() }).match({
			records: [
				{ first_name: 'Priya', last_name: 'Shah', phone: '+44 20 7946 0018', city: 'Leeds' },
				{ first_name: 'Priya', last_name: 'Shah', phone: '020 7946 0018', country: 'GB' },
				{ first_name: 'Priya', last_name: 'Shaw', phone: '+442079460018' },
				// Two of one household: one landline, one surname, one address, two birth dates.
				{ first_name: 'Mark', last_name: 'Lee', phone: '+44 113 496 0000', address: '4 Mill Lane', dob: '1970-03-02' },
				{ first_name: 'Anna', last_name: 'Lee', phone: '+44 113 496 0000', address: '4 Mill Lane', dob: '1972-11-23' },
				{ first_name: 'Mark', last_name: 'Lee', phone: '+44 113 496 0000', address: '4 Mill Lane', dob: '1970-03-02' },
			],
		});
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 0, 3, 4, 3]);
	});
});

describe('rules with unlessDifferent', () => {
	it('do not match when both records hold the veto field and it disagrees; a missing value does not veto', () => {
		const rules: MatchRule[] = [
			{
				name: 'name',
				comparisons: [{ label: 'name', source: { fields: ['name'] }, type: 'personName' }],
				unlessDifferent: [{ label: 'city', source: { fields: ['city'] }, type: 'text' }],
			},
		];
		const outcome = new RuleMatcher({ rules }).match({
			records: [{ name: 'Ann Lee', city: 'Leeds' }, { name: 'Ann Lee', city: 'LEEDS' }, { name: 'Ann Lee', city: 'York' }, { name: 'Ann Lee' }],
		});
		// York differs from both Leeds records; the record without a city may join either side, not both.
		expect(Array.from(outcome.survivorOf)).toEqual([0, 0, 2, 0]);
		expect(outcome.keptApart).toEqual([{ a: 2, b: 3, rule: 'name', field: 'city' }]);
	});
});

describe('classifyRecords and merging', () => {
	const existing = [{ id: 'crm-9', email: 'bob@acme.com', first_name: 'Bob', source: 'webinar', title: '' }];
	const input = [
		{ id: 'n1', email: 'BOB@acme.com', first_name: 'Robert', source: 'ads', campaign: 'q3', title: 'CTO' },
		{ id: 'n2', email: 'new@lead.com' },
		{ note: 'nothing to match on' },
	];

	it('annotates unique, duplicate and unmatchable records', () => {
		const classified = classifyRecords(b2b, input, existing, { idField: 'id' });
		expect(classified.unique.map((entry) => entry.annotation)).toEqual([
			{ status: 'unique', id: 'n2', duplicate_count: 0 },
			{ status: 'unmatchable', id: 'input 2', warning: 'none of the fields the match rules need is present' },
		]);
		expect(classified.duplicates).toEqual([
			{
				index: 0,
				annotation: {
					status: 'duplicate',
					id: 'n1',
					matched_id: 'crm-9',
					matched_in: 'existing',
					survivor_id: 'crm-9',
					rule: 'email',
					score: 1,
					fields: ['email'],
					cluster_links: 1,
				},
			},
		]);
	});

	it('merges into the existing record: original source kept, blanks filled, activity and renewed interest', () => {
		const classified = classifyRecords(b2b, input, existing, { idField: 'id' });
		const merged = mergeClusters(classified, input, existing, {
			survivorship: 'oldest',
			sourceFields: ['source', 'campaign'],
			idField: 'id',
			metaKey: '_dedupe',
		});
		expect(merged.map((entry) => entry.inputIndices)).toEqual([[0], [1], [2]]);
		expect(merged[0].record).toEqual({
			id: 'crm-9',
			email: 'bob@acme.com',
			first_name: 'Bob',
			source: 'webinar',
			latest_source: 'ads',
			campaign: 'q3',
			latest_campaign: 'q3',
			title: 'CTO',
			_dedupe: {
				merged_count: 2,
				renewed_interest: true,
				renewed_at: null,
				activity: [
					{ id: 'crm-9', at: null, source: 'webinar', campaign: null },
					{ id: 'n1', at: null, source: 'ads', campaign: 'q3' },
				],
			},
		});
		expect(merged[1].record._dedupe).toMatchObject({ merged_count: 1, renewed_interest: false });
	});
});

describe('survivorship rules', () => {
	const members = [
		{ id: 1, created_at: '2026-01-01', title: 'Eng', city: '', phone: '+5511' },
		{ id: 2, created_at: '2026-03-01', title: 'Engineering Manager', city: 'Lisboa', phone: '' },
		{ id: 3, created_at: '2026-02-01', title: 'Head', city: 'Porto', phone: '' },
	];
	const options = { sourceFields: [], idField: 'id', metaKey: 'meta', timestampField: 'created_at' };

	it('oldest wins, blanks filled from newer records in time order', () => {
		expect(mergeCluster(members, { ...options, survivorship: 'oldest' })).toMatchObject({ id: 1, title: 'Eng', city: 'Porto', phone: '+5511' });
	});
	it('newest non-empty wins', () => {
		const merged = mergeCluster(members, { ...options, survivorship: 'newestNonEmpty' });
		expect(merged).toMatchObject({ id: 2, title: 'Engineering Manager', city: 'Lisboa', phone: '+5511' });
		expect(merged.meta).toMatchObject({ renewed_at: '2026-03-01T00:00:00.000Z', activity: [{ id: 1 }, { id: 3 }, { id: 2 }] });
	});
	it('longest wins', () => {
		expect(mergeCluster(members, { ...options, survivorship: 'longest' })).toMatchObject({ title: 'Engineering Manager', city: 'Lisboa' });
	});
});

describe('Probabilistic mode', () => {
	it('learns weights from FEBRL 1 itself and finds its duplicates', () => {
		const set = febrl(1);
		const matcher = new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 0.99 });
		const outcome = matcher.match({ records: set.records });
		const accuracy = pairwiseAccuracy(outcome.survivorOf, set.entity);
		expect(accuracy.precision).toBeGreaterThan(0.99);
		expect(accuracy.recall).toBeGreaterThan(0.99);
		const explained = outcome.evidence.filter((evidence) => evidence !== undefined);
		expect(Math.abs(explained.length - 500)).toBeLessThanOrEqual(5);
		expect(explained[0]).toMatchObject({ rule: 'probabilistic', fields: expect.arrayContaining(['date_of_birth', 'identifier']) });
		expect(explained[0]!.score).toBeGreaterThanOrEqual(0.99);
		const model = matcher.lastModel!;
		// Exact agreement on a surname or a birth date is far likelier between duplicates than between different people.
		expect(model.m[1][0]).toBeGreaterThan(10 * model.u[1][0]);
		expect(model.m[2][0]).toBeGreaterThan(10 * model.u[2][0]);
		expect(model.lambda).toBeLessThan(0.5);
	});

	it('refuses a threshold outside (0, 1) and fewer than two fields', () => {
		expect(() => new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 1 })).toThrow('between 0 and 1');
		expect(() => new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons().slice(0, 1), threshold: 0.9 })).toThrow('at least two fields');
	});
});

describe('Probabilistic mode with numbers', () => {
	it('counts two equal numbers as agreement (the number comparator scores a negated distance)', () => {
		const set = febrl(1);
		const comparisons = [
			{ label: 'given_name', source: { fields: ['given_name'] }, type: 'personName' as const },
			{ label: 'surname', source: { fields: ['surname'] }, type: 'personName' as const },
			{ label: 'postcode', source: { fields: ['postcode'] }, type: 'number' as const },
		];
		const matcher = new FellegiSunterMatcher({ comparisons, threshold: 0.9 });
		matcher.match({ records: set.records });
		const { m, u } = matcher.lastModel!;
		// Duplicates mostly share their postcode; two random people rarely do.
		expect(m[2][0]).toBeGreaterThan(0.5);
		expect(m[2][0]).toBeGreaterThan(10 * u[2][0]);
	});
});
