import { mentionsSubject, subjectHash, subjectOf } from '../../../lib/privacy/subject';

describe('the subject of an erasure request', () => {
	it('normalises like Normalize Lead: Gmail dots and +tags, E.164 phones', () => {
		const { subject, issues } = subjectOf({ email: 'Maria.Silva+promo@gmail.com', phone: '(11) 98765-4321', identityKey: ' cus_42 ' }, 'BR');
		expect(issues).toEqual([]);
		expect(subject).toEqual({ emailKeys: ['mariasilva@gmail.com'], emailDomains: ['gmail.com'], phones: ['+5511987654321'], identityKeys: ['cus_42'] });
	});

	it('refuses a request that names nobody, and names a field it cannot read', () => {
		expect(subjectOf({}).issues).toEqual([expect.objectContaining({ field: 'email', code: 'no_identifier' })]);
		expect(subjectOf({ email: 'not an address' }).issues).toEqual([expect.objectContaining({ field: 'email', code: 'invalid_email' })]);
	});

	it('finds the person in nested records whatever the spelling, and nobody else', () => {
		const { subject } = subjectOf({ email: 'Maria.Silva+promo@gmail.com', phone: '+55 11 98765-4321' });
		expect(mentionsSubject({ email: 'mariasilva@gmail.com' }, subject)).toBe(true);
		expect(mentionsSubject({ body: { contact: ['x', 'M.A.R.I.A.S.I.L.V.A@GMAIL.COM'] } }, subject)).toBe(true);
		// A phone written without country code is read in the record's own country.
		expect(mentionsSubject({ phone: '(11) 98765-4321', country: 'BR' }, subject)).toBe(true);
		expect(mentionsSubject({ phone: '(11) 98765-4321', country: 'US' }, subject)).toBe(false);
		expect(mentionsSubject({ email: 'mariasilva@outlook.com', phone: '+5511987654322' }, subject)).toBe(false);
	});

	it('looks for an identity key in identity fields only, whatever their spelling', () => {
		const { subject } = subjectOf({ identityKey: '9' });
		expect(mentionsSubject({ customer_id: 9 }, subject)).toBe(true);
		expect(mentionsSubject({ body: { 'Customer ID': '9' } }, subject)).toBe(true);
		expect(mentionsSubject({ nps_score: 9, comment: '9', response_id: '9' }, subject)).toBe(false);
	});

	it('hashes the identifiers under the salt: stable for one person, different per salt and per person', () => {
		const one = subjectOf({ email: 'Maria.Silva+promo@gmail.com' }).subject;
		const same = subjectOf({ email: 'mariasilva@gmail.com' }).subject;
		const other = subjectOf({ email: 'joao@gmail.com' }).subject;
		expect(subjectHash(one, 'salt-a')).toMatch(/^[0-9a-f]{64}$/);
		expect(subjectHash(one, 'salt-a')).toBe(subjectHash(same, 'salt-a'));
		expect(subjectHash(one, 'salt-a')).not.toBe(subjectHash(one, 'salt-b'));
		expect(subjectHash(one, 'salt-a')).not.toBe(subjectHash(other, 'salt-a'));
		expect(subjectHash(one, 'salt-a')).not.toContain('maria');
	});
});
