import { ClusterBuilder } from '../../lib/dedupe/cluster';
import { FellegiSunterMatcher } from '../../lib/dedupe/fellegiSunter';
import { probabilisticPeopleComparisons } from '../../lib/dedupe/rules';
import { febrl } from '../../bench/_dedupeData';
import { generateHardPeople } from '../../bench/_hardPeople';

const DOB = 2;
const DISAGREE = 3;

describe('Probabilistic mode: comparison levels and training', () => {
	it('a birth date with one part mistyped is a level of its own, likelier between duplicates than strangers', () => {
		const matcher = new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 0.99 });
		matcher.match({ records: febrl(1).records });
		const { m, u } = matcher.lastModel!;
		expect(m[DOB][2]).toBeGreaterThan(0.01);
		expect(m[DOB][2]).toBeGreaterThan(10 * u[DOB][2]);
	});

	it('pairs whose birth dates contradict each other are not taken for matches when learning m (namesakes are not one person)', () => {
		const matcher = new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 0.99 });
		matcher.match({ records: generateHardPeople({ people: 1500 }).records });
		const { m } = matcher.lastModel!;
		// One person's records rarely hold birth dates more than one part apart (0.54 when namesakes count as matches).
		expect(m[DOB][DISAGREE]).toBeLessThan(0.4);
	});
});

describe('Probabilistic mode: candidate pairs in big blocks', () => {
	it('pairs each record of a block beyond the limit with its neighbours sorted by the field, not with none', () => {
		// Every record shares the initials J and D and the city: each block exceeds the limit of 4.
		const names = ['Jake Dawson', 'James Dean', 'Jane Dixon', 'Jasper Dunn', 'Jean Doyle', 'Jill Drake', 'Joan Day', 'Jody Dale'];
		const records = [
			...names.map((name) => ({ first_name: name.split(' ')[0], last_name: name.split(' ')[1], city: 'London' })),
			{ first_name: 'Jsaper', last_name: 'Dunne', city: 'London' },
		];
		const outcome = new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 0.99, maxBlockSize: 4 }).match({ records });
		expect(outcome.oversizedBlocks).toBe(3);
		// Nine records within a window of ten: every pair is a candidate (only the few sharing a nickname form were).
		expect(outcome.comparedPairs).toBe(36);
	});
});

describe('cluster order', () => {
	it('takes the stronger link first when two links score alike (a probability rounds to 1 long before the evidence ends)', () => {
		// Records 0 and 1 are born years apart; record 2 (no birth date) matches both with the same rounded score.
		const records = [{ dob: '1950-03-14' }, { dob: '1972-08-30' }, { name: 'x' }];
		for (const [strongTo, weakTo] of [
			[0, 1],
			[1, 0],
		]) {
			const clusters = new ClusterBuilder(records);
			clusters.propose(2, weakTo, { rule: 'probabilistic', score: 1, fields: [] }, false, undefined, 12);
			clusters.propose(2, strongTo, { rule: 'probabilistic', score: 1, fields: [] }, false, undefined, 30);
			const { survivorOf } = clusters.outcome(new Uint8Array(3).fill(1), 0, 2);
			expect(survivorOf[2]).toBe(survivorOf[strongTo]);
			expect(survivorOf[weakTo]).toBe(weakTo);
		}
	});
});
