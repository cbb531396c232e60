import {
	getCountries,
	getCountryCallingCode,
	parsePhoneNumberWithError,
	type CountryCode,
} from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';

import { normalizePhone, type NormalizedPhone, type PhoneType } from '../../lib/lead/phone';

function valid(
	e164: string,
	country: string | null,
	type: PhoneType,
	extension: string | null = null,
): NormalizedPhone {
	return { e164, country, type, valid: true, extension };
}

const EMPTY: NormalizedPhone = {
	e164: null,
	country: null,
	type: null,
	valid: null,
	extension: null,
};
const REJECTED: NormalizedPhone = {
	e164: null,
	country: null,
	type: null,
	valid: false,
	extension: null,
};

describe('normalizePhone: national numbers in the default country', () => {
	it.each([
		// United States and Canada (NANPA): 555 numbers are valid, mobile and fixed share ranges.
		['US', '(415) 555-2671', valid('+14155552671', 'US', 'fixed_line_or_mobile')],
		['US', '415.555.2671', valid('+14155552671', 'US', 'fixed_line_or_mobile')],
		['US', '1 (415) 555-2671', valid('+14155552671', 'US', 'fixed_line_or_mobile')],
		['US', '1-800-555-0199', valid('+18005550199', 'US', 'toll_free')],
		['CA', '(604) 555-0123', valid('+16045550123', 'CA', 'fixed_line_or_mobile')],
		// A New York number entered with Canada as default is still a US number.
		['CA', '212 555 0143', valid('+12125550143', 'US', 'fixed_line_or_mobile')],
		// United Kingdom: trunk prefix 0.
		['GB', '020 7946 0958', valid('+442079460958', 'GB', 'fixed_line')],
		['GB', '07400 123456', valid('+447400123456', 'GB', 'mobile')],
		['GB', '0800 123 4567', valid('+448001234567', 'GB', 'toll_free')],
		// Germany
		['DE', '030 12345678', valid('+493012345678', 'DE', 'fixed_line')],
		['DE', '030/12345678', valid('+493012345678', 'DE', 'fixed_line')],
		['DE', '0151 23456789', valid('+4915123456789', 'DE', 'mobile')],
		// France
		['FR', '01 23 45 67 89', valid('+33123456789', 'FR', 'fixed_line')],
		['FR', '06 12 34 56 78', valid('+33612345678', 'FR', 'mobile')],
		['FR', '06.12.34.56.78', valid('+33612345678', 'FR', 'mobile')],
		// Spain and Italy: no trunk prefix; Italian fixed lines keep their leading 0.
		['ES', '912 345 678', valid('+34912345678', 'ES', 'fixed_line')],
		['ES', '612 34 56 78', valid('+34612345678', 'ES', 'mobile')],
		['IT', '02 1234 5678', valid('+390212345678', 'IT', 'fixed_line')],
		['IT', '312 345 6789', valid('+393123456789', 'IT', 'mobile')],
		// The Vatican shares +39 06 698 with Rome.
		['IT', '06 6982', valid('+39066982', 'VA', 'fixed_line')],
		// Portugal
		['PT', '21 234 5678', valid('+351212345678', 'PT', 'fixed_line')],
		['PT', '912 345 678', valid('+351912345678', 'PT', 'mobile')],
		// Brazil: mobile 9xxxx-xxxx vs fixed xxxx-xxxx, trunk prefix 0 with or without carrier code.
		['BR', '(11) 98765-4321', valid('+5511987654321', 'BR', 'mobile')],
		['BR', '11987654321', valid('+5511987654321', 'BR', 'mobile')],
		['BR', '(11) 3456-7890', valid('+551134567890', 'BR', 'fixed_line')],
		['BR', '(21) 2123-4567', valid('+552121234567', 'BR', 'fixed_line')],
		['BR', '011 98765-4321', valid('+5511987654321', 'BR', 'mobile')],
		['BR', '0 21 11 98765-4321', valid('+5511987654321', 'BR', 'mobile')],
		// "0xx11": the carrier-code placeholder BR forms print.
		['BR', '0xx11 98765-4321', valid('+5511987654321', 'BR', 'mobile')],
		['BR', '0800 123 4567', valid('+558001234567', 'BR', 'toll_free')],
		// Mexico: mobile and fixed share ranges.
		['MX', '55 1234 5678', valid('+525512345678', 'MX', 'fixed_line_or_mobile')],
		// Argentina: "15" mobile prefix becomes the international 9.
		['AR', '011 15-1234-5678', valid('+5491112345678', 'AR', 'mobile')],
		['AR', '011 4123-4567', valid('+541141234567', 'AR', 'fixed_line')],
		// Colombia, Chile
		['CO', '321 1234567', valid('+573211234567', 'CO', 'mobile')],
		['CO', '601 2345678', valid('+576012345678', 'CO', 'fixed_line')],
		['CL', '9 6123 4567', valid('+56961234567', 'CL', 'fixed_line_or_mobile')],
		['CL', '2 2123 4567', valid('+56221234567', 'CL', 'fixed_line_or_mobile')],
		// India, Australia, Japan, Netherlands
		['IN', '98765 43210', valid('+919876543210', 'IN', 'mobile')],
		['IN', '011 2345 6789', valid('+911123456789', 'IN', 'fixed_line')],
		['AU', '0412 345 678', valid('+61412345678', 'AU', 'mobile')],
		['AU', '(02) 9876 5432', valid('+61298765432', 'AU', 'fixed_line')],
		['JP', '090-1234-5678', valid('+819012345678', 'JP', 'mobile')],
		['JP', '03-1234-5678', valid('+81312345678', 'JP', 'fixed_line')],
		['NL', '06 12345678', valid('+31612345678', 'NL', 'mobile')],
		['NL', '020 123 4567', valid('+31201234567', 'NL', 'fixed_line')],
		// Russia: trunk prefix 8, which also starts toll-free 800 numbers.
		['RU', '8 (912) 345-67-89', valid('+79123456789', 'RU', 'mobile')],
		['RU', '8 (495) 123-45-67', valid('+74951234567', 'RU', 'fixed_line')],
		['RU', '8 800 555 35 35', valid('+78005553535', 'RU', 'toll_free')],
		// More countries
		['ZA', '082 123 4567', valid('+27821234567', 'ZA', 'mobile')],
		['IE', '085 123 4567', valid('+353851234567', 'IE', 'mobile')],
		['CH', '078 123 45 67', valid('+41781234567', 'CH', 'mobile')],
		['BE', '0470 12 34 56', valid('+32470123456', 'BE', 'mobile')],
		['PL', '512 345 678', valid('+48512345678', 'PL', 'mobile')],
		['SE', '070-123 45 67', valid('+46701234567', 'SE', 'mobile')],
		['NZ', '021 123 4567', valid('+64211234567', 'NZ', 'mobile')],
		['SG', '8123 4567', valid('+6581234567', 'SG', 'mobile')],
		['CN', '131 2345 6789', valid('+8613123456789', 'CN', 'mobile')],
		['KR', '010-1234-5678', valid('+821012345678', 'KR', 'mobile')],
	])('%s %j', (defaultCountry, input, expected) => {
		const result = normalizePhone(input, { defaultCountry });
		expect(result).toEqual({ value: expected, errors: [], warnings: [] });
	});

	it.each([
		['Brasil', '+5511987654321'],
		['brazil', '+5511987654321'],
		['BRA', '+5511987654321'],
		['br', '+5511987654321'],
	])(
		'takes the default country as any spelling normalizeCountry knows: %j',
		(defaultCountry, e164) => {
			expect(normalizePhone('(11) 98765-4321', { defaultCountry }).value.e164).toBe(e164);
		},
	);
});

