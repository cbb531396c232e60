/** Deterministic pseudo-random numbers (mulberry32): the same data always trains the same model. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Up to `size` pairs of distinct record indices below `count`: every pair when there are fewer, else a seeded random sample. */
export function seededSample(count: number, size: number): Array<[number, number]> {
	const pairs: Array<[number, number]> = [];
	if ((count * (count - 1)) / 2 <= size) {
		for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) pairs.push([a, b]);
		return pairs;
	}
	const random = mulberry32(count);
	while (pairs.length < size) {
		const a = Math.floor(random() * count);
		const b = Math.floor(random() * count);
		if (a !== b) pairs.push([a, b]);
	}
	return pairs;
}
