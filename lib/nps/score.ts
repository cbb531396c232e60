/** The scale the survey asks on: the standard 0-10, or 1-10 where a tool has no 0 button. */
export type NpsScale = '0-10' | '1-10';

export type ScoreResult = { score: number } | { code: string; problem: string };

const SCALE_MINIMUM: Record<NpsScale, number> = { '0-10': 0, '1-10': 1 };

/**
 * The 0-10 "how likely are you to recommend" answer. Integers and integer strings ("10", " 7 ")
 * are accepted; decimals, other types and values outside the scale are rejected, never rounded
 * or clamped, because a wrong score silently moves a respondent between segments.
 */
export function parseNpsScore(value: unknown, scale: NpsScale): ScoreResult {
	const minimum = SCALE_MINIMUM[scale];
	let score: number;
	if (typeof value === 'number') {
		score = value;
	} else if (typeof value === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) {
		score = Number(value);
	} else if (value === undefined || value === null || value === '') {
		return { code: 'missing', problem: 'is required' };
	} else {
		return { code: 'not_a_number', problem: `must be a whole number from ${minimum} to 10` };
	}
	if (!Number.isInteger(score)) {
		return { code: 'not_an_integer', problem: `must be a whole number from ${minimum} to 10, got ${String(value).trim()}` };
	}
	if (score < minimum || score > 10) {
		return { code: 'out_of_range', problem: `must be from ${minimum} to 10, got ${score}` };
	}
	return { score };
}
