import type { LinkEvidence } from './cluster';
import { ClusterBuilder } from './cluster';
import type { Comparator, ComparatorContext, ComparatorType } from './comparators';
import { COMPARATORS, forgetComparedScores, reachesThreshold, sortText } from './comparators';
import { prepareValues } from './fields';
import type { ContradictionField } from './contradiction';
import type { Comparison, MatchRule } from './rules';
import { CANNOT_LINK_FIELDS } from './rules';
import type { DedupeRecord, MatchInput, MatchOutcome, Matcher } from './types';

// The node reads these types from here.
export type { DedupeRecord, MatchEvidence, MatchInput, MatchOutcome, Matcher } from './types';

export interface MatcherOptions {
	rules: MatchRule[];
	context?: ComparatorContext;
	/** Records in one block beyond which the block is sorted by the rule's values and each record compared with this many predecessors. */
	maxBlockSize?: number;
}

/**
 * Records in a block beyond which each is compared only with its neighbours in the block sorted by
 * the rule's values (sorted neighbourhood): on 15,000 hard people records 100 finds what 500 did,
 * in half the time.
 */
const DEFAULT_MAX_BLOCK_SIZE = 100;
const MAX_KEYS_PER_RULE = 64;
/** Distinct agreeing fields that outweigh a contradiction between two records (see outweighsContradiction). */
const CONTRADICTION_OVERRIDE_FIELDS = 4;

interface PreparedComparison {
	comparison: Comparison;
	comparator: Comparator<unknown>;
	threshold: number;
	values: unknown[];
}

/** Whether a similarity agrees for a comparison: it reaches the threshold and is no excluded level. */
function agrees(prepared: PreparedComparison, similarity: number): boolean {
	return reachesThreshold(prepared.comparison.type, similarity, prepared.threshold) && !prepared.comparison.excludedLevels?.includes(similarity);
}

interface PreparedRule {
	rule: MatchRule;
	comparisons: PreparedComparison[];
	/** The comparisons in the order they are checked: most pairs fail on a cheap one (a date) before a costly one (a name). */
	cheapestFirst: PreparedComparison[];
	/** All comparisons keyed: two records match exactly when their rule keys are equal. */
	keyed: boolean;
	/** The rule's `unlessDifferent` comparisons. */
	vetoes: PreparedComparison[];
}

/** Relative cost of one comparison: equality of keys, then dates and numbers, then Jaro-Winkler on words. */
const COMPARISON_COST: Record<ComparatorType, number> = {
	exact: 0, email: 0, emailTypo: 2, emailDomain: 0, phone: 0, company: 0, number: 1, date: 1, personName: 2, text: 3,
};

/** Cartesian product of key lists, joined with a separator, capped (a name with many nickname forms). */
function combineKeys(keyLists: string[][]): string[] {
	if (keyLists.length === 1) return keyLists[0].length <= MAX_KEYS_PER_RULE ? keyLists[0] : keyLists[0].slice(0, MAX_KEYS_PER_RULE);
	let combined = [''];
	for (const keys of keyLists) {
		const next: string[] = [];
		for (const prefix of combined) for (const key of keys) if (next.length < MAX_KEYS_PER_RULE) next.push(`${prefix}\u0001${key}`);
		combined = next;
	}
	return combined;
}

/**
 * Finds duplicate records by rules: exact-key rules group records by key; other rules compare the
 * pairs inside blocks (records sharing the rule's block key), never all pairs. Matches are
 * clustered by `ClusterBuilder`, which keeps contradicting records apart; each cluster's earliest
 * record (existing records first) survives.
 */
export class RuleMatcher implements Matcher {
	private readonly rules: MatchRule[];
	private readonly context: ComparatorContext;
	private readonly maxBlockSize: number;

	constructor(options: MatcherOptions) {
		if (options.rules.length === 0) throw new Error('No match rules: choose at least one rule or preset');
		for (const rule of options.rules) {
			if (rule.comparisons.length === 0) throw new Error(`Rule '${rule.name}' has no comparisons`);
			for (const comparison of rule.comparisons) {
				if (!(comparison.type in COMPARATORS)) throw new Error(`Rule '${rule.name}': unknown comparison type '${comparison.type}'`);
				if (comparison.source.fields.length === 0) throw new Error(`Rule '${rule.name}': comparison '${comparison.label}' names no field`);
			}
		}
		this.rules = options.rules;
		this.context = options.context ?? {};
		this.maxBlockSize = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
	}

	private prepare(records: DedupeRecord[]): PreparedRule[] {
		const values = prepareValues(records, this.rules.flatMap((rule) => [...rule.comparisons, ...(rule.unlessDifferent ?? [])]), this.context);
		let position = 0;
		const prepared = (comparison: Comparison): PreparedComparison => {
			const comparator = COMPARATORS[comparison.type] as Comparator<unknown>;
			return { comparison, comparator, threshold: comparison.threshold ?? comparator.defaultThreshold, values: values[position++] };
		};
		return this.rules.map((rule) => {
			const comparisons = rule.comparisons.map(prepared);
			const vetoes = (rule.unlessDifferent ?? []).map(prepared);
			const cheapestFirst = [...comparisons].sort((x, y) => COMPARISON_COST[x.comparison.type] - COMPARISON_COST[y.comparison.type]);
			return { rule, comparisons, cheapestFirst, keyed: vetoes.length === 0 && comparisons.every((each) => each.comparator.keyed), vetoes };
		});
	}