describe('normalizePhone: international numbers', () => {
	it.each([
		['+14155552671', valid('+14155552671', 'US', 'fixed_line_or_mobile')],
		['+1 (415) 555-2671', valid('+14155552671', 'US', 'fixed_line_or_mobile')],
		['+1 416 555 0199', valid('+14165550199', 'CA', 'fixed_line_or_mobile')],
		['+1 902 555 0123', valid('+19025550123', 'CA', 'fixed_line_or_mobile')],
		['+44 20 7946 0958', valid('+442079460958', 'GB', 'fixed_line')],
		// A national 0 inside an international number is dropped.
		['+44 (0) 20 7946 0958', valid('+442079460958', 'GB', 'fixed_line')],
		['+44 7624 123456', valid('+447624123456', 'IM', 'mobile')],
		['+49 151 23456789', valid('+4915123456789', 'DE', 'mobile')],
		['+33 6 12 34 56 78', valid('+33612345678', 'FR', 'mobile')],
		['+34 612 34 56 78', valid('+34612345678', 'ES', 'mobile')],
		['+39 02 1234 5678', valid('+390212345678', 'IT', 'fixed_line')],
		['+351 912 345 678', valid('+351912345678', 'PT', 'mobile')],
		['+5511987654321', valid('+5511987654321', 'BR', 'mobile')],
		['+55 (11) 3456-7890', valid('+551134567890', 'BR', 'fixed_line')],
		['+52 55 1234 5678', valid('+525512345678', 'MX', 'fixed_line_or_mobile')],
		['+54 9 11 1234-5678', valid('+5491112345678', 'AR', 'mobile')],
		['+57 321 1234567', valid('+573211234567', 'CO', 'mobile')],
		['+56 9 6123 4567', valid('+56961234567', 'CL', 'fixed_line_or_mobile')],
		['+91 98765 43210', valid('+919876543210', 'IN', 'mobile')],
		['+61 412 345 678', valid('+61412345678', 'AU', 'mobile')],
		['+81 90-1234-5678', valid('+819012345678', 'JP', 'mobile')],
		['+31 6 12345678', valid('+31612345678', 'NL', 'mobile')],
		['+7 912 345-67-89', valid('+79123456789', 'RU', 'mobile')],
		// +7 is shared by Russia and Kazakhstan.
		['+7 701 123 4567', valid('+77011234567', 'KZ', 'mobile')],
		// Kosovo has its own calling code and the user-assigned code XK.
		['+383 43 201 234', valid('+38343201234', 'XK', 'mobile')],
		// Tristan da Cunha (libphonenumber region TA) is part of ISO's SH.
		['+290 8999', valid('+2908999', 'SH', 'fixed_line_or_mobile')],
		// Non-geographic: no country.
		['+800 1234 5678', valid('+80012345678', null, 'toll_free')],
		// Full-width and Arabic-Indic digits.
		['＋５５ １１ ９８７６５ ４３２１', valid('+5511987654321', 'BR', 'mobile')],
	])('%j', (input, expected) => {
		expect(normalizePhone(input)).toEqual({ value: expected, errors: [], warnings: [] });
		// The default country does not matter once the number says +.
		expect(normalizePhone(input, { defaultCountry: 'JP' }).value).toEqual(expected);
	});

	it('reads Arabic-Indic digits', () => {
		expect(normalizePhone('٠٢٠٧٩٤٦٠٩٥٨', { defaultCountry: 'GB' }).value).toEqual(
			valid('+442079460958', 'GB', 'fixed_line'),
		);
	});
});

