/**
 * What every part of dedupe shares: records, the outcome of matching them and the matcher
 * interface. Kept apart so that matchers, the cluster builder and the node depend on this module
 * rather than on each other.
 */

export type DedupeRecord = Record<string, unknown>;

/** Why a record is a duplicate: the record it matched directly, by which rule, how closely, on which fields. */
export interface MatchEvidence {
	matchedIndex: number;
	rule: string;
	/** Mean similarity of the rule's comparisons (1 for exact keys), or the match probability. */
	score: number;
	fields: string[];
	/** How many members of its cluster the record matched directly (at least 1: `matchedIndex`). */
	clusterLinks: number;
}

/** A match that was not followed: the two records contradict each other on `field`. */
export interface KeptApart {
	a: number;
	b: number;
	rule: string;
	/** The field on which the two clusters contradict each other ("date_of_birth", "identifier", "email"). */
	field: string;
}

export interface MatchOutcome {
	/** Index of the record that survives in each record's cluster (itself for unique records). */
	survivorOf: Int32Array;
	/** For every record that is not its cluster's survivor: its link into the cluster. */
	evidence: Array<MatchEvidence | undefined>;
	/** Records none of the rules can be applied to (a field each rule needs is missing). */
	unmatchable: boolean[];
	/** Matches that would have merged contradicting records, and were therefore not followed. */
	keptApart: KeptApart[];
	/** Blocks too large to compare all pairs in: each record was compared with its `maxBlockSize` predecessors. */
	oversizedBlocks: number;
	comparedPairs: number;
}

export interface MatchInput {
	records: DedupeRecord[];
	/**
	 * The first `existingCount` records are already known (a second input, a store): they are kept
	 * as survivors in preference to new ones and are not compared with each other.
	 */
	existingCount?: number;
}

/** What the node and the store need of a matcher: rule-based or probabilistic. */
export interface Matcher {
	match(input: MatchInput): MatchOutcome;
	/** Keys under which a record store files each record, so that its candidates can be found later. */
	blockKeys(records: DedupeRecord[]): string[][];
}
