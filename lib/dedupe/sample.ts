import { seededRandom } from '../random';

/** Up to `size` pairs of distinct record indices below `count`: every pair when there are fewer, else a seeded random sample. */
export function seededSample(count: number, size: number): Array<[number, number]> {
	const pairs: Array<[number, number]> = [];
	if ((count * (count - 1)) / 2 <= size) {
		for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) pairs.push([a, b]);
		return pairs;
	}
	// Seeded by the record count: the same data always trains the same model.
	const random = seededRandom(count);
	while (pairs.length < size) {
		const a = Math.floor(random() * count);
		const b = Math.floor(random() * count);
		if (a !== b) pairs.push([a, b]);
	}
	return pairs;
}
