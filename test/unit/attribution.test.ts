import {
	captureTouch,
	channelOfReferrer,
	mergeAttribution,
	readExistingAttribution,
	type TouchFields,
} from '../../lib/lead/attribution';
import type { Touch } from '../../lib/schema/lead';
import { touchSchema } from '../../lib/schema/lead';

function touch(overrides: Partial<Touch>): Touch {
	return {
		source: null,
		medium: null,
		campaign: null,
		term: null,
		content: null,
		click_ids: {},
		landing_page: null,
		referrer: null,
		at: null,
		...overrides,
	};
}

function captured(fields: TouchFields): Touch | null {
	const result = captureTouch(fields);
	expect(result.errors).toEqual([]);
	expect(result.warnings).toEqual([]);
	return result.value;
}

describe('captureTouch: UTM values', () => {
	it('takes UTM fields, lower-casing source and medium and only trimming the rest', () => {
		expect(
			captured({
				utm_source: ' Facebook ',
				utm_medium: 'Paid_Social',
				utm_campaign: '  Black Friday 2024 – BR ',
				utm_term: ' CRM para PMEs ',
				utm_content: 'Video_A',
			}),
		).toEqual(
			touch({ source: 'facebook', medium: 'paid_social', campaign: 'Black Friday 2024 – BR', term: 'CRM para PMEs', content: 'Video_A' }),
		);
	});

	it('turns numeric values into text', () => {
		expect(captured({ utm_source: 'google', utm_campaign: 1234567, utm_content: 42 })).toEqual(
			touch({ source: 'google', campaign: '1234567', content: '42' }),
		);
	});

	it('reads missing ones from the landing page query, decoding + and %XX, matching names in any case', () => {
		const landingPage = 'https://www.acme.com/lp?UTM_Source=Google&utm_medium=CPC&utm_campaign=Black+Friday%202024&utm_term=crm%20b2b&utm_content=';
		expect(captured({ landing_page: landingPage })).toEqual(
			touch({ source: 'google', medium: 'cpc', campaign: 'Black Friday 2024', term: 'crm b2b', landing_page: landingPage }),
		);
	});

	it('lets the fields win over the landing page', () => {
		expect(captured({ utm_source: 'newsletter', utm_medium: '', landing_page: 'https://acme.com/?utm_source=google&utm_medium=cpc' })).toEqual(
			touch({ source: 'newsletter', medium: 'cpc', landing_page: 'https://acme.com/?utm_source=google&utm_medium=cpc' }),
		);
	});

	it('fills what is still missing from a referrer carrying utm tags, after the landing page', () => {
		expect(
			captured({
				landing_page: 'https://acme.com/pricing?utm_campaign=spring',
				referrer: 'https://acme.com/blog?utm_source=blog&utm_medium=internal&utm_campaign=old',
			}),
		).toEqual(
			touch({
				source: 'blog',
				medium: 'internal',
				campaign: 'spring',
				landing_page: 'https://acme.com/pricing?utm_campaign=spring',
				referrer: 'https://acme.com/blog?utm_source=blog&utm_medium=internal&utm_campaign=old',
			}),
		);
	});

	it('takes the first of repeated parameters', () => {
		expect(captured({ landing_page: 'https://acme.com/?utm_source=a&utm_source=b' })?.source).toBe('a');
	});
});

