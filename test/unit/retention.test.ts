import { expiryCutoff, maxAgeMs } from '../../lib/retention';

describe('retention in days', () => {
	it('turns days into an age and a cutoff; 0, empty or nonsense keeps everything', () => {
		expect(maxAgeMs(2)).toBe(172_800_000);
		expect(maxAgeMs('0.5')).toBe(43_200_000);
		expect(expiryCutoff(30, new Date('2026-12-31T00:00:00Z'))).toEqual(new Date('2026-12-01T00:00:00Z'));
		for (const keep of [0, -1, '', undefined, null, 'abc', Infinity]) expect(expiryCutoff(keep)).toBeUndefined();
	});
});
