/**
 * The hostile-input suite on the lib entry points (short, seeded: `npm run bench -- hostile` is the
 * long run): whatever the items hold, each entry point returns within a time proportional to the
 * input's size, without throwing, and accounts for every item exactly once.
 */
import fc from 'fast-check';

import { createCrmMapper } from '../../lib/crm/mapper';
import { classifyRecords, mergeClusters } from '../../lib/dedupe/dedupe';
import { RuleMatcher } from '../../lib/dedupe/matcher';
import { b2bRules } from '../../lib/dedupe/rules';
import { captureTouch } from '../../lib/lead/attribution';
import { normalizeCompany } from '../../lib/lead/company';
import { normalizeConsent } from '../../lib/lead/consent';
import { normalizeCountry } from '../../lib/lead/country';
import { normalizeEmail } from '../../lib/lead/email';
import { buildIndustryMatcher } from '../../lib/lead/industry';
import { normalizePersonName } from '../../lib/lead/name';
import { createLeadNormalizer } from '../../lib/lead/normalizeLead';
import { normalizePhone } from '../../lib/lead/phone';
import { cleanText } from '../../lib/lead/text';
import { normalizeWebsite } from '../../lib/lead/website';
import { receiveDelivery, type ReceiverConfig } from '../../lib/nps/receive';
import { prepareRows } from '../../lib/warehouse/rows';
import { customTable, leadsTable, npsResponsesTable } from '../../lib/warehouse/tables';
import { TEST_SCALE, hostileRecord, hostileValue, timeBoundMs } from '../support/hostile';

const SEED = 18;
const RUNS = 40;
const LEAD_FIELDS = ['email', 'phone', 'first_name', 'last_name', 'full_name', 'company', 'website', 'country', 'industry', 'job_title', 'city', 'utm_source', 'landing_page', 'referrer', 'consent', 'consent_date', 'created_at', 'attribution'];
const NPS_FIELDS = ['response_id', 'survey_date', 'nps_score', 'comment', 'themes', 'properties', 'received_at', 'email', 'is_update'];

/** Runs `work` on `input` and fails when it took longer than the input's time bound. */
function withinBound<T>(input: unknown, work: () => T): T {
	const started = performance.now();
	const result = work();
	const took = performance.now() - started;
	const bound = timeBoundMs(input);
	if (took > bound) throw new Error(`took ${Math.round(took)} ms, over the ${Math.round(bound)} ms bound for this input`);
	return result;
}

const property = <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => void) =>
	fc.assert(fc.property(arbitrary, check), { seed: SEED, numRuns: RUNS });

describe('hostile input: lead field normalizers', () => {
	const matchIndustry = buildIndustryMatcher();
	const normalizers: Array<[string, (value: unknown) => unknown]> = [
		['country', (value) => normalizeCountry(value)],
		['email', (value) => normalizeEmail(value)],
		['phone', (value) => normalizePhone(value, { defaultCountry: 'BR', field: 'phone' })],
		['person name', (value) => normalizePersonName({ first: value, last: value, full: value })],
		['company', (value) => normalizeCompany(value)],
		['website', (value) => normalizeWebsite(value)],
		['industry', (value) => matchIndustry(value)],
		['text', (value) => cleanText(value)],
		['consent', (value) => normalizeConsent({ consent: value, consent_date: value, consent_source: value, consent_policy_version: value })],
		['touch', (value) => captureTouch({ utm_source: value, landing_page: value, referrer: value, gclid: value, at: value })],
	];

	it.each(normalizers)('%s: any value, answered in time without throwing', (_name, normalize) => {
		property(hostileValue(TEST_SCALE), (value) => {
			withinBound(value, () => normalize(value));
		});
	});

	it('Normalize Lead: every record is valid or invalid with reasons, in time', () => {
		const normalize = createLeadNormalizer();
		property(hostileRecord(LEAD_FIELDS, TEST_SCALE, { email: 'ana@acme.com', country: 'Brasil', phone: '(11) 98765-4321' }), (record) => {
			const outcome = withinBound(record, () => normalize(record));
			if (!outcome.valid) expect(outcome.errors.length).toBeGreaterThan(0);
			else expect(Object.getPrototypeOf(outcome.lead)).toBe(Object.prototype);
		});
	});
});

