/** RS256 JSON Web Tokens signed with a PEM private key (Snowflake key-pair auth, Google service accounts). */
import { createPrivateKey, createPublicKey, createHash, createSign, type KeyObject } from 'node:crypto';

function base64url(data: string | Buffer): string {
	return Buffer.from(data).toString('base64url');
}

export function privateKeyFrom(pem: string, passphrase?: string): KeyObject {
	// Keys pasted into a single-line field often carry literal "\n" sequences.
	const normalized = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
	return createPrivateKey({ key: normalized, format: 'pem', ...(passphrase ? { passphrase } : {}) });
}

export function signJwt(claims: Record<string, unknown>, key: KeyObject): string {
	const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
	const payload = base64url(JSON.stringify(claims));
	const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
	return `${header}.${payload}.${base64url(signature)}`;
}

/** SHA-256 of the public key (DER, SubjectPublicKeyInfo), base64: what Snowflake shows as RSA_PUBLIC_KEY_FP. */
export function publicKeyFingerprint(key: KeyObject): string {
	const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
	return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}
