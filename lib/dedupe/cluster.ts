import type { ContradictionField, Profile } from './contradiction';
import { contradiction, contradictionProfiles } from './contradiction';
import type { DedupeRecord, KeptApart, MatchEvidence, MatchOutcome } from './types';

export type LinkEvidence = Omit<MatchEvidence, 'matchedIndex' | 'clusterLinks'>;

interface ProposedLink {
	a: number;
	b: number;
	evidence: LinkEvidence;
	/** An exact key (email, phone, ...) agreed: enough on its own to join a cluster. */
	exact: boolean;
	/** The field on which the pair contradicts, taken for a typo because much else agreed. */
	overriding?: ContradictionField;
	/** How many distinct fields agree (0 when the matcher does not say): stronger links are taken first. */
	strength: number;
}

/**
 * Share of a cluster's members a record (or a smaller cluster) must match directly to join it by
 * fuzzy links, when the cluster has more than two members. One fuzzy link into a big cluster is how
 * chains of "nearly the same" merge strangers; a true member usually matches many.
 */
const FUZZY_SUPPORT = 0.25;

/**
 * Record positions in an order that depends on the records' content only: what a matcher samples
 * from, so that its model does not depend on the input order.
 */
export function contentOrder(records: DedupeRecord[]): Int32Array {
	const hashes = records.map(contentHash);
	return Int32Array.from(records.keys()).sort((a, b) => hashes[a] - hashes[b] || a - b);
}

/** FNV-1a of a record's JSON: an order-free tie-break between links of equal score. */
export function contentHash(record: DedupeRecord): number {
	const text = JSON.stringify(record) ?? '';
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
	return hash >>> 0;
}

/**
 * Forms clusters from proposed matches without letting chains merge strangers. Matches are taken
 * strongest first (ties by record content, so the clusters do not depend on input order); two
 * clusters merge only when no member of one contradicts a member of the other (different birth
 * dates, identifiers, company emails: see `contradiction.ts`) that it did not match directly
 * (a matcher proposes a contradicting pair only on strong evidence), and, for fuzzy matches into a
 * cluster of three or more, when enough of its members match directly. The earliest record
 * (existing ones first) survives; every member is explained by the record it matched.
 */
export class ClusterBuilder {
	private readonly proposed: ProposedLink[] = [];
	private readonly keptApart: KeptApart[] = [];
	/** Records whose value of a field was taken for a typo when they were merged: it vetoes no other merge. */
	private readonly typoFields = new Map<number, ContradictionField>();
	private readonly profiles: Array<Profile | undefined>;
	/** Pairs proposed directly (a * count + b, a < b): only a chain is kept from joining contradicting records. */
	private readonly direct = new Set<number>();
	/** Per record: records a weak rule matched it with but for a field that differs (see `veto`). */
	private readonly vetoes = new Map<number, Array<{ other: number; field: string }>>();

	constructor(private readonly records: DedupeRecord[]) {
		this.profiles = contradictionProfiles(records);
	}

	/** The field on which two records contradict each other, or null: a matcher proposes such a pair only on strong evidence. */
	contradiction(a: number, b: number): ContradictionField | null {
		return contradiction(this.profiles[a], this.profiles[b]);
	}

	/** A record's cannot-link values as one key (undefined: it holds none). */
	profileKey(index: number): string | undefined {
		const profile = this.profiles[index];
		return profile === undefined ? undefined : JSON.stringify(profile);
	}

	/** Records a match a matcher did not propose because the two records contradict each other. */
	keepApart(a: number, b: number, rule: string, field: ContradictionField): void {
		this.keptApart.push({ a, b, rule, field });
	}

	/**
	 * Records that a rule matched two records but another field of theirs differs (a rule's
	 * `unlessDifferent`): unless a rule matches them directly, no chain puts them in one cluster.
	 */
	veto(a: number, b: number, field: string): void {
		for (const [from, other] of [[a, b], [b, a]]) {
			const list = this.vetoes.get(from);
			if (list === undefined) this.vetoes.set(from, [{ other, field }]);
			else list.push({ other, field });
		}
	}