describe('captureTouch: click ids', () => {
	it('collects click ids from the fields and the landing page', () => {
		expect(captured({ gclid: ' Cj0KCQjw ', msclkid: 'abc123', landing_page: 'https://acme.com/?fbclid=IwAR0x&ttclid=E.C.P&wbraid=WB1&foo=1' })).toEqual(
			touch({
				source: 'google',
				medium: 'cpc',
				click_ids: { gclid: 'Cj0KCQjw', msclkid: 'abc123', fbclid: 'IwAR0x', ttclid: 'E.C.P', wbraid: 'WB1' },
				landing_page: 'https://acme.com/?fbclid=IwAR0x&ttclid=E.C.P&wbraid=WB1&foo=1',
			}),
		);
	});

	it('keeps the field value when the URL has the same click id', () => {
		expect(captured({ gclid: 'from-field', landing_page: 'https://acme.com/?gclid=from-url' })?.click_ids).toEqual({ gclid: 'from-field' });
	});

	it.each<[TouchFields, string, string]>([
		[{ gclid: 'x' }, 'google', 'cpc'],
		[{ landing_page: 'https://acme.com/?gbraid=x' }, 'google', 'cpc'],
		[{ msclkid: 'x' }, 'bing', 'cpc'],
		[{ li_fat_id: 'x' }, 'linkedin', 'paid_social'],
		[{ ttclid: 'x' }, 'tiktok', 'paid_social'],
		[{ fbclid: 'x' }, 'facebook', 'social'],
		[{ fbclid: 'x', gclid: 'y' }, 'google', 'cpc'],
		[{ gclid: 'x', referrer: 'https://www.google.com/' }, 'google', 'cpc'],
	])('derives source and medium from %j', (fields, source, medium) => {
		const result = captured(fields);
		expect(result?.source).toBe(source);
		expect(result?.medium).toBe(medium);
	});

	it('keeps a medium that was given when it derives the source', () => {
		expect(captured({ gclid: 'x', utm_medium: 'Display' })).toMatchObject({ source: 'google', medium: 'display' });
	});

	it('never overrides a given utm_source', () => {
		expect(captured({ gclid: 'x', utm_source: 'partner' })).toMatchObject({ source: 'partner', medium: null });
	});
});

describe('captureTouch: referrer', () => {
	it.each([
		['https://www.google.com/', 'google', 'organic'],
		['https://www.google.com.br/', 'google', 'organic'],
		['https://google.es/search?q=crm', 'google', 'organic'],
		['https://www.google.co.uk/', 'google', 'organic'],
		['android-app://com.google.android.googlequicksearchbox/https/www.google.com', 'google', 'organic'],
		['https://www.bing.com/search?q=crm', 'bing', 'organic'],
		['https://cn.bing.com/', 'bing', 'organic'],
		['https://search.yahoo.com/', 'yahoo', 'organic'],
		['https://br.search.yahoo.com/', 'yahoo', 'organic'],
		['https://duckduckgo.com/', 'duckduckgo', 'organic'],
		['https://www.ecosia.org/', 'ecosia', 'organic'],
		['https://www.facebook.com/', 'facebook', 'social'],
		['https://l.facebook.com/l.php?u=https%3A%2F%2Facme.com', 'facebook', 'social'],
		['https://m.facebook.com/', 'facebook', 'social'],
		['https://lm.facebook.com/', 'facebook', 'social'],
		['https://www.linkedin.com/feed/', 'linkedin', 'social'],
		['https://br.linkedin.com/', 'linkedin', 'social'],
		['https://lnkd.in/abc', 'linkedin', 'social'],
		['https://t.co/xyz', 'twitter', 'social'],
		['https://x.com/acme', 'twitter', 'social'],
		['https://l.instagram.com/', 'instagram', 'social'],
		['https://www.youtube.com/watch?v=1', 'youtube', 'social'],
		['https://m.youtube.com/', 'youtube', 'social'],
		['https://youtu.be/abc', 'youtube', 'social'],
		['https://www.tiktok.com/', 'tiktok', 'social'],
		['https://web.whatsapp.com/', 'whatsapp', 'social'],
		['https://www.googleadservices.com/pagead/aclk', 'google', 'cpc'],
		['https://mail.google.com/mail/u/0/', 'mail.google.com', 'referral'],
		['https://www.partner.com.br/artigo', 'partner.com.br', 'referral'],
		['https://blog.Example.io/post', 'blog.example.io', 'referral'],
		['https://facebook.example.com/', 'facebook.example.com', 'referral'],
		['https://google.evil.com/', 'google.evil.com', 'referral'],
	])('%s -> %s / %s', (referrer, source, medium) => {
		expect(captured({ referrer, landing_page: 'https://acme.com/' })).toMatchObject({ source, medium, referrer });
	});

	it('accepts a referrer without scheme or protocol-relative', () => {
		expect(captured({ referrer: 'www.google.com' })).toEqual(touch({ source: 'google', medium: 'organic', referrer: 'https://www.google.com' }));
		expect(captured({ referrer: '//www.bing.com/' })).toEqual(touch({ source: 'bing', medium: 'organic', referrer: 'https://www.bing.com/' }));
	});

	it('derives nothing from a referrer on the landing page host (internal navigation)', () => {
		expect(captured({ referrer: 'https://www.acme.com/blog', landing_page: 'https://acme.com/pricing' })).toEqual(
			touch({ referrer: 'https://www.acme.com/blog', landing_page: 'https://acme.com/pricing' }),
		);
	});

	it('lets UTM tags beat the referrer', () => {
		expect(captured({ referrer: 'https://www.facebook.com/', landing_page: 'https://acme.com/?utm_source=ig&utm_medium=paid_social' })).toMatchObject({
			source: 'ig',
			medium: 'paid_social',
		});
	});

	it('keeps a given medium when the source comes from the referrer', () => {
		expect(captured({ referrer: 'https://www.linkedin.com/', utm_medium: 'email' })).toMatchObject({ source: 'linkedin', medium: 'email' });
	});

	it.each(['(direct)', '$direct', 'direct', '(none)', 'null'])('treats %j as no referrer, without a warning', (referrer) => {
		expect(captureTouch({ referrer })).toEqual({ value: null, errors: [], warnings: [] });
	});

	it.each(['https://google.com', 'https://news.google.com'])('matches channelOfReferrer for %s', (url) => {
		expect(captured({ referrer: url })).toMatchObject(channelOfReferrer(new URL(url).hostname));
	});
});

