/** RSA key pairs for the REST targets' key-pair and service-account authentication in tests. */
import { generateKeyPairSync } from 'node:crypto';

export function rsaKeyPair(): { privateKey: string; publicKey: string } {
	return generateKeyPairSync('rsa', {
		modulusLength: 2048,
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
		publicKeyEncoding: { type: 'spki', format: 'pem' },
	});
}
