import { readPath } from '../itemData';
import { foldKey } from '../lead/text';
import type { Comparator, ComparatorContext } from './comparators';
import { COMPARATORS, reachesThreshold } from './comparators';
import { ClusterBuilder } from './cluster';
import type { Comparison, FieldSource, MatchRule } from './rules';

export type DedupeRecord = Record<string, unknown>;

/** Why a record is a duplicate: the record it matched directly, by which rule, how closely, on which fields. */
export interface MatchEvidence {
	matchedIndex: number;
	rule: string;
	/** Mean similarity of the rule's comparisons (1 for exact keys). */
	score: number;
	fields: string[];
}

export interface MatchOutcome {
	/** Index of the record that survives in each record's cluster (itself for unique records). */
	survivorOf: Int32Array;
	/** For every record that is not its cluster's survivor: its link into the cluster. */
	evidence: Array<MatchEvidence | undefined>;
	/** Records none of the rules can be applied to (a field each rule needs is missing). */
	unmatchable: boolean[];
	/** Blocks too large to compare all pairs in: each record was compared with its `maxBlockSize` predecessors. */
	oversizedBlocks: number;
	comparedPairs: number;
}

export interface MatcherOptions {
	rules: MatchRule[];
	context?: ComparatorContext;
	/** Records in one block beyond which a record is only compared with its predecessors in a window this wide. */
	maxBlockSize?: number;
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

const DEFAULT_MAX_BLOCK_SIZE = 500;
const MAX_KEYS_PER_RULE = 64;

interface PreparedComparison {
	comparison: Comparison;
	comparator: Comparator<unknown>;
	threshold: number;
	values: unknown[];
}

interface PreparedRule {
	rule: MatchRule;
	comparisons: PreparedComparison[];
	/** All comparisons keyed: two records match exactly when their rule keys are equal. */
	keyed: boolean;
}

/**
 * Reads a FieldSource from records whose keys are spelled in many ways ("First Name", "E-mail"):
 * the keys of a batch are looked at once, and each source reads the keys that fold to one of its
 * field names, in the source's order.
 */
class FieldReader {
	private readonly keys = new Set<string>();

	constructor(records: DedupeRecord[]) {
		for (const record of records) for (const key in record) this.keys.add(key);
	}

	reader(source: FieldSource): (record: DedupeRecord) => unknown {
		const wanted = source.fields.map(foldKey);
		const spellings = new Map<string, string[]>();
		for (const key of this.keys) {
			const folded = foldKey(key);
			if (!wanted.includes(folded) || source.fields.includes(key)) continue;
			const list = spellings.get(folded);
			if (list === undefined) spellings.set(folded, [key]);
			else list.push(key);
		}
		// Exact names first, then other spellings of the same name: "email" before "E-mail".
		const paths = source.fields.flatMap((field, index) => [field, ...(spellings.get(wanted[index]) ?? [])]);
		const uniquePaths = [...new Set(paths)];
		const read = (record: DedupeRecord, path: string): unknown => (path.includes('.') && !(path in record) ? readPath(record, path) : record[path]);
		if (!source.join) {
			return (record) => {
				for (const path of uniquePaths) {
					const value = read(record, path);
					if (!isBlank(value)) return value;
				}
				return undefined;
			};
		}
		return (record) => {
			const found: unknown[] = [];
			for (const path of uniquePaths) {
				const value = read(record, path);
				if (!isBlank(value)) found.push(value);
			}
			return found.length === 0 || found.length < (source.minParts ?? 1) ? undefined : found.join(' ');
		};
	}
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * A record's own country code (phone_country, else country, as Normalize Lead writes them) places its
 * phone numbers written without a country code; the node's Default Country only serves records without
 * one. So a lead flow sets its default country once, in Normalize Lead.
 */
function phoneContext(record: DedupeRecord, context: ComparatorContext): ComparatorContext {
	const own = [record.phone_country, record.country].find((code) => typeof code === 'string' && COUNTRY_CODE.test(code));
	return own === undefined ? context : { ...context, defaultCountry: own as string };
}

/**
 * The compared form of each comparison's field in each record (null when missing), computed once
 * per distinct field and type however many rules use it.
 */
export function prepareValues(records: DedupeRecord[], comparisons: Comparison[], context: ComparatorContext): unknown[][] {
	const reader = new FieldReader(records);
	const cache = new Map<string, unknown[]>();
	return comparisons.map((comparison) => {
		const comparator = COMPARATORS[comparison.type] as Comparator<unknown>;
		const cacheKey = `${comparison.type}|${comparison.source.join ? `+${comparison.source.minParts ?? 1}` : ''}${comparison.source.fields.join(',')}`;
		let values = cache.get(cacheKey);
		if (values === undefined) {
			const read = reader.reader(comparison.source);
			const contextOf = comparison.type === 'phone' ? (record: DedupeRecord) => phoneContext(record, context) : () => context;
			values = records.map((record) => {
				const raw = read(record);
				return raw === undefined ? null : comparator.prepare(raw, contextOf(record));
			});
			cache.set(cacheKey, values);
		}
		return values;
	});
}

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
 * clustered transitively; each cluster's earliest record (existing records first) survives.
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
		const values = prepareValues(records, this.rules.flatMap((rule) => rule.comparisons), this.context);
		let position = 0;
		return this.rules.map((rule) => {
			const comparisons = rule.comparisons.map((comparison): PreparedComparison => {
				const comparator = COMPARATORS[comparison.type] as Comparator<unknown>;
				return { comparison, comparator, threshold: comparison.threshold ?? comparator.defaultThreshold, values: values[position++] };
			});
			return { rule, comparisons, keyed: comparisons.every((prepared) => prepared.comparator.keyed) };
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
		const clusters = new ClusterBuilder(count);
		const link = clusters.link.bind(clusters);
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
						else if (index >= existingCount) link(anchor, index, { rule: rule.rule.name, score: 1, fields });
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
			for (const block of blocks.values()) {
				if (block.length < 2) continue;
				if (block.length > this.maxBlockSize) oversizedBlocks++;
				for (let position = 1; position < block.length; position++) {
					const index = block[position];
					const from = Math.max(0, position - this.maxBlockSize);
					for (let earlier = from; earlier < position; earlier++) {
						const other = block[earlier];
						if (index < existingCount && other < existingCount) continue;
						if (clusters.together(index, other)) continue;
						comparedPairs++;
						const score = this.agreement(rule, other, index);
						if (score !== null) link(other, index, { rule: rule.rule.name, score, fields });
					}
				}
			}
		}
		return clusters.outcome(usable, oversizedBlocks, comparedPairs);
	}

	/** Mean similarity when every comparison of the rule agrees, else null. */
	private agreement(rule: PreparedRule, a: number, b: number): number | null {
		let total = 0;
		for (const prepared of rule.comparisons) {
			const similarity = prepared.comparator.similarity(prepared.values[a] as never, prepared.values[b] as never);
			if (!reachesThreshold(prepared.comparison.type, similarity, prepared.threshold)) return null;
			total += prepared.comparison.type === 'number' ? 1 : similarity;
		}
		return Math.round((total / rule.comparisons.length) * 1000) / 1000;
	}
}
