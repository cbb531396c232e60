import { normalizeConsent } from '../../lib/lead/consent';
import { parseDateTime } from '../../lib/lead/text';
import { consentSchema } from '../../lib/schema/lead';

const NOW = Date.parse('2025-06-15T12:00:00Z');

function givenOf(consent: unknown): boolean | null {
	const result = normalizeConsent({ consent, consent_date: '2025-01-01' }, NOW);
	expect(result.errors).toEqual([]);
	return result.value.given;
}

describe('normalizeConsent: given', () => {
	it.each([
		'yes', 'Yes', 'YES', 'y', 'true', 'TRUE', '1', 'on', 'checked', 'accepted', 'agree', 'I agree', 'I accept',
		'opt-in', 'Opt In', 'opted in', 'subscribed', 'granted', 'ok',
		'sim', 'Sim', 'S', 'aceito', 'Aceite', 'concordo', 'Eu concordo', 'autorizo', 'verdadeiro',
		'sí', 'Si', 'SÍ', 'acepto', 'de acuerdo', 'Estoy de acuerdo', 'verdadero',
		'I agree to receive marketing emails from Acme',
		'Aceito receber comunicações da empresa',
		'Sim, quero receber novidades',
		'Acepto la política de privacidad',
		'Yes, I agree to the privacy policy',
		'Yes please',
		'Sim, aceito receber e-mails',
		'Sim, eu concordo',
		'Sí, acepto',
		'Sí, quiero recibir novedades',
	])('%j is a yes', (answer) => {
		expect(givenOf(answer)).toBe(true);
	});

	it.each([
		'no', 'No', 'NO', 'n', 'false', '0', 'off', 'unchecked', 'declined', 'rejected', 'disagree', 'opt-out', 'Opted out',
		'unsubscribed', 'denied', 'revoked', 'withdrawn',
		'não', 'Nao', 'NÃO', 'recusado', 'falso', 'Não aceito', 'Não aceito receber e-mails', 'Não autorizo o contato',
		'No acepto', 'No estoy de acuerdo', 'rechazado', 'I do not agree', "I don't agree to be contacted",
		'No, thanks', 'Não, obrigado', 'No, gracias', 'No, I do not agree', 'Não, não aceito',
	])('%j is a no', (answer) => {
		expect(givenOf(answer)).toBe(false);
	});

	it.each<[unknown, boolean]>([
		[true, true],
		[false, false],
		[1, true],
		[0, false],
		[['I agree'], true],
		[['sim'], true],
		[[true], true],
		[['não'], false],
	])('reads %j as %s', (answer, given) => {
		expect(givenOf(answer)).toBe(given);
	});

	it.each([[undefined], [null], [''], ['   '], [[]]])('reads %j as not said (null) without issues', (answer) => {
		expect(normalizeConsent({ consent: answer }, NOW)).toEqual({
			value: { given: null, date: null, source: null, policy_version: null },
			errors: [],
			warnings: [],
		});
	});

	it.each<[unknown, string]>([
		['maybe', "consent 'maybe' is not yes or no"],
		['  talvez ', "consent 'talvez' is not yes or no"],
		['quizás', "consent 'quizás' is not yes or no"],
		[2, "consent '2' is not yes or no"],
		[-1, "consent '-1' is not yes or no"],
		[['yes', 'no'], 'consent \'["yes","no"]\' is not yes or no'],
		[{ status: 'granted' }, 'consent \'{"status":"granted"}\' is not yes or no'],
		['Yesterday', "consent 'Yesterday' is not yes or no"],
		['Please call me', "consent 'Please call me' is not yes or no"],
		['Quero saber mais', "consent 'Quero saber mais' is not yes or no"],
	])('rejects %j', (answer, message) => {
		expect(normalizeConsent({ consent: answer, consent_date: '2025-01-01' }, NOW)).toEqual({
			value: { given: null, date: '2025-01-01T00:00:00.000Z', source: null, policy_version: null },
			errors: [{ field: 'consent', code: 'invalid_consent', message }],
			warnings: [],
		});
	});
});