	/** Block keys of one record under one rule; empty when a field the rule needs is missing. */
	private static keysOf(rule: PreparedRule, index: number): string[] {
		const keyLists: string[][] = [];
		for (const prepared of rule.comparisons) {
			const value = prepared.values[index];
			if (value === null) return [];
			// A number compared with a tolerance has no exact key: it is checked inside the blocks of the other fields.
			if (prepared.comparison.type === 'number' && prepared.threshold > 0) continue;
			keyLists.push(prepared.comparator.blockKeys(value as never));
		}
		return keyLists.length === 0 ? [''] : combineKeys(keyLists);
	}

	/**
	 * The keys of each record under the rules that compare exact keys only (email, phone, ...),
	 * prefixed by rule name ("email:bob@acme.com"): what a store of seen keys remembers.
	 */
	exactKeys(records: DedupeRecord[]): string[][] {
		const rules = this.prepare(records).filter((rule) => rule.keyed);
		return records.map((_, index) => rules.flatMap((rule) => RuleMatcher.keysOf(rule, index).map((key) => `${rule.rule.name}:${key}`)));
	}

	/** The block keys of each record, prefixed by rule number: what a record store indexes to find candidates. */
	blockKeys(records: DedupeRecord[]): string[][] {
		const rules = this.prepare(records);
		return records.map((_, index) => rules.flatMap((rule, ruleIndex) => RuleMatcher.keysOf(rule, index).map((key) => `${ruleIndex}${key}`)));
	}

	match({ records, existingCount = 0 }: MatchInput): MatchOutcome {
		const count = records.length;
		const rules = this.prepare(records);
		const clusters = new ClusterBuilder(records);
		/** Pairs already matched by a rule: another rule need not compare them. */
		const matched = new Set<number>();
		const link = (a: number, b: number, evidence: LinkEvidence, exact: boolean): void => {
			const pair = a < b ? a * count + b : b * count + a;
			if (matched.has(pair)) return;
			matched.add(pair);
			const field = clusters.contradiction(a, b);
			if (field !== null && !RuleMatcher.outweighsContradiction(rules, a, b, field)) {
				clusters.keepApart(a, b, evidence.rule, field);
				return;
			}
			clusters.propose(a, b, evidence, exact, field ?? undefined);
		};
		const usable = new Uint8Array(count);
		let oversizedBlocks = 0;
		let comparedPairs = 0;

		// Keyed rules first: they are cheap and certain, and pairs they join need no fuzzy comparison.
		const ordered = [...rules].sort((a, b) => Number(b.keyed) - Number(a.keyed));
		for (const rule of ordered) {
			const fields = rule.comparisons.map((prepared) => prepared.comparison.label);
			if (rule.keyed) {
				// Equal keys match: each record links to the first record with its key, no pair is compared.
				const firstWithKey = new Map<string, number>();
				for (let index = 0; index < count; index++) {
					for (const key of RuleMatcher.keysOf(rule, index)) {
						usable[index] = 1;
						const anchor = firstWithKey.get(key);
						if (anchor === undefined) firstWithKey.set(key, index);
						else if (index >= existingCount) link(anchor, index, { rule: rule.rule.name, score: 1, fields }, true);
					}
				}
				continue;
			}
			const blocks = new Map<string, number[]>();
			for (let index = 0; index < count; index++) {
				for (const key of RuleMatcher.keysOf(rule, index)) {
					usable[index] = 1;
					const block = blocks.get(key);
					if (block === undefined) blocks.set(key, [index]);
					else if (block[block.length - 1] !== index) block.push(index);
				}
			}
			const shared = rule.rule.namesakeProne ? RuleMatcher.namesakeValues(rule, clusters, count) : undefined;
			const sortKeys = new Map<number, string>();
			const sortKeyOf = (index: number): string => {
				let key = sortKeys.get(index);
				if (key === undefined) sortKeys.set(index, (key = rule.comparisons.map((prepared) => sortText(prepared.values[index])).join('\u0001')));
				return key;
			};
			for (const block of blocks.values()) {
				if (block.length < 2) continue;
				if (block.length > this.maxBlockSize) {
					oversizedBlocks++;
					// Sorted neighbourhood: in the rule's values' order, near-duplicates are neighbours whatever the input order.
					block.sort((a, b) => (sortKeyOf(a) < sortKeyOf(b) ? -1 : sortKeyOf(a) > sortKeyOf(b) ? 1 : a - b));
				}
				for (let position = 1; position < block.length; position++) {
					const index = block[position];
					const from = Math.max(0, position - this.maxBlockSize);
					for (let earlier = from; earlier < position; earlier++) {
						const other = block[earlier];
						if (index < existingCount && other < existingCount) continue;
						if (matched.has(other < index ? other * count + index : index * count + other)) continue;
						comparedPairs++;
						const [first, second] = other < index ? [other, index] : [index, other];
						const score = this.agreement(rule, first, second);
						if (score === null) continue;
						const vetoedBy = RuleMatcher.vetoedBy(rule, first, second);
						if (vetoedBy !== null) {
							clusters.veto(first, second, vetoedBy);
							continue;
						}
						// Values known namesakes share identify no one; a contradicting pair still goes to link, which keeps it apart (and says so).
						if (shared !== undefined && (shared.has(first) || shared.has(second)) && clusters.contradiction(first, second) === null) continue;
						link(first, second, { rule: rule.rule.name, score, fields }, false);
					}
				}
			}
		}
		forgetComparedScores();
		return clusters.outcome(usable, oversizedBlocks, comparedPairs);
	}

