import { DEFAULT_REASON_FIELDS, HASH_KEY_SOURCE, canonicalJson, describeReason, readFailure, type FailureOptions } from '../../../lib/deadLetters/failure';

const OPTIONS: FailureOptions = { reasonFields: DEFAULT_REASON_FIELDS, maxItemBytes: 1024 * 1024 };

function read(json: Record<string, unknown>, options: Partial<FailureOptions> = {}) {
	const outcome = readFailure(json, { ...OPTIONS, ...options });
	if (!outcome.ok) throw new Error(outcome.error);
	return outcome.failure;
}

describe('reason', () => {
	it("reads n8n's error output, HTTP Request's details and this pack's invalid items", () => {
		expect(read({ email: 'a@x.com', error: 'Request failed with status code 503' }).reason).toBe('Request failed with status code 503');
		expect(
			read({
				error: { message: 'Request failed with status code 400', name: 'AxiosError' },
				details: { message: 'Bad request - please check your parameters', description: 'Property values were not valid', httpCode: '400' },
			}).reason,
		).toBe('Request failed with status code 400 | Bad request - please check your parameters: Property values were not valid');
		expect(
			read({ errors: [{ field: 'email', code: 'invalid_email', message: "email 'x' has no @" }, { field: 'phone', code: 'too_short', message: 'phone too short' }] }).reason,
		).toBe("email: email 'x' has no @; phone: phone too short");
		expect(read({ email: 'a@x.com' }).reason).toBe('No reason on the item (looked at error, errors, details)');
		expect(read({ failure: { reason: { message: 'db down' } } }, { reasonFields: ['failure.reason'] }).reason).toBe('db down');
	});

	it('cuts a very long message without splitting a character', () => {
		const reason = read({ error: `${'x'.repeat(3999)}😀${'y'.repeat(10_000)}` }).reason;
		expect(reason.startsWith('x'.repeat(3999))).toBe(true);
		expect(reason).toMatch(/… \(10002 more characters\)$/);
		expect(describeReason({ code: 7 })).toBe('{"code":7}');
	});
});

describe('item and key', () => {
	it('stores the item without the reason fields and the dead-letter annotation', () => {
		const failure = read({ email: 'a@x.com', error: 'boom', errors: [], _dead_letter: { id: 3 } });
		expect(failure.item).toEqual({ email: 'a@x.com' });
		expect(failure.itemJson).toBe('{"email":"a@x.com"}');
	});

	it("takes the item from Item Field (Warehouse Insert's Failed output)", () => {
		expect(read({ error: 'CHECK constraint failed', row: { a: 1 }, item: { response_id: 'r1' } }, { itemField: 'item' }).item).toEqual({ response_id: 'r1' });
		expect(readFailure({ error: 'x' }, { ...OPTIONS, itemField: 'item' })).toEqual({ ok: false, error: "Item Field 'item' is missing on the item" });
	});

	it('keys by the key field of the record (a Webhook item: its body), else by a hash that ignores key order and the reason', () => {
		expect(read({ email_match_key: 'jane@acme.com', error: 'x' }, { keyField: 'email_match_key' })).toMatchObject({ key: 'jane@acme.com', keySource: 'field:email_match_key' });
		expect(read({ headers: { 'x-request-id': '1' }, body: { response_id: 'r9' } }, { keyField: 'response_id' })).toMatchObject({ key: 'r9', keySource: 'field:response_id' });
		const a = read({ email: 'a@x.com', name: { first: 'A', last: 'B' }, error: 'one' }, { keyField: 'email_match_key' });
		const b = read({ name: { last: 'B', first: 'A' }, email: 'a@x.com', error: 'two' });
		expect(a.keySource).toBe(HASH_KEY_SOURCE);
		expect(a.key).toMatch(/^[0-9a-f]{64}$/);
		expect(b.key).toBe(a.key);
		expect(read({ email: 'b@x.com' }).key).not.toBe(a.key);
		// A Webhook item's headers change per request: the hash is of the body.
		expect(read({ headers: { 'x-request-id': '1' }, body: { a: 1 } }).key).toBe(read({ headers: { 'x-request-id': '2' }, body: { a: 1 } }).key);
	});

	it('writes canonical JSON with own __proto__ keys as keys', () => {
		const hostile = JSON.parse('{"b":1,"__proto__":{"x":1},"a":[{"d":2,"c":null}]}') as Record<string, unknown>;
		expect(canonicalJson(hostile)).toBe('{"__proto__":{"x":1},"a":[{"c":null,"d":2}],"b":1}');
		const failure = read(hostile);
		expect(failure.itemJson).toBe(JSON.stringify(hostile));
		expect(Object.keys(failure.item as object)).toEqual(['b', '__proto__', 'a']);
		expect(Object.getPrototypeOf(failure.item)).toBe(Object.prototype);
	});

	it('routes out an item too large, too deep or not JSON, saying why', () => {
		expect(readFailure({ blob: 'x'.repeat(3 * 1024 * 1024) }, OPTIONS)).toEqual({
			ok: false,
			error: 'The item is 3.0 MB, more than the 1.0 MB the dead-letter store accepts (option Max Item Size): not stored',
		});
		let deep: Record<string, unknown> = {};
		for (let index = 0; index < 200_000; index++) deep = { next: deep };
		expect(readFailure(deep, OPTIONS)).toEqual({ ok: false, error: 'The item nests too deeply: not stored' });
		expect(readFailure({ big: 1n }, OPTIONS)).toMatchObject({ ok: false, error: expect.stringMatching(/^The item cannot be written as JSON \(.*BigInt/) });
	});
});
