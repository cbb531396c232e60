import type { MatchEvidence, MatchOutcome } from './matcher';

type Link = { other: number; evidence: Omit<MatchEvidence, 'matchedIndex'> };

/**
 * Clusters matched records transitively (union-find whose root is always the lowest index, so the
 * earliest record, existing ones first, survives) and keeps the links that joined them, to
 * explain every member by the record it matched.
 */
export class ClusterBuilder {
	private readonly parent: Int32Array;
	private readonly links: Link[][];

	constructor(count: number) {
		this.parent = new Int32Array(count);
		for (let index = 0; index < count; index++) this.parent[index] = index;
		this.links = Array.from({ length: count }, () => []);
	}

	private find(index: number): number {
		let root = index;
		while (this.parent[root] !== root) root = this.parent[root];
		while (this.parent[index] !== root) {
			const next = this.parent[index];
			this.parent[index] = root;
			index = next;
		}
		return root;
	}

	together(a: number, b: number): boolean {
		return this.find(a) === this.find(b);
	}

	/** Records a match; a pair already in one cluster adds nothing. */
	link(a: number, b: number, evidence: Omit<MatchEvidence, 'matchedIndex'>): void {
		const rootA = this.find(a);
		const rootB = this.find(b);
		if (rootA === rootB) return;
		if (rootA < rootB) this.parent[rootB] = rootA;
		else this.parent[rootA] = rootB;
		this.links[a].push({ other: b, evidence });
		this.links[b].push({ other: a, evidence });
	}

	/** `usable[i]` is 0 for records no rule could be applied to. */
	outcome(usable: Uint8Array, oversizedBlocks: number, comparedPairs: number): MatchOutcome {
		const count = this.links.length;
		const survivorOf = new Int32Array(count);
		const evidence: Array<MatchEvidence | undefined> = new Array(count);
		const unmatchable: boolean[] = new Array(count);
		for (let index = 0; index < count; index++) {
			survivorOf[index] = this.find(index);
			unmatchable[index] = usable[index] === 0;
		}
		// Walk each cluster's links outward from its survivor: every member is explained by the record it matched.
		for (let root = 0; root < count; root++) {
			if (survivorOf[root] !== root || this.links[root].length === 0) continue;
			const queue = [root];
			const seen = new Set([root]);
			for (let head = 0; head < queue.length; head++) {
				const current = queue[head];
				for (const { other, evidence: found } of this.links[current]) {
					if (seen.has(other)) continue;
					seen.add(other);
					evidence[other] = { matchedIndex: current, ...found };
					queue.push(other);
				}
			}
		}
		return { survivorOf, evidence, unmatchable, oversizedBlocks, comparedPairs };
	}
}
