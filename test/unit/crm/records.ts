/** Canonical records for the CRM mapping tests, checked against THE canonical schemas. */
import { canonicalLeadSchema, type CanonicalLead } from '../../../lib/schema/lead';
import { canonicalNpsResponseSchema, npsSegment, type CanonicalNpsResponse } from '../../../lib/schema/nps';

export function lead(overrides: Partial<CanonicalLead> & Record<string, unknown> = {}): CanonicalLead {
	return canonicalLeadSchema.parse({
		email: 'maria.silva@acme.com.br',
		email_domain: 'acme.com.br',
		email_is_free: false,
		email_match_key: 'maria.silva@acme.com.br',
		phone: '+5511987654321',
		phone_country: 'BR',
		phone_type: 'mobile',
		phone_valid: true,
		phone_extension: null,
		first_name: 'Maria',
		last_name: 'da Silva',
		full_name: 'Maria da Silva',
		company: 'ACME Ltda',
		company_match_key: 'acme',
		job_title: 'Head of Marketing',
		website: 'https://acme.com.br',
		website_domain: 'acme.com.br',
		country: 'BR',
		state: 'SP',
		city: 'São Paulo',
		postal_code: '01310-100',
		industry: 'Technology',
		attribution: {
			original: {
				source: 'google',
				medium: 'cpc',
				campaign: 'q1',
				term: null,
				content: null,
				click_ids: {},
				landing_page: null,
				referrer: null,
				at: null,
			},
			latest: null,
		},
		consent: { given: true, date: '2026-03-01T10:00:00.000Z', source: 'form', policy_version: 'v2' },
		warnings: [],
		...overrides,
	});
}

export function npsResponse(overrides: Partial<CanonicalNpsResponse> = {}): CanonicalNpsResponse {
	const score = overrides.nps_score ?? 8;
	return canonicalNpsResponseSchema.parse({
		response_id: 'resp-1',
		provider: 'delighted',
		survey_id: 'nps-q1',
		identity_key: 'customer@acme.com',
		identity_type: 'email',
		email: 'customer@acme.com',
		customer_id: '54321',
		survey_date: '2026-03-14T15:09:26.000Z',
		nps_score: score,
		nps_segment: npsSegment(score),
		comment: 'Great support, but onboarding was slow.',
		themes: ['Ease of use', 'Customer support'],
		properties: { plan: 'pro' },
		received_at: '2026-03-14T15:09:27.000Z',
		is_update: false,
		...overrides,
	});
}
