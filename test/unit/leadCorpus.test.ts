/**
 * Acceptance corpus of the Normalize Lead node: messy leads as they arrive from forms, ad
 * platforms and CSV exports, with what a correct normalizer must make of them
 * (test/fixtures/leads/corpus.json). Each case is its own test, named by its id.
 *
 * A case either lists `expect` (a subset of the canonical lead; keys may be dotted paths such as
 * `attribution.latest.source`, values are compared with toEqual) or `invalid` (errors that must be
 * reported: field, and code / message substring when given). `expectWarnings` optionally lists
 * warnings a valid lead must carry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { readPath } from '../../lib/itemData';
import { createLeadNormalizer, type LeadNormalizerConfig, type LeadOutcome } from '../../lib/lead/normalizeLead';
import type { FieldIssue } from '../../lib/schema/issue';
import { canonicalLeadSchema } from '../../lib/schema/lead';

interface ExpectedIssue {
	field: string;
	code?: string;
	messageIncludes?: string;
}

interface CorpusCase {
	id: string;
	about: string;
	config?: LeadNormalizerConfig;
	input: Record<string, unknown>;
	expect?: Record<string, unknown>;
	expectWarnings?: ExpectedIssue[];
	invalid?: ExpectedIssue[];
}

const CORPUS_FILE = path.join(__dirname, '..', 'fixtures', 'leads', 'corpus.json');
const corpus = JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as CorpusCase[];

/** Category = id prefix before the first '-'; the corpus must not shrink below these. */
const CATEGORY_MINIMUMS: Record<string, number> = {
	phone: 80,
	country: 50,
	email: 40,
	name: 40,
	company: 25,
	industry: 20,
	attribution: 20,
	consent: 15,
	alias: 15,
	invalid: 30,
};
const TOTAL_MINIMUM = 300;
const PHONE_COUNTRIES_MINIMUM = 15;

function categoryOf(id: string): string {
	return id.split('-')[0];
}

const normalizers = new Map<string, (record: Record<string, unknown>) => LeadOutcome>();

function run(testCase: CorpusCase): LeadOutcome {
	const key = JSON.stringify(testCase.config ?? {});
	let normalize = normalizers.get(key);
	if (normalize === undefined) {
		normalize = createLeadNormalizer(testCase.config ?? {});
		normalizers.set(key, normalize);
	}
	// A deep copy, so a normalizer that mutated its input could not leak into another case.
	return normalize(structuredClone(testCase.input));
}

function issueMatcher(expected: ExpectedIssue): unknown {
	return expect.objectContaining({
		field: expected.field,
		...(expected.code === undefined ? {} : { code: expected.code }),
		...(expected.messageIncludes === undefined ? {} : { message: expect.stringContaining(expected.messageIncludes) }),
	});
}

