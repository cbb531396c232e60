import type { FieldIssue } from '../schema/issue';
import { parseDeliveryBody } from './body';
import { headerValue, type NpsDelivery } from './delivery';
import { PROVIDERS } from './providers';
import type { FetchNeeded, IgnoredEvent, ParsedResponse, ProviderId, ProviderSettings } from './providers/types';
import { signaturesEqual } from './signature';

/** How an unsigned provider's deliveries prove where they come from. */
export type SharedAuth = { kind: 'none' } | { kind: 'header'; headerName: string } | { kind: 'basicAuth'; username: string };

/**
 * How deliveries are checked: the provider's own signature (signed providers), a shared secret, or
 * nothing at all (the user's explicit choice, for any provider).
 */
export type DeliveryAuth = { kind: 'signature' } | SharedAuth;

export interface ReceiverConfig {
	provider: ProviderId;
	/** Signing secrets (signed providers) or shared secrets (header / basic auth password); several while rotating. */
	secrets: string[];
	auth: DeliveryAuth;
	settings: Omit<ProviderSettings, 'receivedAt'>;
}

/** What the sender is told when a delivery is refused; never anything about the secret. */
export interface Rejection {
	kind: 'rejected';
	status: 400 | 401 | 405 | 415;
	body: { error: string; problems?: FieldIssue[] };
}

export interface Acceptance {
	kind: 'accepted';
	outcome: ParsedResponse | IgnoredEvent | FetchNeeded;
	/** The parsed request body (kept on records when the user asks for the raw payload). */
	body: Record<string, unknown>;
}

const UNAUTHORIZED: Rejection = { kind: 'rejected', status: 401, body: { error: 'unauthorized' } };

export function invalidPayload(problems: FieldIssue[]): Rejection {
	return { kind: 'rejected', status: 400, body: { error: 'invalid payload', problems } };
}

function anySecretEquals(presented: string | undefined, secrets: string[]): boolean {
	if (presented === undefined) return false;
	let matched = false;
	for (const secret of secrets) if (signaturesEqual(presented, secret)) matched = true;
	return matched;
}

function sharedAuthPasses(delivery: NpsDelivery, auth: SharedAuth, secrets: string[]): boolean {
	if (auth.kind === 'none') return true;
	if (auth.kind === 'header') return anySecretEquals(headerValue(delivery, auth.headerName)?.trim(), secrets);
	const authorization = headerValue(delivery, 'authorization') ?? '';
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
	if (!match) return false;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon === -1) return false;
	const usernameMatches = signaturesEqual(decoded.slice(0, colon), auth.username);
	return anySecretEquals(decoded.slice(colon + 1), secrets) && usernameMatches;
}

/**
 * Everything about one delivery that needs no I/O: who sent it (signature or shared secret over
 * the raw bytes, 401), whether its body can be read (415/400), and what it says (400 naming each
 * bad field, or the response / ignored event / API fetch it asks for). Never throws on input.
 */
export function receiveDelivery(delivery: NpsDelivery, config: ReceiverConfig, nowMs: number): Rejection | Acceptance {
	if (delivery.method.toUpperCase() !== 'POST') return { kind: 'rejected', status: 405, body: { error: 'method not allowed' } };
	const provider = PROVIDERS[config.provider];
	if (!provider) return { kind: 'rejected', status: 400, body: { error: `unknown provider '${config.provider}'` } };
	const secrets = config.secrets.filter((secret) => secret !== '');
	const authentic =
		config.auth.kind === 'signature'
			? secrets.length > 0 && provider.verify !== undefined && provider.verify(delivery, secrets, nowMs)
			: sharedAuthPasses(delivery, config.auth, secrets);
	if (!authentic) return UNAUTHORIZED;

	const parsed = parseDeliveryBody(delivery);
	if (!parsed.ok) {
		const error = parsed.status === 415 ? 'unsupported media type' : 'invalid payload';
		return { kind: 'rejected', status: parsed.status, body: { error, problems: [parsed.problem] } };
	}
	const outcome = provider.parse(parsed.body, { ...config.settings, receivedAt: new Date(nowMs).toISOString() });
	if (outcome.kind === 'invalid') return invalidPayload(outcome.problems);
	return { kind: 'accepted', outcome, body: parsed.body };
}