	/**
	 * Records whose values of a rule's fields (exactly as written, folded) are also held by a record
	 * they contradict: known namesakes share them, so they identify no one.
	 */
	private static namesakeValues(rule: PreparedRule, clusters: ClusterBuilder, count: number): Set<number> {
		const holders = new Map<string, number[]>();
		for (let index = 0; index < count; index++) {
			let key = '';
			for (const prepared of rule.comparisons) {
				const value = prepared.values[index];
				if (value === null) {
					key = '';
					break;
				}
				key += `${sortText(value)}\u0001`;
			}
			if (key === '') continue;
			const list = holders.get(key);
			if (list === undefined) holders.set(key, [index]);
			else list.push(index);
		}
		const shared = new Set<number>();
		for (const list of holders.values()) {
			if (list.length < 2) continue;
			// One record per distinct cannot-link profile is enough to find two that contradict.
			const distinct = new Map<string, number>();
			for (const index of list) {
				const profile = clusters.profileKey(index);
				if (profile !== undefined && !distinct.has(profile)) distinct.set(profile, index);
			}
			const holdersWithProfile = [...distinct.values()];
			let namesakes = false;
			for (let x = 1; x < holdersWithProfile.length && !namesakes; x++) {
				for (let y = 0; y < x && !namesakes; y++) namesakes = clusters.contradiction(holdersWithProfile[x], holdersWithProfile[y]) !== null;
			}
			if (namesakes) for (const index of list) shared.add(index);
		}
		return shared;
	}

	/**
	 * Whether two contradicting records still match: a data-entry error in one field (FEBRL replaces
	 * whole values), not two namesakes of one town born years apart. At least four distinct fields
	 * (of every rule's comparisons) must agree, one of them another identity field (birth date,
	 * identifier, email); or, for two mailboxes at one company, three fields with nothing else
	 * disagreeing ("bob@acme.com" and "robert.jones@acme.com", same name, same company).
	 */
	private static outweighsContradiction(rules: PreparedRule[], a: number, b: number, field: ContradictionField): boolean {
		const agreeing = new Set<string>();
		const compared = new Set<string>();
		for (const rule of rules) {
			for (const prepared of rule.comparisons) {
				const label = prepared.comparison.label;
				const [valueA, valueB] = [prepared.values[a], prepared.values[b]];
				if (agreeing.has(label) || valueA === null || valueB === null) continue;
				compared.add(label);
				const similarity = prepared.comparator.similarity(valueA as never, valueB as never);
				if (agrees(prepared, similarity)) agreeing.add(label);
			}
		}
		const otherIdentityAgrees = Object.keys(CANNOT_LINK_FIELDS).some((identity) => identity !== field && agreeing.has(identity));
		if (agreeing.size >= CONTRADICTION_OVERRIDE_FIELDS && otherIdentityAgrees) return true;
		return field === 'email' && agreeing.size >= CONTRADICTION_OVERRIDE_FIELDS - 1 && compared.size - agreeing.size <= 1;
	}

	/** Mean similarity when every comparison of the rule agrees, else null. */
	private agreement(rule: PreparedRule, a: number, b: number): number | null {
		let total = 0;
		for (const prepared of rule.cheapestFirst) {
			const similarity = prepared.comparator.similarity(prepared.values[a] as never, prepared.values[b] as never);
			if (!agrees(prepared, similarity)) return null;
			total += prepared.comparison.type === 'number' ? 1 : similarity;
		}
		return Math.round((total / rule.comparisons.length) * 1000) / 1000;
	}

	/** The label of a rule's `unlessDifferent` comparison on which two records both hold values that disagree, or null. */
	private static vetoedBy(rule: PreparedRule, a: number, b: number): string | null {
		for (const veto of rule.vetoes) {
			const [valueA, valueB] = [veto.values[a], veto.values[b]];
			if (valueA !== null && valueB !== null && !agrees(veto, veto.comparator.similarity(valueA as never, valueB as never))) return veto.comparison.label;
		}
		return null;
	}
}