describe('captureTouch: landing page', () => {
	it('keeps a landing page alone with source and medium unknown', () => {
		expect(captured({ landing_page: ' https://acme.com/demo ' })).toEqual(touch({ landing_page: 'https://acme.com/demo' }));
	});

	it('adds https:// to a landing page without scheme', () => {
		expect(captured({ landing_page: 'www.acme.com.br/lp?utm_source=RD' })).toEqual(
			touch({ source: 'rd', landing_page: 'https://www.acme.com.br/lp?utm_source=RD' }),
		);
	});

	it('reads a site-relative path, ignoring its fragment', () => {
		expect(captured({ landing_page: '/precos?utm_source=email&utm_campaign=Abril#planos' })).toEqual(
			touch({ source: 'email', campaign: 'Abril', landing_page: '/precos?utm_source=email&utm_campaign=Abril#planos' }),
		);
		expect(captured({ landing_page: '/precos#x?utm_source=email' })).toEqual(touch({ landing_page: '/precos#x?utm_source=email' }));
	});

	it('accepts localhost and other hosts with an explicit scheme', () => {
		expect(captured({ landing_page: 'http://localhost:3000/?utm_source=test' })).toMatchObject({ source: 'test' });
	});

	it.each(['not a url', 'acme', 'https://exa mple.com/', 'javascript:alert(1)'])('leaves out %j with a warning', (landingPage) => {
		expect(captureTouch({ landing_page: landingPage, utm_source: 'google' })).toEqual({
			value: touch({ source: 'google' }),
			errors: [],
			warnings: [{ field: 'landing_page', code: 'invalid_url', message: `landing_page '${landingPage}' is not a web address; it was left out` }],
		});
	});

	it('warns about an invalid referrer and still returns the rest', () => {
		expect(captureTouch({ referrer: 'ht!tp://???', landing_page: 'https://acme.com/' })).toEqual({
			value: touch({ landing_page: 'https://acme.com/' }),
			errors: [],
			warnings: [{ field: 'referrer', code: 'invalid_url', message: "referrer 'ht!tp://???' is not a web address; it was left out" }],
		});
	});
});