	/**
	 * Records a match between two records; clusters are formed in `outcome`. `overriding`: the pair
	 * contradicts on that field, and the matcher judged it a typo (much else agrees); once the pair
	 * is merged, their values of the field no longer keep other records out of the cluster.
	 */
	propose(a: number, b: number, evidence: LinkEvidence, exact = false, overriding?: ContradictionField, strength = 0): void {
		this.proposed.push({ a, b, evidence, exact, overriding, strength });
		this.direct.add(a < b ? a * this.records.length + b : b * this.records.length + a);
	}

	/** `usable[i]` is 0 for records no rule could be applied to. */
	outcome(usable: Uint8Array, oversizedBlocks: number, comparedPairs: number): MatchOutcome {
		const count = this.records.length;
		const parent = new Int32Array(count);
		for (let index = 0; index < count; index++) parent[index] = index;
		const find = (index: number): number => {
			let root = index;
			while (parent[root] !== root) root = parent[root];
			while (parent[index] !== root) [parent[index], index] = [root, parent[index]];
			return root;
		};
		const members = new Map<number, number[]>();
		const membersOf = (root: number): number[] => members.get(root) ?? [root];
		const neighbours = new Map<number, number[]>();
		for (const { a, b } of this.proposed) {
			for (const [from, to] of [[a, b], [b, a]]) {
				const list = neighbours.get(from);
				if (list === undefined) neighbours.set(from, [to]);
				else list.push(to);
			}
		}
		/** Per cluster root: its members holding cannot-link values. */
		const profiled = new Map<number, number[]>();
		for (let index = 0; index < count; index++) if (this.profiles[index] !== undefined) profiled.set(index, [index]);

		const hashes = new Map<number, number>();
		const hashOf = (index: number): number => {
			let hash = hashes.get(index);
			if (hash === undefined) hashes.set(index, (hash = contentHash(this.records[index])));
			return hash;
		};
		const tieKey = (link: ProposedLink): [number, number] => {
			const [x, y] = [hashOf(link.a), hashOf(link.b)];
			return x < y ? [x, y] : [y, x];
		};
		const ordered = [...this.proposed].sort((left, right) => {
			if (left.strength !== right.strength) return right.strength - left.strength;
			if (left.evidence.score !== right.evidence.score) return right.evidence.score - left.evidence.score;
			if (left.exact !== right.exact) return left.exact ? -1 : 1;
			const [leftLow, leftHigh] = tieKey(left);
			const [rightLow, rightHigh] = tieKey(right);
			return leftLow - rightLow || leftHigh - rightHigh;
		});

		const accepted: ProposedLink[] = [];
		const keptApart = this.keptApart;
		for (const link of ordered) {
			const rootA = find(link.a);
			const rootB = find(link.b);
			if (rootA === rootB) continue;
			const field = this.clustersContradict(profiled.get(rootA), profiled.get(rootB));
			if (field !== null) {
				keptApart.push({ a: link.a, b: link.b, rule: link.evidence.rule, field });
				continue;
			}
			const clusterA = membersOf(rootA);
			const clusterB = membersOf(rootB);
			const vetoed = this.vetoedBetween(clusterA.length <= clusterB.length ? clusterA : clusterB, clusterA.length <= clusterB.length ? rootB : rootA, find);
			if (vetoed !== null) {
				keptApart.push({ a: link.a, b: link.b, rule: link.evidence.rule, field: vetoed });
				continue;
			}
			if (!link.exact && !ClusterBuilder.supported(clusterA, clusterB, rootB, find, neighbours)) continue;
			const [root, other] = rootA < rootB ? [rootA, rootB] : [rootB, rootA];
			parent[other] = root;
			members.set(root, [...membersOf(root), ...membersOf(other)]);
			members.delete(other);
			const profiledOther = profiled.get(other);
			if (profiledOther !== undefined) {
				profiled.set(root, [...(profiled.get(root) ?? []), ...profiledOther]);
				profiled.delete(other);
			}
			if (link.overriding !== undefined) for (const member of [link.a, link.b]) this.typoFields.set(member, link.overriding);
			accepted.push(link);
		}
		return this.explain(find, accepted, keptApart, neighbours, usable, oversizedBlocks, comparedPairs);
	}