describe('normalizeConsent: date', () => {
	function dateOf(consentDate: unknown): string | null {
		const result = normalizeConsent({ consent: 'no', consent_date: consentDate }, NOW);
		expect(result.errors).toEqual([]);
		expect(result.warnings).toEqual([]);
		return result.value.date;
	}

	it.each<[unknown, string]>([
		['2024-03-01T13:45:10Z', '2024-03-01T13:45:10.000Z'],
		['2024-03-01T13:45:10.123Z', '2024-03-01T13:45:10.123Z'],
		['2024-03-01T13:45:10.123456Z', '2024-03-01T13:45:10.123Z'],
		['2024-03-01T10:45:10-03:00', '2024-03-01T13:45:10.000Z'],
		['2024-03-01T13:45:10+0000', '2024-03-01T13:45:10.000Z'],
		['2024-03-01T15:45+02', '2024-03-01T13:45:00.000Z'],
		['2024-03-01 13:45:10', '2024-03-01T13:45:10.000Z'],
		['2024-03-01T9:05', '2024-03-01T09:05:00.000Z'],
		['2024-03-01', '2024-03-01T00:00:00.000Z'],
		['2024/03/01', '2024-03-01T00:00:00.000Z'],
		['2024-3-1', '2024-03-01T00:00:00.000Z'],
		['15/01/2024', '2024-01-15T00:00:00.000Z'],
		['15/1/2024', '2024-01-15T00:00:00.000Z'],
		['15-01-2024', '2024-01-15T00:00:00.000Z'],
		['15.01.2024', '2024-01-15T00:00:00.000Z'],
		['15/01/24', '2024-01-15T00:00:00.000Z'],
		['15/01/2024 10:23:45', '2024-01-15T10:23:45.000Z'],
		['15/01/2024, 10:23', '2024-01-15T10:23:00.000Z'],
		['01/15/2024', '2024-01-15T00:00:00.000Z'],
		['05/05/2024', '2024-05-05T00:00:00.000Z'],
		[1709300710, '2024-03-01T13:45:10.000Z'],
		[1709300710123, '2024-03-01T13:45:10.123Z'],
		['1709300710', '2024-03-01T13:45:10.000Z'],
		['1709300710123', '2024-03-01T13:45:10.123Z'],
		[new Date('2024-03-01T13:45:10Z'), '2024-03-01T13:45:10.000Z'],
		['Fri, 01 Mar 2024 13:45:10 GMT', '2024-03-01T13:45:10.000Z'],
		['Fri Mar 01 2024 10:45:10 GMT-0300 (Brasilia Standard Time)', '2024-03-01T13:45:10.000Z'],
		['March 1, 2024', '2024-03-01T00:00:00.000Z'],
		['1 Mar 2024 13:45', '2024-03-01T13:45:00.000Z'],
		['  2024-03-01  ', '2024-03-01T00:00:00.000Z'],
	])('%j -> %s', (consentDate, iso) => {
		expect(dateOf(consentDate)).toBe(iso);
	});

	it('reads an ambiguous slashed date day-first, with a warning', () => {
		expect(normalizeConsent({ consent: 'sim', consent_date: '03/04/2024' }, NOW)).toEqual({
			value: { given: true, date: '2024-04-03T00:00:00.000Z', source: null, policy_version: null },
			errors: [],
			warnings: [
				{
					field: 'consent_date',
					code: 'ambiguous_date',
					message: "consent_date '03/04/2024' could be day/month or month/day; read as day/month (2024-04-03)",
				},
			],
		});
	});

	it.each([
		'31/02/2024',
		'29/02/2023',
		'2024-13-01',
		'2024-02-30',
		'2024-01-01T25:00:00Z',
		'13/13/2024',
		'ontem',
		'yesterday',
		'version 2',
		'12',
		'2024',
		'15 de janeiro de 2024',
		'1/2',
	])('rejects %j', (consentDate) => {
		expect(normalizeConsent({ consent: 'yes', consent_date: consentDate }, NOW)).toEqual({
			value: { given: true, date: null, source: null, policy_version: null },
			errors: [{ field: 'consent_date', code: 'invalid_date', message: `consent_date '${consentDate}' is not a valid date` }],
			warnings: [],
		});
	});

	it.each<[unknown, string]>([
		[Number.NaN, 'NaN'],
		[1e20, '100000000000000000000'],
		[new Date('nope'), 'Invalid Date'],
		[{ date: '2024-01-01' }, '[object Object]'],
		[true, 'true'],
	])('rejects %j', (consentDate, shown) => {
		expect(normalizeConsent({ consent_date: consentDate }, NOW).errors).toEqual([
			{ field: 'consent_date', code: 'invalid_date', message: `consent_date '${shown}' is not a valid date` },
		]);
	});

	it('warns about a date more than a day in the future', () => {
		expect(normalizeConsent({ consent: 'yes', consent_date: '2025-06-17T12:00:00Z' }, NOW)).toEqual({
			value: { given: true, date: '2025-06-17T12:00:00.000Z', source: null, policy_version: null },
			errors: [],
			warnings: [{ field: 'consent_date', code: 'future_date', message: "consent_date '2025-06-17T12:00:00Z' is in the future" }],
		});
	});

	it('accepts a date up to a day ahead (clock skew, time zones)', () => {
		expect(normalizeConsent({ consent: 'yes', consent_date: '2025-06-16T11:00:00Z' }, NOW).warnings).toEqual([]);
	});

	it('does not depend on the server time zone for dates without a zone', () => {
		expect(parseDateTime('2024-03-01 13:45', 'x').value).toBe('2024-03-01T13:45:00.000Z');
		expect(parseDateTime('March 1, 2024 13:45', 'x').value).toBe('2024-03-01T13:45:00.000Z');
	});

	it('warns when consent is given without a date', () => {
		expect(normalizeConsent({ consent: 'yes' }, NOW)).toEqual({
			value: { given: true, date: null, source: null, policy_version: null },
			errors: [],
			warnings: [{ field: 'consent_date', code: 'consent_date_missing', message: 'consent was given but no consent date was sent' }],
		});
	});

	it('does not ask for a date when consent was refused or not said', () => {
		expect(normalizeConsent({ consent: 'não' }, NOW).warnings).toEqual([]);
		expect(normalizeConsent({ consent: null }, NOW).warnings).toEqual([]);
	});

	it('does not add consent_date_missing on top of invalid_date', () => {
		const result = normalizeConsent({ consent: 'yes', consent_date: 'n/a' }, NOW);
		expect(result.errors.map((error) => error.code)).toEqual(['invalid_date']);
		expect(result.warnings).toEqual([]);
	});
});