describe('captureTouch: query reading agrees with WHATWG URL', () => {
	/** The oracle: what URL and URLSearchParams make of the same text. */
	function expectedFrom(url: string): { campaign: string | null; gclid: string | null; host: string } {
		const parsed = new URL(url);
		let campaign: string | null = null;
		let gclid: string | null = null;
		for (const [name, value] of parsed.searchParams) {
			if (name.toLowerCase() === 'utm_campaign' && value.trim() !== '') campaign ??= value.trim();
			if (name.toLowerCase() === 'gclid' && value.trim() !== '') gclid ??= value.trim();
		}
		return { campaign, gclid, host: parsed.hostname };
	}

	it.each([
		'https://acme.com/?utm_campaign=Black+Friday%20%E2%80%93%20BR',
		'https://acme.com/?utm_campaign=100%25+off',
		'https://acme.com/?utm_campaign=100%+off',
		'https://acme.com/?utm_campaign=%ZZbad%20escape',
		'https://acme.com/?utm_campaign=%C3%28',
		'https://acme.com/?utm%5Fcampaign=encoded-name',
		'https://acme.com/?UTM_CAMPAIGN=Upper&gclid=G1',
		'https://acme.com/?utm_campaign=&utm_campaign=second',
		'https://acme.com/?utm_campaign=%20%20padded%20',
		'https://acme.com/?utm_campaign=a=b=c&gclid',
		'https://acme.com/?&&utm_campaign=x&&',
		'https://acme.com/?utm_campaign',
		'https://acme.com/p#frag?utm_campaign=in-fragment',
		'https://acme.com/p?utm_campaign=before#x&gclid=after',
		'https://ACME.com:8080/p?utm_campaign=port',
		'https://user:pass@acme.com/?utm_campaign=userinfo',
		'https://açaí.com.br/?utm_campaign=idn',
		'https://192.168.0.10/?utm_campaign=ip',
		'http://localhost:3000/?utm_campaign=local',
		'https://acme.com?utm_campaign=no-slash',
		'https://acme.com/caminho com espaço?utm_campaign=com espaço',
		'https://acme.com/?utm_campaign=ação&gclid=Cj0+KCQ',
	])('%s', (url) => {
		const expected = expectedFrom(url);
		const result = captured({ referrer: url });
		expect(result?.campaign ?? null).toBe(expected.campaign);
		expect(result?.click_ids.gclid ?? null).toBe(expected.gclid);
		if (expected.gclid === null) expect(result?.source).toBe(expected.host.replace(/^www\./, ''));
	});
});

describe('captureTouch: time and emptiness', () => {
	it('returns null when there is no attribution information', () => {
		expect(captureTouch({})).toEqual({ value: null, errors: [], warnings: [] });
		expect(captureTouch({ utm_source: '  ', gclid: null, landing_page: '', referrer: undefined })).toEqual({ value: null, errors: [], warnings: [] });
	});

	it('returns null for a time alone', () => {
		expect(captureTouch({ at: '2024-01-15T10:00:00Z' })).toEqual({ value: null, errors: [], warnings: [] });
	});

	it('returns null, with the warning, when the only information was an invalid URL', () => {
		const result = captureTouch({ landing_page: 'nope' });
		expect(result.value).toBeNull();
		expect(result.warnings.map((warning) => warning.code)).toEqual(['invalid_url']);
	});

	it.each([
		['2024-03-01T13:45:10+0000', '2024-03-01T13:45:10.000Z'],
		['2024-03-01 10:45:10-03:00', '2024-03-01T13:45:10.000Z'],
		[1709300710, '2024-03-01T13:45:10.000Z'],
		['01/03/2024 13:45', '2024-03-01T13:45:00.000Z'],
	])('records the time %j as %s', (at, iso) => {
		expect(captureTouch({ utm_source: 'google', at }).value?.at).toBe(iso);
	});

	it('leaves out an unreadable time with a warning, not an error', () => {
		expect(captureTouch({ utm_source: 'google', at: 'yesterday' })).toEqual({
			value: touch({ source: 'google' }),
			errors: [],
			warnings: [{ field: 'created_at', code: 'invalid_date', message: "created_at 'yesterday' is not a valid date" }],
		});
	});

	it('produces touches that touchSchema accepts', () => {
		const result = captureTouch({
			gclid: 'x',
			landing_page: 'https://acme.com/?utm_campaign=a',
			referrer: 'https://www.google.com/',
			at: '2024-01-01',
		});
		expect(touchSchema.parse(result.value)).toEqual(result.value);
	});
});