describe('lead corpus: shape', () => {
	it('has unique ids, a description and exactly one of expect / invalid per case', () => {
		const problems: string[] = [];
		const seen = new Set<string>();
		for (const testCase of corpus) {
			if (seen.has(testCase.id)) problems.push(`${testCase.id}: duplicate id`);
			seen.add(testCase.id);
			if (!/^[a-z]+(-[a-z0-9]+)+$/.test(testCase.id)) problems.push(`${testCase.id}: id is not kebab-case with a category prefix`);
			if (typeof testCase.about !== 'string' || testCase.about.trim() === '') problems.push(`${testCase.id}: no 'about'`);
			if (typeof testCase.input !== 'object' || testCase.input === null) problems.push(`${testCase.id}: no input object`);
			if ((testCase.expect === undefined) === (testCase.invalid === undefined)) {
				problems.push(`${testCase.id}: needs exactly one of 'expect' and 'invalid'`);
			}
			if (testCase.invalid !== undefined && testCase.invalid.length === 0) problems.push(`${testCase.id}: empty 'invalid'`);
			if (testCase.expect !== undefined && Object.keys(testCase.expect).length === 0) problems.push(`${testCase.id}: empty 'expect'`);
			if (testCase.invalid !== undefined && testCase.expectWarnings !== undefined) {
				problems.push(`${testCase.id}: 'expectWarnings' only applies to valid cases`);
			}
		}
		expect(problems).toEqual([]);
	});

	it(`has at least ${TOTAL_MINIMUM} cases and the per-category minimums`, () => {
		expect(corpus.length).toBeGreaterThanOrEqual(TOTAL_MINIMUM);
		const counts: Record<string, number> = {};
		for (const testCase of corpus) {
			const category = categoryOf(testCase.id);
			counts[category] = (counts[category] ?? 0) + 1;
		}
		const short = Object.entries(CATEGORY_MINIMUMS)
			.filter(([category, minimum]) => (counts[category] ?? 0) < minimum)
			.map(([category, minimum]) => `${category}: ${counts[category] ?? 0} < ${minimum}`);
		expect(short).toEqual([]);
	});

	it(`covers phone numbers of at least ${PHONE_COUNTRIES_MINIMUM} countries, mobile and fixed line`, () => {
		const phoneCases = corpus.filter((testCase) => categoryOf(testCase.id) === 'phone' && testCase.expect !== undefined);
		const countries = new Set(phoneCases.map((testCase) => testCase.expect?.phone_country).filter(Boolean));
		const types = new Set(phoneCases.map((testCase) => testCase.expect?.phone_type).filter(Boolean));
		expect(countries.size).toBeGreaterThanOrEqual(PHONE_COUNTRIES_MINIMUM);
		expect([...types]).toEqual(expect.arrayContaining(['mobile', 'fixed_line']));
	});

	it('has at least 30 cases that must go to Invalid', () => {
		expect(corpus.filter((testCase) => testCase.invalid !== undefined).length).toBeGreaterThanOrEqual(30);
	});
});

const validCases = corpus.filter((testCase) => testCase.expect !== undefined).map((testCase) => [testCase.id, testCase] as const);
const invalidCases = corpus.filter((testCase) => testCase.invalid !== undefined).map((testCase) => [testCase.id, testCase] as const);

describe('lead corpus: valid leads', () => {
	test.each(validCases)('%s', (id, testCase) => {
		const outcome = run(testCase);
		const errors: FieldIssue[] = outcome.valid ? [] : outcome.errors;
		expect({ id, valid: outcome.valid, errors }).toEqual({ id, valid: true, errors: [] });
		if (!outcome.valid) return;
		const lead = outcome.lead;

		for (const [key, expected] of Object.entries(testCase.expect ?? {})) {
			expect({ id, field: key, value: readPath(lead, key) }).toEqual({ id, field: key, value: expected });
		}

		for (const warning of testCase.expectWarnings ?? []) {
			expect({ id, warnings: lead.warnings }).toEqual({ id, warnings: expect.arrayContaining([issueMatcher(warning)]) });
		}

		const parsed = canonicalLeadSchema.safeParse(lead);
		expect({ id, schemaIssues: parsed.success ? [] : parsed.error.issues }).toEqual({ id, schemaIssues: [] });
	});
});

describe('lead corpus: invalid leads', () => {
	test.each(invalidCases)('%s', (id, testCase) => {
		const outcome = run(testCase);
		expect({ id, valid: outcome.valid }).toEqual({ id, valid: false });
		if (outcome.valid) return;
		for (const expected of testCase.invalid ?? []) {
			expect({ id, errors: outcome.errors }).toEqual({ id, errors: expect.arrayContaining([issueMatcher(expected)]) });
		}
	});
});

describe('lead corpus: normalizing a normalized lead changes nothing', () => {
	// A replayed dead letter, or two Normalize Lead nodes in a chain, feed the node its own output.
	test.each(validCases)('%s', (id, testCase) => {
		const first = run(testCase);
		if (!first.valid) return;
		const again = run({ ...testCase, input: first.lead as unknown as Record<string, unknown> });
		expect({ id, valid: again.valid, errors: again.valid ? [] : again.errors }).toEqual({ id, valid: true, errors: [] });
		// The warnings describe what the first pass did to the raw input; the lead itself must not change.
		if (again.valid) expect({ ...again.lead, warnings: [] }).toEqual({ ...first.lead, warnings: [] });
	});
});
