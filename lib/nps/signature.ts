import { createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

/**
 * Constant-time comparison of a signature the sender presented with the one we computed. Both
 * are compared as bytes of equal length; only the (public) expected length can leak.
 */
export function signaturesEqual(presented: string, expected: string): boolean {
	const presentedBytes = Buffer.from(presented, 'utf8');
	const expectedBytes = Buffer.from(expected, 'utf8');
	if (presentedBytes.length !== expectedBytes.length) return false;
	return timingSafeEqual(presentedBytes, expectedBytes);
}

export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, data: string | Buffer, encoding: SignatureEncoding): string {
	return createHmac(algorithm, key).update(data).digest(encoding);
}

export interface HmacScheme {
	algorithm: HmacAlgorithm;
	encoding: SignatureEncoding;
	/** Text before the digest in the header, e.g. `sha256=`. */
	prefix?: string;
}

/**
 * True when `presented` is the HMAC of `data` under any of `keys` (several keys are accepted so
 * a secret can be rotated without dropping deliveries). Every key is tried, match or not, so the
 * time taken does not reveal which one matched.
 */
export function hmacMatchesAny(scheme: HmacScheme, keys: Array<string | Buffer>, data: string | Buffer, presented: string | undefined): boolean {
	if (presented === undefined) return false;
	const prefix = scheme.prefix ?? '';
	let candidate = presented.trim();
	if (prefix !== '') {
		if (candidate.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return false;
		candidate = candidate.slice(prefix.length);
	}
	// Hex digests are compared case-insensitively: some senders upper-case them.
	if (scheme.encoding === 'hex') candidate = candidate.toLowerCase();
	let matched = false;
	for (const key of keys) {
		if (signaturesEqual(candidate, hmac(scheme.algorithm, key, data, scheme.encoding))) matched = true;
	}
	return matched;
}
