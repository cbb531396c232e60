import { ClusterBuilder, contentOrder } from './cluster';
import { contradiction, contradictionProfiles } from './contradiction';
import type { Comparator, ComparatorContext } from './comparators';
import { COMPARATORS, forgetComparedScores, reachesThreshold, sortText } from './comparators';
import { prepareValues } from './fields';
import type { Comparison } from './rules';
import { seededSample } from './sample';
import { jaroWinkler } from './similarity';
import type { DedupeRecord, MatchInput, MatchOutcome, Matcher } from './types';

/**
 * Agreement levels of a comparison, best first: level i when the similarity reaches LEVELS[i];
 * the last level is disagreement. Exact agreement gets term-frequency adjustment.
 */
const LEVELS = [1, 0.92, 0.8];
/**
 * Dates score by parts (see comparators.ts): equal, day and month swapped or an equal placeholder
 * day, one part mistyped (0.75, or 0.7 beside a placeholder): each is a level, and only more than one part wrong disagrees.
 */
const DATE_LEVELS = [1, 0.92, 0.7];
const DISAGREE = LEVELS.length;
const MISSING = -1;
const EM_ITERATIONS = 25;
const RANDOM_PAIRS = 100_000;
/** Keeps probabilities away from 0 and 1, where weights become infinite. */
const SMOOTHING = 1e-4;

export interface ProbabilisticOptions {
	comparisons: Comparison[];
	/** Match probability from which two records are linked (0..1). */
	threshold: number;
	context?: ComparatorContext;
	/** Blocks larger than this are skipped when choosing candidate pairs. */
	maxBlockSize?: number;
}

/**
 * Candidate blocks are kept small: a field value shared by more records (a city, a common
 * initial) is weak evidence and its pairs would dominate the training (measured on FEBRL and
 * fake_1000: 50 beats 200 on both).
 */
const DEFAULT_CANDIDATE_BLOCK_LIMIT = 50;
/** In a block beyond the limit, each record (sorted by the block's field, then the others) is paired with this many predecessors. */
const OVERSIZED_BLOCK_WINDOW = 10;

/** Estimated parameters, for reports and tests: per comparison, m and u per level. */
export interface FellegiSunterModel {
	lambda: number;
	m: number[][];
	u: number[][];
}

/**
 * Probabilistic record linkage after Fellegi and Sunter (1969), trained on the data itself as
 * Splink does: u (chance of each agreement level between two different people) from random pairs,
 * m (the same for the same person) and the match proportion by expectation-maximisation over the
 * candidate pairs, exact agreement on a rare value weighted up by its term frequency. Pairs share
 * a block key of at least one compared field; pairs whose match probability reaches the
 * threshold are linked and clustered.
 */
export class FellegiSunterMatcher implements Matcher {
	lastModel: FellegiSunterModel | undefined;
	private readonly context: ComparatorContext;
	private readonly maxBlockSize: number;

	constructor(private readonly options: ProbabilisticOptions) {
		if (options.comparisons.length < 2) throw new Error('The probabilistic mode needs at least two fields to compare');
		if (!(options.threshold > 0 && options.threshold < 1)) throw new Error(`Match probability threshold must be between 0 and 1, got ${options.threshold}`);
		this.context = options.context ?? {};
		this.maxBlockSize = options.maxBlockSize ?? DEFAULT_CANDIDATE_BLOCK_LIMIT;
	}

	private comparators(): Array<Comparator<unknown>> {
		return this.options.comparisons.map((comparison) => COMPARATORS[comparison.type] as Comparator<unknown>);
	}

