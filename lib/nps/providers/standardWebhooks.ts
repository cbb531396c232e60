import { headerValue, type NpsDelivery } from '../delivery';
import { hmac, signaturesEqual } from '../signature';

/** Standard Webhooks' tolerance for the signed timestamp, both ways (replays and clock skew). */
const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** `whsec_<base64>` (or bare base64) -> the HMAC key bytes, as the Standard Webhooks libraries do. */
function signingKey(secret: string): Buffer {
	const trimmed = secret.trim();
	return Buffer.from(trimmed.startsWith('whsec_') ? trimmed.slice('whsec_'.length) : trimmed, 'base64');
}

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` holds space-separated `v1,<base64>`
 * HMAC-SHA256 signatures of `<webhook-id>.<webhook-timestamp>.<raw body>`; the timestamp must be
 * within five minutes of now, so a captured delivery cannot be replayed later.
 */
export function verifyStandardWebhook(delivery: NpsDelivery, secrets: string[], nowMs: number): boolean {
	const id = headerValue(delivery, 'webhook-id');
	const timestamp = headerValue(delivery, 'webhook-timestamp');
	const signatures = headerValue(delivery, 'webhook-signature');
	if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp.trim())) return false;
	if (Math.abs(nowMs / 1000 - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return false;
	const signed = Buffer.concat([Buffer.from(`${id}.${timestamp.trim()}.`, 'utf8'), delivery.rawBody]);
	const presented = signatures
		.split(' ')
		.filter((entry) => entry.startsWith('v1,'))
		.map((entry) => entry.slice(3));
	let matched = false;
	for (const secret of secrets) {
		const expected = hmac('sha256', signingKey(secret), signed, 'base64');
		for (const candidate of presented) if (signaturesEqual(candidate, expected)) matched = true;
	}
	return matched;
}
