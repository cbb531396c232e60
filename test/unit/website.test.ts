import { normalizeWebsite } from '../../lib/lead/website';

describe('normalizeWebsite', () => {
	it.each([
		['acme.com', 'https://acme.com', 'acme.com'],
		['  www.Acme.com.br/ ', 'https://www.acme.com.br', 'acme.com.br'],
		['http://shop.example.co.uk/pt?ref=1', 'http://shop.example.co.uk/pt?ref=1', 'shop.example.co.uk'],
		['HTTPS://WWW.GLOBEX.IO', 'https://www.globex.io', 'globex.io'],
		['construção.com.br', 'https://xn--construo-xza3b.com.br', 'construção.com.br'],
	])('%s -> url %s, domain %s', (input, url, domain) => {
		expect(normalizeWebsite(input)).toEqual({ value: { url, domain }, errors: [], warnings: [] });
	});

	it.each([[null], [undefined], [''], ['   ']])('empty input %p gives nulls without issues', (input) => {
		expect(normalizeWebsite(input)).toEqual({ value: { url: null, domain: null }, errors: [], warnings: [] });
	});

	it.each([['not a site'], ['http://'], ['localhost'], ['mailto:ana@acme.com'], ['https://-bad-.com']])(
		'%s is left out with a warning naming it',
		(input) => {
			const result = normalizeWebsite(input, 'site');
			expect(result.value).toEqual({ url: null, domain: null });
			expect(result.errors).toEqual([]);
			expect(result.warnings).toEqual([
				{ field: 'site', code: 'invalid_url', message: `website '${input}' is not a web address; it was left out` },
			]);
		},
	);
});