	/**
	 * Agreement level of two prepared values (MISSING when either is). Numbers score a negated
	 * distance: equal is exact agreement, within the comparison's tolerance the next level.
	 */
	private static level(comparison: Comparison, comparator: Comparator<unknown>, a: unknown, b: unknown): number {
		if (a === null || b === null) return MISSING;
		let similarity = comparator.similarity(a as never, b as never);
		if (comparison.type === 'number') return similarity === 0 ? 0 : reachesThreshold('number', similarity, comparison.threshold ?? 0) ? 1 : DISAGREE;
		// Keyed values (emails, phones, company keys) are strings: typos in them still count as near agreement.
		if (comparator.keyed && similarity < 1 && typeof a === 'string' && typeof b === 'string') similarity = jaroWinkler(a, b);
		const levels = comparison.type === 'date' ? DATE_LEVELS : LEVELS;
		for (let level = 0; level < levels.length; level++) if (similarity >= levels[level]) return level;
		return DISAGREE;
	}

	blockKeys(records: DedupeRecord[]): string[][] {
		const values = prepareValues(records, this.options.comparisons, this.context);
		const comparators = this.comparators();
		return records.map((_, index) =>
			values.flatMap((column, field) => (column[index] === null ? [] : comparators[field].blockKeys(column[index] as never).map((key) => `p${field}\u0001${key}`))),
		);
	}