describe('normalizePhone: international prefixes instead of +', () => {
	it.each([
		['00 44 20 7946 0958', undefined, valid('+442079460958', 'GB', 'fixed_line')],
		['0044 20 7946 0958', 'DE', valid('+442079460958', 'GB', 'fixed_line')],
		['00 55 11 98765-4321', 'PT', valid('+5511987654321', 'BR', 'mobile')],
		// 00 is read as + even where the default country dials out with something else.
		['00 44 20 7946 0958', 'US', valid('+442079460958', 'GB', 'fixed_line')],
		['011 44 20 7946 0958', 'US', valid('+442079460958', 'GB', 'fixed_line')],
		['011 55 11 98765 4321', 'CA', valid('+5511987654321', 'BR', 'mobile')],
		['0011 44 20 7946 0958', 'AU', valid('+442079460958', 'GB', 'fixed_line')],
		['810 44 20 7946 0958', 'RU', valid('+442079460958', 'GB', 'fixed_line')],
		['010 44 20 7946 0958', 'JP', valid('+442079460958', 'GB', 'fixed_line')],
	])('%j (default %s)', (input, defaultCountry, expected) => {
		expect(normalizePhone(input, { defaultCountry })).toEqual({
			value: expected,
			errors: [],
			warnings: [],
		});
	});

	it('reads the default country calling code written without +', () => {
		expect(normalizePhone('55 11 98765-4321', { defaultCountry: 'BR' }).value).toEqual(
			valid('+5511987654321', 'BR', 'mobile'),
		);
		expect(normalizePhone('44 20 7946 0958', { defaultCountry: 'GB' }).value).toEqual(
			valid('+442079460958', 'GB', 'fixed_line'),
		);
	});
});