	/** A field on which a member of one cluster contradicts a member of the other it did not match directly, or null. */
	private clustersContradict(membersA: number[] | undefined, membersB: number[] | undefined): ContradictionField | null {
		if (membersA === undefined || membersB === undefined) return null;
		const count = this.records.length;
		for (const a of membersA) {
			for (const b of membersB) {
				if (this.direct.has(a < b ? a * count + b : b * count + a)) continue;
				const field = contradiction(this.profiles[a], this.profiles[b], this.typoFields.get(a), this.typoFields.get(b));
				if (field !== null) return field;
			}
		}
		return null;
	}

	/** The field of a veto between a member of `members` and a member of the cluster rooted at `otherRoot` that no rule matched directly, or null. */
	private vetoedBetween(members: number[], otherRoot: number, find: (index: number) => number): string | null {
		if (this.vetoes.size === 0) return null;
		const count = this.records.length;
		for (const member of members) {
			for (const { other, field } of this.vetoes.get(member) ?? []) {
				if (find(other) === otherRoot && !this.direct.has(member < other ? member * count + other : other * count + member)) return field;
			}
		}
		return null;
	}

	/** Whether the smaller of two clusters matches enough members of the larger directly (always, up to two members). */
	private static supported(
		clusterA: number[],
		clusterB: number[],
		rootB: number,
		find: (index: number) => number,
		neighbours: Map<number, number[]>,
	): boolean {
		const [smaller, larger, largerRoot] = clusterA.length <= clusterB.length ? [clusterA, clusterB, rootB] : [clusterB, clusterA, find(clusterA[0])];
		if (larger.length <= 2) return true;
		let links = 0;
		for (const member of smaller) for (const other of neighbours.get(member) ?? []) if (find(other) === largerRoot) links++;
		return links >= Math.ceil(FUZZY_SUPPORT * smaller.length * larger.length);
	}

	/** Survivors, and for every other member the accepted link that brought it in (walked outward from the survivor). */
	private explain(
		find: (index: number) => number,
		accepted: ProposedLink[],
		keptApart: KeptApart[],
		neighbours: Map<number, number[]>,
		usable: Uint8Array,
		oversizedBlocks: number,
		comparedPairs: number,
	): MatchOutcome {
		const count = this.records.length;
		const survivorOf = new Int32Array(count);
		const unmatchable: boolean[] = new Array(count);
		for (let index = 0; index < count; index++) {
			survivorOf[index] = find(index);
			unmatchable[index] = usable[index] === 0;
		}
		const links = new Map<number, Array<{ other: number; evidence: LinkEvidence }>>();
		for (const { a, b, evidence } of accepted) {
			for (const [from, to] of [[a, b], [b, a]]) {
				const list = links.get(from);
				if (list === undefined) links.set(from, [{ other: to, evidence }]);
				else list.push({ other: to, evidence });
			}
		}
		const evidence: Array<MatchEvidence | undefined> = new Array(count);
		for (const root of links.keys()) {
			if (survivorOf[root] !== root) continue;
			const queue = [root];
			const seen = new Set([root]);
			for (let head = 0; head < queue.length; head++) {
				const current = queue[head];
				for (const { other, evidence: found } of links.get(current) ?? []) {
					if (seen.has(other)) continue;
					seen.add(other);
					const clusterLinks = new Set((neighbours.get(other) ?? []).filter((neighbour) => survivorOf[neighbour] === root)).size;
					evidence[other] = { matchedIndex: current, ...found, clusterLinks };
					queue.push(other);
				}
			}
		}
		return { survivorOf, evidence, unmatchable, keptApart, oversizedBlocks, comparedPairs };
	}
}