	match({ records, existingCount = 0 }: MatchInput): MatchOutcome {
		const count = records.length;
		const fields = this.options.comparisons.length;
		const values = prepareValues(records, this.options.comparisons, this.context);
		const comparators = this.comparators();
		const usable = new Uint8Array(count);
		for (let index = 0; index < count; index++) {
			let present = 0;
			for (const column of values) if (column[index] !== null) present++;
			if (present >= 2) usable[index] = 1;
		}

		// Candidate pairs: records sharing a block key of one field. Blocks larger than the limit
		// (a country, a common initial) say little and would swamp the pairs: they are skipped.
		const keys = this.blockKeys(records);
		const blocksByField: Array<Map<string, number[]>> = values.map(() => new Map());
		keys.forEach((recordKeys, index) => {
			if (usable[index] === 0) return;
			for (const key of recordKeys) {
				const blocks = blocksByField[Number(key.slice(1, key.indexOf('\u0001')))];
				const block = blocks.get(key);
				if (block === undefined) blocks.set(key, [index]);
				else if (block[block.length - 1] !== index) block.push(index);
			}
		});
		const order = contentOrder(records);
		const rank = new Int32Array(count);
		order.forEach((index, position) => (rank[index] = position));
		const pairSeen = new Set<number>();
		const left: number[] = [];
		const right: number[] = [];
		/** The field whose block first produced each pair: its agreement is not evidence when training. */
		const blockedOn: number[] = [];
		let oversizedBlocks = 0;
		const addPair = (x: number, y: number, field: number): void => {
			if (x < existingCount && y < existingCount) return;
			const [a, b] = x < y ? [x, y] : [y, x];
			const pairId = a * count + b;
			if (pairSeen.has(pairId)) return;
			pairSeen.add(pairId);
			// Each pair oriented by content: comparisons and term frequencies do not depend on the input order.
			const aFirst = rank[a] < rank[b];
			left.push(aFirst ? a : b);
			right.push(aFirst ? b : a);
			blockedOn.push(field);
		};
		const oversized: Array<[field: number, block: number[]]> = [];
		blocksByField.forEach((blocks, field) => {
			for (const block of blocks.values()) {
				if (block.length > this.maxBlockSize) {
					oversizedBlocks++;
					oversized.push([field, block]);
					continue;
				}
				for (let position = 1; position < block.length; position++) {
					for (let earlier = 0; earlier < position; earlier++) addPair(block[earlier], block[position], field);
				}
			}
		});
		// Big blocks (a common initial, a big city, a placeholder birth date) are sorted by their field, then
		// the others, and each record paired with its nearest neighbours only: the namesakes and the
		// same person's records meet. Those pairs are scored, not trained on (blockedOn -1).
		const window = OVERSIZED_BLOCK_WINDOW;
		for (const [field, block] of oversized) {
			const fieldOrder = [field, ...values.keys()].filter((other, position) => position === 0 || other !== field);
			const sortKey = new Map<number, string>();
			const keyOf = (index: number): string => {
				let key = sortKey.get(index);
				if (key === undefined) sortKey.set(index, (key = fieldOrder.map((other) => sortText(values[other][index])).join('\u0001')));
				return key;
			};
			block.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : rank[a] - rank[b]));
			for (let position = 1; position < block.length; position++) {
				for (let earlier = Math.max(0, position - window); earlier < position; earlier++) addPair(block[earlier], block[position], -1);
			}
		}
		const pairCount = left.length;
		const levels = new Int8Array(pairCount * fields);
		for (let pair = 0; pair < pairCount; pair++) {
			for (let field = 0; field < fields; field++) {
				levels[pair * fields + field] = FellegiSunterMatcher.level(this.options.comparisons[field], comparators[field], values[field][left[pair]], values[field][right[pair]]);
			}
		}

		const u = this.estimateU(order, values, comparators);
		// Pairs that contradict each other (birth dates beyond a typo, identifiers): different people, whatever EM would make of them.
		const profiles = contradictionProfiles(records);
		const different = new Uint8Array(pairCount);
		for (let pair = 0; pair < pairCount; pair++) if (contradiction(profiles[left[pair]], profiles[right[pair]]) !== null) different[pair] = 1;
		const { m, lambda } = FellegiSunterMatcher.train(levels, blockedOn, fields, u, different);
		this.lastModel = { lambda, m, u };
		const termFrequency = values.map((column) => FellegiSunterMatcher.termFrequencies(column));

		const clusters = new ClusterBuilder(records);
		const priorWeight = Math.log2(lambda / (1 - lambda));
		const threshold = this.options.threshold;
		for (let pair = 0; pair < pairCount; pair++) {
			let weight = priorWeight;
			const agreed: string[] = [];
			for (let field = 0; field < fields; field++) {
				const level = levels[pair * fields + field];
				if (level === MISSING) continue;
				let uLevel = u[field][level];
				if (level < DISAGREE) {
					// Term frequency: agreeing on a rare value is stronger evidence than on a common one. Only for
					// equal values: "bob" meeting "robert", or a street within a longer address, is no rarer than either.
					const value = FellegiSunterMatcher.valueKey(values[field][left[pair]]);
					const frequency = value === FellegiSunterMatcher.valueKey(values[field][right[pair]]) ? termFrequency[field].get(value) : undefined;
					if (frequency !== undefined) uLevel = Math.max(frequency, SMOOTHING);
				}
				weight += Math.log2(m[field][level] / uLevel);
				if (level < DISAGREE) agreed.push(this.options.comparisons[field].label);
			}
			const probability = 1 / (1 + 2 ** -weight);
			if (probability >= threshold) {
				clusters.propose(left[pair], right[pair], { rule: 'probabilistic', score: Math.round(probability * 1000) / 1000, fields: agreed }, false, undefined, weight);
			}
		}
		forgetComparedScores();
		return clusters.outcome(usable, oversizedBlocks, pairCount);
	}

	private static valueKey(value: unknown): string {
		return typeof value === 'string' ? value : JSON.stringify(value);
	}

	/** Share of records holding each value: the chance two random records agree exactly on it. */
	private static termFrequencies(column: unknown[]): Map<string, number> {
		const counts = new Map<string, number>();
		let present = 0;
		for (const value of column) {
			if (value === null) continue;
			present++;
			const key = FellegiSunterMatcher.valueKey(value);
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		const frequencies = new Map<string, number>();
		for (const [key, valueCount] of counts) frequencies.set(key, valueCount / present);
		return frequencies;
	}

	/**
	 * u per field and level, from random record pairs (nearly all of them different people), sampled
	 * in `order` (the records' content order), so that the model does not depend on the input order.
	 */
	private estimateU(order: Int32Array, values: unknown[][], comparators: Array<Comparator<unknown>>): number[][] {
		const count = order.length;
		const tallies = values.map(() => new Array<number>(DISAGREE + 1).fill(SMOOTHING));
		for (const [first, second] of seededSample(count, RANDOM_PAIRS)) {
			const [a, b] = [order[first], order[second]];
			values.forEach((column, field) => {
				const level = FellegiSunterMatcher.level(this.options.comparisons[field], comparators[field], column[a], column[b]);
				if (level !== MISSING) tallies[field][level]++;
			});
		}
		// A level no sampled pair reached is not impossible between strangers: at least SMOOTHING, as a term
		// frequency is, or one near postcode (u of 1e-9) would outweigh every other field.
		return tallies.map((tally) => {
			const total = tally.reduce((sum, value) => sum + value, 0);
			return tally.map((value) => Math.max(value / total, SMOOTHING));
		});
	}

	/**
	 * m per field and level, as Splink trains it: expectation-maximisation once per blocking field,
	 * over the pairs that field's blocks produced, leaving that field out (its agreement there is
	 * how the pairs were chosen, not evidence); each field's m is the mean of the runs that
	 * estimated it. The match proportion is then estimated over all pairs with m and u fixed.
	 */
	private static train(levels: Int8Array, blockedOn: number[], fields: number, u: number[][], different: Uint8Array): { m: number[][]; lambda: number } {
		const sums = u.map(() => new Array<number>(DISAGREE + 1).fill(0));
		const runs = new Array<number>(fields).fill(0);
		for (let blockingField = 0; blockingField < fields; blockingField++) {
			const pairs: number[] = [];
			blockedOn.forEach((field, pair) => field === blockingField && pairs.push(pair));
			if (pairs.length === 0) continue;
			const { m } = FellegiSunterMatcher.expectationMaximisation(levels, pairs, fields, u, blockingField, undefined, different);
			for (let field = 0; field < fields; field++) {
				if (field === blockingField) continue;
				runs[field]++;
				for (let level = 0; level <= DISAGREE; level++) sums[field][level] += m[field][level];
			}
		}
		const m = sums.map((sum, field) => (runs[field] === 0 ? [0.9, 0.05, 0.03, 0.02] : sum.map((value) => value / runs[field])));
		const all: number[] = [];
		blockedOn.forEach((field, pair) => field >= 0 && all.push(pair));
		const { lambda } = FellegiSunterMatcher.expectationMaximisation(levels, all, fields, u, -1, m);
		return { m, lambda };
	}

	/**
	 * EM over the given pairs with u fixed, ignoring `skippedField`; with `fixedM`, only the match
	 * proportion is estimated.
	 */
	private static expectationMaximisation(
		levels: Int8Array,
		pairs: number[],
		fields: number,
		u: number[][],
		skippedField: number,
		fixedM: number[][] | undefined,
		different?: Uint8Array,
	): { m: number[][]; lambda: number } {
		// Start: matches mostly agree exactly, non-matches as u says.
		let m = fixedM ?? u.map(() => [0.7, 0.15, 0.1, 0.05]);
		let lambda = 0.1;
		const probability = new Float64Array(pairs.length);
		for (let iteration = 0; iteration < EM_ITERATIONS; iteration++) {
			let total = 0;
			pairs.forEach((pair, position) => {
				let matchLikelihood = lambda;
				let nonMatchLikelihood = 1 - lambda;
				for (let field = 0; field < fields; field++) {
					const level = levels[pair * fields + field];
					if (level === MISSING || field === skippedField) continue;
					matchLikelihood *= m[field][level];
					nonMatchLikelihood *= u[field][level];
				}
				probability[position] = different?.[pair] === 1 ? 0 : matchLikelihood / (matchLikelihood + nonMatchLikelihood);
				total += probability[position];
			});
			lambda = Math.min(Math.max(total / Math.max(pairs.length, 1), SMOOTHING), 1 - SMOOTHING);
			if (fixedM !== undefined) continue;
			const tallies = u.map(() => new Array<number>(DISAGREE + 1).fill(SMOOTHING));
			pairs.forEach((pair, position) => {
				for (let field = 0; field < fields; field++) {
					const level = levels[pair * fields + field];
					if (level !== MISSING) tallies[field][level] += probability[position];
				}
			});
			m = tallies.map((tally) => {
				const sum = tally.reduce((accumulated, value) => accumulated + value, 0);
				return tally.map((value) => value / sum);
			});
		}
		return { m, lambda };
	}
}
