/**
 * Random and adversarial item data for the hostile-input suite (test/unit/hostileInput.test.ts,
 * test/workflow/hostileInput.workflow.test.ts) and its long run (bench/hostile.ts): huge strings
 * shaped to make parsers backtrack, deep nesting, `__proto__`/`constructor` keys, every JSON type
 * in every field, lone surrogates, NUL, out-of-range dates and numbers.
 */
import fc from 'fast-check';

import { setField } from '../../lib/itemData';

/** How large the huge values get: the suite keeps them small enough for `npm test`, the bench raises them. */
export interface HostileScale {
	/** Characters of a huge string. */
	hugeLength: number;
	/** Levels of a deeply nested value. */
	deepNesting: number;
}

export const TEST_SCALE: HostileScale = { hugeLength: 20_000, deepNesting: 2_000 };

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Strings that are long in the ways that hurt: runs of one character, repeated words, separators between them. */
function hugeString(scale: HostileScale): fc.Arbitrary<string> {
	const n = scale.hugeLength;
	return fc.constantFrom(
		`1${' '.repeat(n)}a`,
		'a '.repeat(n / 2),
		'x'.repeat(n),
		`${'a'.repeat(n)}@${'b'.repeat(n)}`,
		`+${'1'.repeat(n)}`,
		`${'(the) '.repeat(n / 6)}`,
		`http://${'a.'.repeat(n / 2)}com/`,
		`${'é'.repeat(n / 2)}${'\u0301'.repeat(n / 2)}`,
		`${'a,'.repeat(n / 2)}the`,
		`${'\t\n'.repeat(n / 2)}`,
	);
}

/** Short strings no sender should send but some do. */
const oddString: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom('', ' ', 'a\ud800b', '\udc00', 'a\u0000b', '\u0000', '😀', '\ufeffBOM', 'N/A', '__proto__', 'constructor', 'true', '1e400', '-0', 'NaN'),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const oddNumber: fc.Arbitrary<number> = fc.oneof(
	fc.constantFrom(0, -0, 1e16, -1e16, 1e20, -1e20, 8.64e15 + 1, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e308 * 10, Number.NaN),
	fc.double(),
	fc.integer(),
);

/** A date-looking value outside what a database or Date holds, or barely inside. */
const oddDate: fc.Arbitrary<string> = fc.constantFrom(
	'+275760-09-13T00:00:00.001Z',
	'-271821-04-20T00:00:00.000Z',
	'9999-12-31T23:59:59.999Z',
	'0000-01-01T00:00:00Z',
	'2026-02-30T00:00:00Z',
	'2026-01-01T00:00:00.1234567Z',
	'2026-13-01',
);

function nested(scale: HostileScale): fc.Arbitrary<unknown> {
	return fc.tuple(fc.integer({ min: 1, max: scale.deepNesting }), fc.boolean()).map(([depth, asArray]) => {
		let value: unknown = 'bottom';
		for (let level = 0; level < depth; level++) value = asArray ? [value] : { a: value };
		return value;
	});
}

export const hostileKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, '', 'a.b', 'k\ud800'), fc.string({ maxLength: 12 }));

/** Builds an object from entries as JSON.parse would: own properties, whatever the key. */
export function objectOf(entries: Array<[string, unknown]>): Record<string, unknown> {
	const target: Record<string, unknown> = {};
	for (const [key, value] of entries) setField(target, key, value);
	return target;
}

/** Any value of any JSON type (and the few non-JSON ones a Code node can emit), ordinary or hostile. */
export function hostileValue(scale: HostileScale): fc.Arbitrary<unknown> {
	const leaf = fc.oneof(oddString, oddNumber, oddDate, fc.boolean(), fc.constant(null), fc.string({ maxLength: 30 }));
	const { value } = fc.letrec<{ value: unknown }>((tie) => ({
		value: fc.oneof(
			{ depthSize: 'small', withCrossShrink: true },
			leaf,
			hugeString(scale),
			nested(scale),
			fc.array(tie('value'), { maxLength: 4 }),
			fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectOf),
		),
	}));
	return value;
}

/**
 * Records with `fields` (the ones a node reads) each either absent, a plausible value from
 * `plausible`, or hostile, plus a few hostile keys of their own.
 */
export function hostileRecord(fields: string[], scale: HostileScale, plausible: Record<string, unknown> = {}): fc.Arbitrary<Record<string, unknown>> {
	const fieldValue = (field: string) =>
		fc.oneof(
			fc.constant(undefined),
			fc.constant(plausible[field] ?? 'plain'),
			hostileValue(scale),
		);
	return fc
		.tuple(
			fc.tuple(...fields.map((field) => fieldValue(field).map((value) => [field, value] as [string, unknown]))),
			fc.array(fc.tuple(hostileKey, hostileValue(scale)), { maxLength: 3 }),
		)
		.map(([known, extra]) => objectOf([...known.filter(([, value]) => value !== undefined), ...extra]));
}

/** Characters and nodes in a value, counted without recursion (for nesting JSON.stringify cannot take). */
export function sizeOf(value: unknown): number {
	let size = 0;
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		const current = stack.pop();
		size += 8;
		if (typeof current === 'string') size += current.length;
		else if (typeof current === 'object' && current !== null) {
			for (const key of Object.keys(current)) {
				size += key.length;
				stack.push((current as Record<string, unknown>)[key]);
			}
		}
	}
	return size;
}

/**
 * Time allowed for processing `input`: a fixed allowance plus a few milliseconds per kilobyte.
 * Linear code meets it with a wide margin; anything quadratic in a field's length does not.
 */
export function timeBoundMs(input: unknown, fixedMs = 1000, perKilobyteMs = 3): number {
	return fixedMs + (perKilobyteMs * sizeOf(input)) / 1000;
}
