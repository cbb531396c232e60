/**
 * Characters of each string compared. The measure is quadratic in the length, names and company
 * names are far shorter than this, and 100 characters already decide any comparison a threshold
 * could tell apart; a longer value (hostile or pasted by mistake) costs no more than this.
 */
export const COMPARED_LENGTH = 100;
const MATCHED_A = new Uint8Array(COMPARED_LENGTH);
const MATCHED_B = new Uint8Array(COMPARED_LENGTH);

/**
 * Jaro-Winkler similarity (0..1) of two strings: the usual record-linkage measure for short
 * strings such as names, forgiving transpositions and rewarding a shared prefix of up to 4
 * characters (scaling 0.1), as in Winkler (1990). Only the first COMPARED_LENGTH characters of
 * each are compared.
 */
export function jaroWinkler(fullA: string, fullB: string): number {
	const a = fullA.length > COMPARED_LENGTH ? fullA.slice(0, COMPARED_LENGTH) : fullA;
	const b = fullB.length > COMPARED_LENGTH ? fullB.slice(0, COMPARED_LENGTH) : fullB;
	if (a === b) return 1;
	const lengthA = a.length;
	const lengthB = b.length;
	if (lengthA === 0 || lengthB === 0) return 0;
	const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
	// Scratch marks reused across calls (no allocation per comparison: millions of pairs are compared).
	const matchedA = MATCHED_A;
	const matchedB = MATCHED_B;
	matchedA.fill(0, 0, lengthA);
	matchedB.fill(0, 0, lengthB);
	let matches = 0;
	for (let i = 0; i < lengthA; i++) {
		const from = Math.max(0, i - window);
		const to = Math.min(lengthB - 1, i + window);
		for (let j = from; j <= to; j++) {
			if (matchedB[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
				matchedA[i] = 1;
				matchedB[j] = 1;
				matches++;
				break;
			}
		}
	}
	if (matches === 0) return 0;
	let transpositions = 0;
	let j = 0;
	for (let i = 0; i < lengthA; i++) {
		if (matchedA[i] === 0) continue;
		while (matchedB[j] === 0) j++;
		if (a.charCodeAt(i) !== b.charCodeAt(j)) transpositions++;
		j++;
	}
	const jaro = (matches / lengthA + matches / lengthB + (matches - transpositions / 2) / matches) / 3;
	let prefix = 0;
	const maxPrefix = Math.min(4, lengthA, lengthB);
	while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
	return jaro + prefix * 0.1 * (1 - jaro);
}

/** True when `a` becomes `b` by at most one substitution, insertion, deletion or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
	if (a === b) return true;
	const lengthDifference = a.length - b.length;
	if (lengthDifference > 1 || lengthDifference < -1) return false;
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
		endA--;
		endB--;
	}
	const restA = endA - start;
	const restB = endB - start;
	if (restA <= 1 && restB <= 1) return true;
	// A swap of two neighbours ("1990" / "1909").
	return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start];
}
