/**
 * Form fills for the lead capture end-to-end tests. The Dedupe history and the warehouse live on in an
 * n8n instance from test to test, so each test posts people of its own: person n has its own email, phone
 * and company, and no two people match each other by any B2B rule.
 */
export function formLead(n: number): Record<string, string> {
	return {
		'E-mail': `  Jane.Doe${n}@Acme${n}.io `,
		'First Name': 'jane',
		'Last Name': 'DOE',
		Company: `Acme ${n} Inc.`,
		Phone: `(212) 736-${5000 + n}`,
		Country: 'United States',
		'Job Title': 'VP Marketing',
	};
}

/** Person n's form fill stating marketing consent ('yes' or 'no'), when, where and under which policy. */
export function consentingLead(n: number, consent: 'yes' | 'no'): Record<string, string> {
	return {
		...formLead(n),
		'Marketing Consent': consent,
		'Consent Date': '2026-12-01T10:00:00Z',
		'Consent Source': 'pricing page form',
		'Consent Policy Version': 'v3',
	};
}

/** Person n's email as Normalize Lead writes it. */
export const emailOf = (n: number): string => `jane.doe${n}@acme${n}.io`;

/** Person n's phone in E.164. */
export const phoneOf = (n: number): string => `+1212736${5000 + n}`;