describe('normalizePhone: numbers that lost their +', () => {
	it('reads a JS number without a default country as international, with a warning', () => {
		expect(normalizePhone(5511987654321)).toEqual({
			value: valid('+5511987654321', 'BR', 'mobile'),
			errors: [],
			warnings: [
				{
					field: 'phone',
					code: 'phone_assumed_international',
					message:
						"phone '5511987654321' has no + or 00; read it as the international number +5511987654321",
				},
			],
		});
	});

	it('prefers the international reading when the national one is not valid', () => {
		const result = normalizePhone('5511987654321', { defaultCountry: 'US' });
		expect(result.value).toEqual(valid('+5511987654321', 'BR', 'mobile'));
		expect(result.warnings.map((warning) => warning.code)).toEqual(['phone_assumed_international']);
	});

	it('keeps the national reading when it is valid', () => {
		expect(normalizePhone(4155552671, { defaultCountry: 'US' })).toEqual({
			value: valid('+14155552671', 'US', 'fixed_line_or_mobile'),
			errors: [],
			warnings: [],
		});
		expect(normalizePhone(14155552671, { defaultCountry: 'US' }).value.e164).toBe('+14155552671');
		expect(normalizePhone(11987654321, { defaultCountry: 'BR' }).value.e164).toBe('+5511987654321');
	});

	it('accepts a bigint', () => {
		expect(normalizePhone(BigInt('5511987654321')).value.e164).toBe('+5511987654321');
	});
});

describe('normalizePhone: extensions', () => {
	it.each([
		['+44 20 7946 0958 ext. 123', '123'],
		['+44 20 7946 0958 ext 123', '123'],
		['+44 20 7946 0958 Ext: 123', '123'],
		['+44 20 7946 0958 extension 123', '123'],
		['+44 20 7946 0958 x123', '123'],
		['+44 20 7946 0958 x 123', '123'],
		['+44 20 7946 0958 #123', '123'],
		['+44 20 7946 0958, ext. 123', '123'],
		['+44 20 7946 0958;ext=123', '123'],
		['+44 20 7946 0958 ramal 123', '123'],
		['+44 20 7946 0958 Ramal: 123', '123'],
		['+44 20 7946 0958 r. 123', '123'],
		['+44 20 7946 0958 anexo 123', '123'],
		['+44 20 7946 0958 int. 123', '123'],
	])('%j', (input, extension) => {
		expect(normalizePhone(input)).toEqual({
			value: valid('+442079460958', 'GB', 'fixed_line', extension),
			errors: [],
			warnings: [],
		});
	});

	it('keeps the extension of a national number', () => {
		expect(normalizePhone('(11) 3456-7890 ramal 2041', { defaultCountry: 'BR' }).value).toEqual(
			valid('+551134567890', 'BR', 'fixed_line', '2041'),
		);
		expect(normalizePhone('(415) 555-2671 x12', { defaultCountry: 'US' }).value).toEqual(
			valid('+14155552671', 'US', 'fixed_line_or_mobile', '12'),
		);
	});
});

describe('normalizePhone: numbers inside text', () => {
	it.each([
		[
			'call me at +1 (415) 555-2671 after 5pm',
			undefined,
			valid('+14155552671', 'US', 'fixed_line_or_mobile'),
		],
		['Tel: 020 7946 0958', 'GB', valid('+442079460958', 'GB', 'fixed_line')],
		['Tel.: +49 30 12345678', undefined, valid('+493012345678', 'DE', 'fixed_line')],
		['Celular: (11) 98765-4321', 'BR', valid('+5511987654321', 'BR', 'mobile')],
		['tel:+1-415-555-2671', undefined, valid('+14155552671', 'US', 'fixed_line_or_mobile')],
		['mobile: +44 7400 123456 (evenings)', undefined, valid('+447400123456', 'GB', 'mobile')],
		['2nd floor, call 020 7946 0958', 'GB', valid('+442079460958', 'GB', 'fixed_line')],
		[
			'Office +1 415 555 2671 x 45, ask for Ana',
			undefined,
			valid('+14155552671', 'US', 'fixed_line_or_mobile', '45'),
		],
	])('%j (default %s)', (input, defaultCountry, expected) => {
		expect(normalizePhone(input, { defaultCountry })).toEqual({
			value: expected,
			errors: [],
			warnings: [],
		});
	});

	it('keeps the first of two numbers and says so', () => {
		expect(normalizePhone('020 7946 0958 or 07400 123456', { defaultCountry: 'GB' })).toEqual({
			value: valid('+442079460958', 'GB', 'fixed_line'),
			errors: [],
			warnings: [
				{
					field: 'phone',
					code: 'phone_multiple_numbers',
					message:
						"phone '020 7946 0958 or 07400 123456' holds more than one number; kept +442079460958",
				},
			],
		});
	});

	it('keeps the longer number when the other is short', () => {
		expect(normalizePhone('07400 123456 / 2 lines', { defaultCountry: 'GB' })).toEqual({
			value: valid('+447400123456', 'GB', 'mobile'),
			errors: [],
			warnings: [],
		});
	});
});

