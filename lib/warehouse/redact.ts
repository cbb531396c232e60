/** Messages shown in n8n must never carry a secret, even when a driver echoes one back. */
export function redactSecrets(message: string, secrets: Array<string | undefined>): string {
	let redacted = message;
	for (const secret of secrets) {
		// Very short values (a one-character password) would blank out ordinary words.
		if (secret && secret.length >= 4) redacted = redacted.split(secret).join('[redacted]');
	}
	return redacted;
}
