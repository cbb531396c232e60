import { InvalidIdentifierError, parseTableName, quoteTableName } from '../../../lib/warehouse/identifiers';
import { redactSecrets } from '../../../lib/warehouse/redact';
import { prepareRows, type Cell } from '../../../lib/warehouse/rows';
import { InvalidTableSpecError, customTable, leadsTable, npsResponsesTable } from '../../../lib/warehouse/tables';
import { npsResponse } from '../../fixtures/npsResponses';

describe('table specs and identifiers', () => {
	it('accepts schema.table and rejects anything that is not a plain name', () => {
		expect(quoteTableName(parseTableName('analytics.nps_responses'))).toBe('"analytics"."nps_responses"');
		for (const bad of ['nps"; DROP TABLE x; --', 'a.b.c', '1table', 'with space', '', 'x'.repeat(64)]) {
			expect(() => parseTableName(bad)).toThrow(InvalidIdentifierError);
		}
		expect(() => npsResponsesTable({ keepUnknownFields: false, dimensions: ['plan', 'plan-name'] })).toThrow(/Dimension column 'plan-name'/);
		expect(() => npsResponsesTable({ keepUnknownFields: false, dimensions: ['nps_score'] })).toThrow(/clashes/);
	});

	it('checks custom mappings: names, duplicates, keys', () => {
		const base = { table: 'accounts', keepUnknownFields: false };
		expect(() => customTable({ ...base, columns: [], key: [] })).toThrow(InvalidTableSpecError);
		expect(() => customTable({ ...base, columns: [{ column: 'id', type: 'text' }], key: ['account'] })).toThrow(/Key column 'account'/);
		expect(() => customTable({ ...base, columns: [{ column: 'id', type: 'text' }, { column: 'id', type: 'integer' }], key: ['id'] })).toThrow(/mapped twice/);
		expect(() => customTable({ ...base, keepUnknownFields: true, columns: [{ column: 'extra', type: 'json' }], key: ['extra'] })).toThrow(/reserved/);
	});
});

describe('row preparation', () => {
	const nps = npsResponsesTable({ keepUnknownFields: true, dimensions: ['plan'] });

	it('reads the canonical NPS record into cells, JSON columns as JSON text', () => {
		const { rows } = prepareRows([npsResponse(4)], nps, { unknownFields: 'keep', onConflict: 'skip' });
		const cells = Object.fromEntries(nps.columns.map((column, position) => [column.name, rows[0].cells[position]]));
		expect(cells).toMatchObject({
			response_id: 'resp-4',
			nps_score: 6,
			raw_text: 'Love the new dashboard',
			themes: '["integrations"]',
			plan: 'free',
			is_update: false,
			extra: null,
		});
	});

	it('folds items repeating a key: first wins when skipping, last when updating', () => {
		const items = [npsResponse(1), npsResponse(2), npsResponse(1, { nps_score: 0 })];
		const skip = prepareRows(items, nps, { unknownFields: 'keep', onConflict: 'skip' });
		expect(skip.rows.map(({ index }) => index)).toEqual([0, 1]);
		expect(skip.duplicates).toEqual([{ index: 2, writtenAs: 0 }]);
		const update = prepareRows(items, nps, { unknownFields: 'keep', onConflict: 'update' });
		expect(update.rows.map(({ index }) => index)).toEqual([2, 1]);
		expect(update.duplicates).toEqual([{ index: 0, writtenAs: 0 }]);
	});

	it('folds keys the target holds as equal: the number 1 and the text 1 of a text column are one row', () => {
		const spec = customTable({ table: 'ids', keepUnknownFields: false, columns: [{ column: 'id', type: 'text' }], key: ['id'] });
		const { rows, duplicates } = prepareRows([{ id: 1 }, { id: '1' }, { id: 1 }], spec, { unknownFields: 'ignore', onConflict: 'skip' });
		expect(rows.map(({ cells }) => cells)).toEqual([[1]]);
		expect(duplicates).toEqual([
			{ index: 1, writtenAs: 0 },
			{ index: 2, writtenAs: 0 },
		]);
	});

	it('writes the same cells into a reused array as it builds anew, the unknown fields of one row not leaking into the next', () => {
		const items = [{ ...npsResponse(1), channel: 'email' }, npsResponse(2)];
		const { rows } = prepareRows(items, nps, { unknownFields: 'keep', onConflict: 'skip' });
		const shared: Cell[] = [];
		const extra = nps.columns.findIndex(({ name }) => name === 'extra');
		expect([...rows[0].cellsInto(shared)]).toEqual(rows[0].cells);
		expect(shared[extra]).toBe('{"channel":"email"}');
		expect([...rows[1].cellsInto(shared)]).toEqual(rows[1].cells);
		expect(shared[extra]).toBeNull();
	});

	it('fails items without a key, or with unknown fields when asked to', () => {
		const leads = leadsTable({ keepUnknownFields: false });
		const { rows, failures } = prepareRows([{ first_name: 'No Contact' }, { phone: '+5511987654321', fax: '123' }], leads, {
			unknownFields: 'fail',
			onConflict: 'skip',
		});
		expect(rows).toEqual([]);
		expect(failures.map(({ index, reason }) => [index, reason])).toEqual([
			[0, "Key column 'lead_key' is empty"],
			[1, "Unknown field 'fax': the table has no column for it"],
		]);
	});

	it("writes a lead's arrival into received_at, and keeps the pack's own annotations out of extra and out of the unknown fields", () => {
		const leads = leadsTable({ keepUnknownFields: true });
		const lead = {
			email: 'ana@acme.com',
			received_at: '2026-12-05T09:30:00.000Z',
			_dedupe: { status: 'unique', id: 'ana@acme.com' },
			_dead_letter: { id: 7 },
			fax: '123',
		};
		const { rows } = prepareRows([lead], leads, { unknownFields: 'keep', onConflict: 'skip' });
		const cell = (name: string) => rows[0].cells[leads.columns.findIndex((column) => column.name === name)];
		expect(cell('received_at')).toEqual(expect.anything());
		expect(String(cell('received_at'))).toMatch(/^2026-12-05.09:30:00/);
		expect(cell('extra')).toBe('{"fax":"123"}');
		const strict = prepareRows([{ ...lead, fax: undefined }], leadsTable({ keepUnknownFields: false }), { unknownFields: 'fail', onConflict: 'skip' });
		expect(strict.failures.map(({ reason }) => reason)).toEqual(["Unknown field 'fax': the table has no column for it"]);
	});

	it('never lets a credential value through a message', () => {
		expect(redactSecrets('password authentication failed: hunter22 rejected', ['hunter22'])).toBe('password authentication failed: [redacted] rejected');
		expect(redactSecrets('a b c', ['', undefined, 'b'])).toBe('a b c');
	});
});