describe('mergeAttribution', () => {
	const first = touch({ source: 'google', medium: 'organic' });
	const second = touch({ source: 'newsletter', medium: 'email' });
	const third = touch({ source: 'facebook', medium: 'paid_social' });

	it('starts both sides with the first touch', () => {
		expect(mergeAttribution(undefined, first)).toEqual({ original: first, latest: first });
	});

	it('keeps the original and moves latest to the new touch', () => {
		expect(mergeAttribution({ original: first, latest: second }, third)).toEqual({ original: first, latest: third });
	});

	it('keeps latest when there is no new touch', () => {
		expect(mergeAttribution({ original: first, latest: second }, null)).toEqual({ original: first, latest: second });
		expect(mergeAttribution(undefined, null)).toEqual({ original: null, latest: null });
	});

	it('sets the original when the existing attribution had none', () => {
		expect(mergeAttribution({ original: null, latest: null }, second)).toEqual({ original: second, latest: second });
	});

	it('takes an existing latest as the original when only latest was stored', () => {
		expect(mergeAttribution({ original: null, latest: second }, third)).toEqual({ original: second, latest: third });
	});
});

describe('readExistingAttribution', () => {
	const storedOriginal = touch({ source: 'google', medium: 'cpc', click_ids: { gclid: 'abc' }, at: '2023-11-02T09:00:00.000Z' });
	const storedLatest = touch({ source: 'newsletter', medium: 'email', campaign: 'Março' });

	it('accepts a full { original, latest } object', () => {
		expect(readExistingAttribution({ original: storedOriginal, latest: storedLatest })).toEqual({
			value: { original: storedOriginal, latest: storedLatest },
			errors: [],
			warnings: [],
		});
	});

	it('accepts its JSON text (a CRM or spreadsheet column)', () => {
		expect(readExistingAttribution(JSON.stringify({ original: storedOriginal, latest: null })).value).toEqual({
			original: storedOriginal,
			latest: null,
		});
	});

	it('fills keys a hand-written touch lacks and drops keys it does not know', () => {
		expect(readExistingAttribution({ original: { source: 'linkedin', medium: 'social', note: 'imported' } }).value).toEqual({
			original: touch({ source: 'linkedin', medium: 'social' }),
			latest: null,
		});
	});

	it('ignores an invalid touch with a warning naming the problem, keeping the valid side', () => {
		expect(readExistingAttribution({ original: storedOriginal, latest: { source: 5 } })).toEqual({
			value: { original: storedOriginal, latest: null },
			errors: [],
			warnings: [
				{
					field: 'attribution.latest',
					code: 'invalid_attribution',
					message: 'attribution.latest is not a valid touch (source: Expected string, received number); it was ignored',
				},
			],
		});
		expect(readExistingAttribution({ original: 'google' }).warnings).toEqual([
			{ field: 'attribution.original', code: 'invalid_attribution', message: 'attribution.original is not a valid touch (it is not an object); it was ignored' },
		]);
		expect(readExistingAttribution({ original: touch({ click_ids: { gclid: 1 } as unknown as Record<string, string> }) }).warnings[0].message).toContain(
			'click_ids.gclid: Expected string',
		);
	});

	it.each([[undefined], [null], [''], ['  ']])('gives undefined and no issue for %j', (value) => {
		expect(readExistingAttribution(value)).toEqual({ value: undefined, errors: [], warnings: [] });
	});

	it.each([['{not json'], [[storedOriginal]], [{ source: 'google' }], [42]])('ignores %j with a warning', (value) => {
		expect(readExistingAttribution(value, 'attribution')).toEqual({
			value: undefined,
			errors: [],
			warnings: [{ field: 'attribution', code: 'invalid_attribution', message: 'attribution is not an { original, latest } object; it was ignored' }],
		});
	});

	it('keeps the stored first touch through a new touch', () => {
		const existing = readExistingAttribution({ original: storedOriginal, latest: storedLatest }).value;
		const newTouch = captureTouch({ utm_source: 'facebook', utm_medium: 'paid_social' }).value;
		expect(mergeAttribution(existing, newTouch)).toEqual({ original: storedOriginal, latest: newTouch });
	});
});