describe('normalizeConsent: source and policy version', () => {
	it('trims text and turns numbers into text', () => {
		expect(
			normalizeConsent(
				{ consent: 'yes', consent_date: '2025-01-01', consent_source: '  Formulário do site  ', consent_policy_version: 2 },
				NOW,
			).value,
		).toEqual({ given: true, date: '2025-01-01T00:00:00.000Z', source: 'Formulário do site', policy_version: '2' });
		expect(normalizeConsent({ consent_source: 'facebook_lead_ad', consent_policy_version: ' v2024-03 ' }, NOW).value).toEqual({
			given: null,
			date: null,
			source: 'facebook_lead_ad',
			policy_version: 'v2024-03',
		});
	});

	it.each([[''], ['  '], [null], [{ v: 1 }], [true]])('gives null for %j', (value) => {
		expect(normalizeConsent({ consent_source: value, consent_policy_version: value }, NOW).value).toEqual({
			given: null,
			date: null,
			source: null,
			policy_version: null,
		});
	});

	it('produces values consentSchema accepts', () => {
		const { value } = normalizeConsent(
			{ consent: 'Sí', consent_date: '15/01/2024 10:00', consent_source: 'landing', consent_policy_version: '1.2' },
			NOW,
		);
		expect(consentSchema.parse(value)).toEqual(value);
	});
});