describe('normalizePhone: unverified numbers', () => {
	it('keeps a number of possible length that is not in an assigned range, with a warning', () => {
		expect(normalizePhone('+55 21 0123 4567')).toEqual({
			value: {
				e164: '+552101234567',
				country: 'BR',
				type: 'unknown',
				valid: false,
				extension: null,
			},
			errors: [],
			warnings: [
				{
					field: 'phone',
					code: 'phone_unverified',
					message:
						"phone '+55 21 0123 4567' has a possible length for BR but is not in a range BR assigns; kept +552101234567 unverified",
				},
			],
		});
	});

	it('does so for national numbers too', () => {
		const result = normalizePhone('07700 900123', { defaultCountry: 'GB' });
		expect(result.value).toEqual({
			e164: '+447700900123',
			country: 'GB',
			type: 'unknown',
			valid: false,
			extension: null,
		});
		expect(result.errors).toEqual([]);
		expect(result.warnings.map((warning) => warning.code)).toEqual(['phone_unverified']);
	});
});

describe('normalizePhone: errors', () => {
	it.each([
		['12', 'BR', 'phone_too_short', "phone '12' is too short for BR"],
		['1234', 'BR', 'phone_too_short', "phone '1234' is too short for BR"],
		['+55 11 1234', undefined, 'phone_too_short', "phone '+55 11 1234' is too short for BR"],
		['+44 20', undefined, 'phone_too_short', "phone '+44 20' is too short for +44"],
		[
			'+55 11 98765-43210',
			undefined,
			'phone_too_long',
			"phone '+55 11 98765-43210' is too long for BR",
		],
		['(11) 98765-432100', 'BR', 'phone_too_long', "phone '(11) 98765-432100' is too long for BR"],
		['+49 30 1', undefined, 'phone_too_short', "phone '+49 30 1' is too short for DE"],
		[
			'+33 1 23 45 67 8',
			undefined,
			'phone_too_short',
			"phone '+33 1 23 45 67 8' is too short for FR",
		],
		[
			'+41 78 123 45 678',
			undefined,
			'phone_invalid',
			"phone '+41 78 123 45 678' is not a valid CH number",
		],
		['+351 91 234 56', undefined, 'phone_too_short', "phone '+351 91 234 56' is too short for PT"],
		[
			'+57 321 123 456',
			undefined,
			'phone_invalid',
			"phone '+57 321 123 456' is not a valid CO number",
		],
		[
			'+999 1234567',
			undefined,
			'phone_unknown_country_code',
			"phone '+999 1234567' does not start with a country calling code that exists",
		],
		[
			'+0 415 555 2671',
			undefined,
			'phone_unknown_country_code',
			"phone '+0 415 555 2671' does not start with a country calling code that exists",
		],
		[
			'987654321',
			undefined,
			'phone_no_country',
			"phone '987654321' has no country code and no default country was given",
		],
		[
			'(11) 98765-4321',
			undefined,
			'phone_no_country',
			"phone '(11) 98765-4321' has no country code and no default country was given",
		],
		[
			'(11) 98765-4321',
			'Narnia',
			'phone_no_country',
			"phone '(11) 98765-4321' has no country code and the default country 'Narnia' is not a country we know",
		],
		[
			'(11) 98765-4321',
			'AQ',
			'phone_no_country',
			"phone '(11) 98765-4321' has no country code and the default country 'AQ' has no phone numbering plan",
		],
		['abc', 'BR', 'phone_not_a_number', "phone 'abc' is not a phone number"],
		['call me maybe', 'BR', 'phone_not_a_number', "phone 'call me maybe' is not a phone number"],
		[
			'ask reception',
			undefined,
			'phone_not_a_number',
			"phone 'ask reception' is not a phone number",
		],
	])('%j (default %s) -> %s', (input, defaultCountry, code, message) => {
		expect(normalizePhone(input, { defaultCountry })).toEqual({
			value: REJECTED,
			errors: [{ field: 'phone', code, message }],
			warnings: [],
		});
	});

	it.each([
		[12.5, "phone '12.5' is not a phone number"],
		[-5511987654321, "phone '-5511987654321' is not a phone number"],
		[Number.NaN, "phone 'NaN' is not a phone number"],
		[true, 'phone is a boolean, not a phone number'],
		[{ number: '+5511987654321' }, 'phone is an object, not a phone number'],
		[['+5511987654321'], 'phone is an object, not a phone number'],
	])('rejects %j', (input, message) => {
		expect(normalizePhone(input)).toEqual({
			value: REJECTED,
			errors: [{ field: 'phone', code: 'phone_not_a_number', message }],
			warnings: [],
		});
	});

	it('names the field it was given', () => {
		expect(normalizePhone('12', { defaultCountry: 'BR', field: 'mobile_phone' }).errors).toEqual([
			{
				field: 'mobile_phone',
				code: 'phone_too_short',
				message: "mobile_phone '12' is too short for BR",
			},
		]);
		expect(normalizePhone(5511987654321, { field: 'mobile_phone' }).warnings[0].field).toBe(
			'mobile_phone',
		);
	});

	it('shortens a long value in messages', () => {
		const text = `please call ${'and call again '.repeat(10)}12`;
		const [error] = normalizePhone(text, { defaultCountry: 'BR' }).errors;
		expect(error.message).toBe(`phone '${text.slice(0, 40)}…' is too short for BR`);
	});
});

