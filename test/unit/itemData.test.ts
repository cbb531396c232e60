import { pathReader, readPath, recordOfItem } from '../../lib/itemData';

describe('reading fields out of items', () => {
	const lead = { email: 'ana@example.com', attribution: { original: { source: 'google' }, latest: null }, tags: ['a'] };

	it('reads dotted paths, and undefined where a step is missing or not an object', () => {
		expect(readPath(lead, 'attribution.original.source')).toBe('google');
		expect(readPath(lead, 'attribution.latest.source')).toBeUndefined();
		expect(readPath(lead, 'email.length')).toBeUndefined();
		expect(readPath(lead, 'missing.field')).toBeUndefined();
		expect(readPath(lead, 'tags.0')).toBe('a');
	});

	it('never reads inherited properties such as constructor or __proto__', () => {
		expect(readPath(lead, 'constructor')).toBeUndefined();
		expect(readPath(lead, 'email.constructor')).toBeUndefined();
		expect(readPath(lead, '__proto__')).toBeUndefined();
	});

	it('reads the same path from many records with a reader built once', () => {
		const source = pathReader('attribution.original.source');
		expect([lead, { attribution: { original: { source: 'bing' } } }, {}].map(source)).toEqual(['google', 'bing', undefined]);
	});

	it('takes the body of a Webhook node item as the record', () => {
		expect(recordOfItem({ headers: { host: 'x' }, params: {}, query: {}, body: lead })).toBe(lead);
		expect(recordOfItem(lead)).toBe(lead);
	});
});
