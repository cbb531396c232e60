import { checkField, isoDate, utcMidnightMs, type CheckContext, type FieldRule } from '../../../lib/crm/fieldRules';

function check(raw: unknown, rule: FieldRule, truncate = false) {
	const ctx: CheckContext = { errors: [], warnings: [], truncate, crmLabel: 'Test CRM' };
	return { value: checkField('Field', raw, rule, ctx), errors: ctx.errors, warnings: ctx.warnings };
}

describe('checkField', () => {
	it('leaves empty values out instead of sending blanks', () => {
		for (const empty of [undefined, null, '', '   ', []]) expect(check(empty, { type: 'text' })).toEqual({ value: undefined, errors: [], warnings: [] });
	});

	it('counts length in characters, so a cut never splits an emoji', () => {
		const text = `${'a'.repeat(9)}😀😀`;
		expect(check(text, { type: 'text', maxLength: 11 }).value).toBe(text);
		const { value, warnings } = check(text, { type: 'text', maxLength: 10 }, true);
		expect(value).toBe(`${'a'.repeat(9)}😀`);
		expect(warnings).toEqual([{ field: 'Field', code: 'truncated', message: "Field cut from 11 to 10 characters; removed '😀'" }]);
	});

	it('reads numbers written as text, and checks whole numbers and ranges', () => {
		const score: FieldRule = { type: 'number', integer: true, min: 0, max: 10 };
		expect(check('8', score).value).toBe(8);
		expect(check(7.5, score).errors[0].code).toBe('not_an_integer');
		expect(check(11, score).errors[0]).toEqual({ field: 'Field', code: 'out_of_range', message: 'Field 11 is outside 0..10' });
		expect(check('8 of 10', score).errors[0].code).toBe('not_a_number');
		expect(check({ score: 8 }, { type: 'id' }).errors[0].code).toBe('not_a_number');
		expect(check(0, { type: 'id' }).errors[0].code).toBe('out_of_range');
	});

	it('reads dates from ISO text, timestamps and Date objects', () => {
		const expected = new Date('2026-03-14T15:09:26.000Z');
		expect(check('2026-03-14T15:09:26.000Z', { type: 'date' }).value).toEqual(expected);
		expect(check(expected.getTime(), { type: 'date' }).value).toEqual(expected);
		expect(check('2026-03-14', { type: 'date' }).value).toEqual(new Date('2026-03-14T00:00:00Z'));
		expect(check('14/03/2026', { type: 'date' }).errors[0].code).toBe('invalid_date');
		expect(check('2026-02-31x', { type: 'date' }).errors[0].code).toBe('invalid_date');
		expect(isoDate(expected)).toBe('2026-03-14');
		expect(utcMidnightMs(expected)).toBe(Date.UTC(2026, 2, 14));
	});

	it('splits, de-duplicates and checks multi-select values', () => {
		const themes: FieldRule = { type: 'multipicklist', values: ['Ease of use', 'Pricing'] };
		expect(check(['ease of use', 'Pricing', 'Pricing'], themes).value).toEqual(['Ease of use', 'Pricing']);
		expect(check('Pricing;Ease of use', themes).value).toEqual(['Pricing', 'Ease of use']);
		expect(check(['Pricing; Support'], { type: 'multipicklist' }).errors[0].code).toBe('separator_in_value');
		expect(check(['Support'], themes).errors[0]).toEqual({
			field: 'Field',
			code: 'not_in_picklist',
			message: "Field 'Support' is not a Test CRM picklist value (Ease of use, Pricing)",
		});
	});

	it('accepts phone numbers with punctuation and extensions, refuses fragments', () => {
		for (const phone of ['+5511987654321', '(11) 98765-4321', '+1 415 555 2671 ext. 12']) expect(check(phone, { type: 'phone' }).value).toBe(phone);
		for (const phone of ['12', 'call me', '+55 11 9876-54321 0000 0000']) expect(check(phone, { type: 'phone' }).errors[0].code).toBe('invalid_phone');
	});

	it('reads booleans written as text and refuses anything else', () => {
		expect(check('yes', { type: 'boolean' }).value).toBe(true);
		expect(check('0', { type: 'boolean' }).value).toBe(false);
		expect(check('maybe', { type: 'boolean' }).errors[0].code).toBe('not_boolean');
	});

	it('refuses objects where text is expected', () => {
		expect(check({ first: 'Maria' }, { type: 'text' }).errors).toEqual([
			{ field: 'Field', code: 'not_text', message: 'Field must be text, got an object' },
		]);
	});
});