describe('normalizePhone: empty input', () => {
	it.each([
		undefined,
		null,
		'',
		'   ',
		'\t\n',
		'-',
		'--',
		'()',
		'+',
		'N/A',
		'n/a',
		'none',
		'NULL',
		'unknown',
		'not provided',
	])('%j gives all nulls and no issues', (input) => {
		expect(normalizePhone(input, { defaultCountry: 'BR' })).toEqual({
			value: EMPTY,
			errors: [],
			warnings: [],
		});
	});

	it('gives each call its own value and arrays', () => {
		const first = normalizePhone('', {});
		first.value.e164 = 'changed';
		first.errors.push({ field: 'phone', code: 'x', message: 'x' });
		expect(normalizePhone('', {})).toEqual({ value: EMPTY, errors: [], warnings: [] });
		const rejected = normalizePhone('abc');
		rejected.value.e164 = 'changed';
		expect(normalizePhone('abc').value).toEqual(REJECTED);
	});
});

describe('normalizePhone: agrees with libphonenumber-js', () => {
	// normalizePhone answers most numbers from its own compiled copy of libphonenumber's rules;
	// this checks that copy against the library on every country's example number and on
	// variants of it (changed, missing and extra digits), written internationally and nationally.
	let seed = 12345;
	function random(below: number): number {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed % below;
	}

	function variants(nationalNumber: string): string[] {
		const result = [nationalNumber];
		for (let i = 0; i < 12; i++) {
			const digits = nationalNumber.split('');
			for (let changes = 1 + random(3); changes > 0; changes--) {
				digits[random(digits.length)] = String(random(10));
			}
			if (i % 4 === 1) digits.pop();
			if (i % 4 === 2) digits.push(String(random(10)));
			result.push(digits.join(''));
		}
		return result;
	}

	const ISO_COUNTRY: Record<string, string> = { AC: 'SH', TA: 'SH' };

	function libraryReading(text: string, defaultCountry: CountryCode | undefined): NormalizedPhone {
		try {
			const number = parsePhoneNumberWithError(text, { defaultCountry, extract: false });
			const country = number.country ? (ISO_COUNTRY[number.country] ?? number.country) : null;
			if (number.isValid()) {
				const type = (number.getType()?.toLowerCase() ?? 'unknown') as PhoneType;
				return { e164: number.number, country, type, valid: true, extension: null };
			}
			if (number.isPossible()) {
				return { e164: number.number, country, type: 'unknown', valid: false, extension: null };
			}
		} catch {
			// Rejected by the library: too short, too long, unknown calling code.
		}
		return REJECTED;
	}

	it.each(getCountries())('%s', (country) => {
		const example = mobileExamples[country];
		if (!example) return;
		const callingCode = getCountryCallingCode(country);
		for (const nationalNumber of variants(example)) {
			const international = `+${callingCode}${nationalNumber}`;
			expect([international, normalizePhone(international).value]).toEqual([
				international,
				libraryReading(international, undefined),
			]);
			// A national number the library cannot read may be read as international (00 prefix
			// or a lost +); those readings are tested above.
			const national = normalizePhone(nationalNumber, { defaultCountry: country });
			const nationalByLibrary = libraryReading(nationalNumber, country);
			if (!nationalByLibrary.valid && national.value.valid) continue;
			expect([nationalNumber, national.value]).toEqual([nationalNumber, nationalByLibrary]);
		}
	});
});