describe('hostile input: Dedupe', () => {
	const matcher = new RuleMatcher({ rules: b2bRules() });

	it('classifies and merges any batch, each record in exactly one place, in time', () => {
		const plausible = { email: 'bob@acme.com', first_name: 'Bob', last_name: 'Jones', company: 'Acme', phone: '+14155552671' };
		const batch = fc.array(hostileRecord(['id', 'email', 'first_name', 'last_name', 'company', 'phone', 'website', 'created_at'], TEST_SCALE, plausible), {
			minLength: 1,
			maxLength: 6,
		});
		property(batch, (records) => {
			withinBound(records, () => {
				const classified = classifyRecords(matcher, records, [], { idField: 'id' });
				const placed = [...classified.unique.map(({ index }) => index), ...classified.duplicates.map(({ index }) => index)].sort((a, b) => a - b);
				expect(placed).toEqual(records.map((_, index) => index));
				const merged = mergeClusters(classified, records, [], {
					survivorship: 'longest',
					sourceFields: ['utm_source'],
					timestampField: 'created_at',
					idField: 'id',
					metaKey: '_dedupe',
				});
				expect(merged.flatMap(({ inputIndices }) => inputIndices).sort((a, b) => a - b)).toEqual(records.map((_, index) => index));
				for (const { record } of merged) expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
			});
		});
	});
});

describe('hostile input: CRM mapping', () => {
	it.each(['hubspot', 'salesforce', 'pipedrive'] as const)('%s: any lead is mapped or refused with reasons, in time', (crm) => {
		const map = createCrmMapper({ crm });
		property(hostileRecord(LEAD_FIELDS, TEST_SCALE, { email: 'ana@acme.com', last_name: 'Silva', company: 'Acme' }), (record) => {
			withinBound(record, () => map(record as never));
		});
	});
});

describe('hostile input: Warehouse row preparation', () => {
	const specs = [
		npsResponsesTable({ keepUnknownFields: true, dimensions: ['plan'] }),
		leadsTable({ keepUnknownFields: true }),
		customTable({
			table: 'custom',
			keepUnknownFields: true,
			columns: ['text', 'integer', 'number', 'boolean', 'timestamp', 'json'].map((type) => ({ column: `c_${type}`, type, field: 'response_id' }) as never),
			key: ['c_text'],
		}),
	];

	it.each(specs.map((spec) => [spec.table.table, spec] as const))('%s: every item is a row, a failure or a duplicate, once, in time', (_name, spec) => {
		const batch = fc.array(hostileRecord([...NPS_FIELDS, 'id', 'phone'], TEST_SCALE, { response_id: 'r-1', nps_score: 7 }), { minLength: 1, maxLength: 6 });
		property(fc.tuple(batch, fc.constantFrom('skip', 'update' as const), fc.constantFrom('sqlite', 'postgres' as const)), ([records, onConflict, dialect]) => {
			withinBound(records, () => {
				const prepared = prepareRows(records, spec, { unknownFields: 'keep', onConflict: onConflict as 'skip' | 'update', dialect });
				const placed = [...prepared.rows.map(({ index }) => index), ...prepared.failures.map(({ index }) => index), ...prepared.duplicates.map(({ index }) => index)];
				expect(placed.sort((a, b) => a - b)).toEqual(records.map((_, index) => index));
				for (const row of prepared.rows) expect(() => row.cells).not.toThrow();
			});
		});
	});
});

describe('hostile input: NPS deliveries', () => {
	it('any JSON body gets an answer (never a 5xx, never a throw), in time', () => {
		const config: ReceiverConfig = {
			provider: 'fieldMapping',
			secrets: [],
			auth: { kind: 'none' },
			settings: { scale: '0-10', fieldMap: { response_id: 'response_id', nps_score: 'nps_score', email: 'email', survey_date: 'survey_date', themes: 'themes'} },
		};
		property(hostileRecord(NPS_FIELDS, TEST_SCALE, { response_id: 'r-1', nps_score: 9 }), (body) => {
			const rawBody = Buffer.from(JSON.stringify(body) ?? 'null');
			const result = withinBound(body, () => receiveDelivery({ method: 'POST', headers: { 'content-type': 'application/json' }, rawBody }, config, Date.now()));
			if (result.kind === 'rejected') expect(result.status).toBeLessThan(500);
		});
	});
});
