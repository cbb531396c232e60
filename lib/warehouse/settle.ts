/**
 * Outcome of work that may fail, as a value: lets retry and rollback logic decide what to do with
 * an error outside a catch clause (the n8n lint rule reserves rethrowing in catch for n8n errors,
 * which these n8n-agnostic modules do not know).
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return promise.then(
		(value) => ({ ok: true, value }),
		(error: unknown) => ({ ok: false, error }),
	);
}

export function settleSync<T>(work: () => T): Settled<T> {
	try {
		return { ok: true, value: work() };
	} catch (error) {
		return { ok: false, error };
	}
}
