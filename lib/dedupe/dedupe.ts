import { readPath } from '../itemData';
import type { DedupeRecord, MatchOutcome, Matcher } from './types';
import type { MergeOptions } from './survivorship';
import { mergeCluster } from './survivorship';

/** A match that was not followed because the two records contradict each other on `field`. */
export interface KeptApartNote {
	id: unknown;
	rule: string;
	field: string;
}

/** What the node writes on every item under `metaKey`: why it is unique or whom it duplicates. */
export type DedupeAnnotation =
	| { status: 'unique'; id: unknown; duplicate_count: number; kept_apart?: KeptApartNote[] }
	| { status: 'unmatchable'; id: unknown; warning: string }
	/** Matches a record another execution took as new and has not remembered yet (a held record), still after the wait. */
	| { status: 'in_progress'; id: unknown; matched_id: unknown; held_until: string }
	| {
			status: 'duplicate';
			id: unknown;
			/** The record this one matched directly (an input item or an existing record); null when only its key was remembered. */
			matched_id: unknown;
			matched_in: 'input' | 'existing' | 'history';
			/** The cluster's surviving record, which the match chain leads to. */
			survivor_id: unknown;
			rule: string;
			score: number;
			fields: string[];
			/** How many members of its cluster it matched directly. */
			cluster_links?: number;
			/** Records it matched but was kept apart from (a different birth date, identifier, company mailbox). */
			kept_apart?: KeptApartNote[];
			/**
			 * The fields asked for (Copy From Match) of the existing or remembered record it belongs with: what the
			 * flow stored with it earlier, such as the CRM record id, so a returning lead updates that record without a search.
			 */
			from_match?: Record<string, unknown>;
	  };

/** Notes per record of the matches not followed, at most this many each. */
const MAX_KEPT_APART_NOTES = 5;

export interface Classified {
	/** Input index and annotation of each unique (or unmatchable) input record, in input order. */
	unique: Array<{ index: number; annotation: DedupeAnnotation }>;
	duplicates: Array<{ index: number; annotation: DedupeAnnotation }>;
	/** Every group of matching records that holds an input record (a unique record alone is a group of one). */
	clusters: Array<{ inputIndices: number[]; existingIndices: number[] }>;
	outcome: MatchOutcome;
}

export interface DedupeOptions {
	/** Field with a record's id; records without it are named by position ("input 3", "existing 0"). */
	idField: string;
	/** Names of the existing records when they have no id field of their own ("stored 12"). */
	existingIds?: unknown[];
	/** Fields a duplicate of an existing record gets from that record, under `from_match`. */
	copyFromMatch?: string[];
}

const UNMATCHABLE_WARNING = 'none of the fields the match rules need is present';

/**
 * Splits input records into unique ones and duplicates (of an earlier input record or of an
 * existing record), with the evidence for each duplicate. Existing records come from a second
 * input or a record store; they are never output, only matched against.
 */
export function classifyRecords(
	matcher: Matcher,
	input: DedupeRecord[],
	existing: DedupeRecord[],
	options: DedupeOptions,
): Classified {
	const records = existing.length === 0 ? input : [...existing, ...input];
	const offset = existing.length;
	const outcome = matcher.match({ records, existingCount: offset });
	const idOf = (position: number): unknown => {
		const id = records[position][options.idField];
		if (id !== undefined && id !== null && id !== '') return id;
		if (position < offset) return options.existingIds?.[position] ?? `existing ${position}`;
		return `input ${position - offset}`;
	};

	const clusterMembers = new Map<number, { inputIndices: number[]; existingIndices: number[] }>();
	const duplicateCount = new Map<number, number>();
	for (let position = 0; position < records.length; position++) {
		const survivor = outcome.survivorOf[position];
		let members = clusterMembers.get(survivor);
		if (members === undefined) clusterMembers.set(survivor, (members = { inputIndices: [], existingIndices: [] }));
		if (position < offset) members.existingIndices.push(position);
		else members.inputIndices.push(position - offset);
		if (survivor !== position) duplicateCount.set(survivor, (duplicateCount.get(survivor) ?? 0) + 1);
	}

	const keptApart = new Map<number, KeptApartNote[]>();
	for (const { a, b, rule, field } of outcome.keptApart) {
		for (const [position, other] of [[a, b], [b, a]]) {
			const notes = keptApart.get(position) ?? [];
			if (notes.length < MAX_KEPT_APART_NOTES) notes.push({ id: idOf(other), rule, field });
			keptApart.set(position, notes);
		}
	}
	const keptApartOf = (position: number): { kept_apart?: KeptApartNote[] } => {
		const notes = keptApart.get(position);
		return notes === undefined ? {} : { kept_apart: notes };
	};

	// The existing record a duplicate belongs with: the one it matched, else its cluster's survivor when that one exists.
	const fromMatchOf = (position: number, matchedIndex: number): { from_match?: Record<string, unknown> } => {
		const fields = options.copyFromMatch ?? [];
		const source = matchedIndex < offset ? matchedIndex : outcome.survivorOf[position] < offset ? outcome.survivorOf[position] : undefined;
		if (fields.length === 0 || source === undefined) return {};
		const values = Object.fromEntries(fields.map((field) => [field, readPath(records[source], field)]).filter(([, value]) => value !== undefined));
		return { from_match: values };
	};

	const unique: Classified['unique'] = [];
	const duplicates: Classified['duplicates'] = [];
	for (let index = 0; index < input.length; index++) {
		const position = index + offset;
		const evidence = outcome.evidence[position];
		if (evidence === undefined) {
			unique.push({
				index,
				annotation: outcome.unmatchable[position]
					? { status: 'unmatchable', id: idOf(position), warning: UNMATCHABLE_WARNING }
					: { status: 'unique', id: idOf(position), duplicate_count: duplicateCount.get(position) ?? 0, ...keptApartOf(position) },
			});
			continue;
		}
		duplicates.push({
			index,
			annotation: {
				status: 'duplicate',
				id: idOf(position),
				matched_id: idOf(evidence.matchedIndex),
				matched_in: evidence.matchedIndex < offset ? 'existing' : 'input',
				survivor_id: idOf(outcome.survivorOf[position]),
				rule: evidence.rule,
				score: evidence.score,
				fields: evidence.fields,
				cluster_links: evidence.clusterLinks,
				...keptApartOf(position),
				...fromMatchOf(position, evidence.matchedIndex),
			},
		});
	}
	const clusters = [...clusterMembers.values()].filter((members) => members.inputIndices.length > 0);
	return { unique, duplicates, clusters, outcome };
}

/** One merged record per cluster holding input records: existing members first, then input members in order. */
export function mergeClusters(
	classified: Classified,
	input: DedupeRecord[],
	existing: DedupeRecord[],
	options: MergeOptions,
): Array<{ record: DedupeRecord; inputIndices: number[] }> {
	return classified.clusters.map(({ inputIndices, existingIndices }) => {
		const members = [...existingIndices.map((index) => existing[index]), ...inputIndices.map((index) => input[index])];
		return { record: mergeCluster(members, options), inputIndices };
	});
}
