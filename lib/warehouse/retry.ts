/**
 * Retries of transient failures: exponential backoff with jitter, so many workflows hitting a
 * recovering database do not retry in lockstep, and a server's Retry-After wins over our guess.
 */
import { settle } from './settle';

export interface RetryPolicy {
	/** Tries in all, the first included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 10, baseDelayMs: 250, maxDelayMs: 10_000 };

export interface RetryHooks {
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
	/** Called before each wait, e.g. to drop a broken connection. */
	onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
}

/** An error a transport marks as worth retrying, possibly with the server's requested wait. */
export class TransientError extends Error {
	constructor(
		message: string,
		readonly retryAfterMs?: number,
	) {
		super(message);
	}
}

export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	// "Equal jitter": at least half the exponential step, so waits still grow.
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
	if (!header) return undefined;
	const trimmed = header.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
	work: () => Promise<T>,
	isTransient: (error: unknown) => boolean,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	hooks: RetryHooks = {},
): Promise<T> {
	const sleep = hooks.sleep ?? sleepFor;
	for (let attempt = 1; ; attempt++) {
		const outcome = await settle(work());
		if (outcome.ok) return outcome.value;
		const { error } = outcome;
		if (attempt >= policy.attempts || !isTransient(error)) throw error;
		const requested = error instanceof TransientError ? error.retryAfterMs : undefined;
		const delay = requested ?? backoffDelay(policy, attempt - 1, hooks.random);
		await hooks.onRetry?.(error, attempt, delay);
		await sleep(delay);
	}
}
