/** Retention options given in days ("Max Age (Days)"): 0, empty or nonsense keeps everything. */
const DAY_MS = 86_400_000;

/** The age in milliseconds, or undefined when nothing expires. */
export function maxAgeMs(days: unknown): number | undefined {
	const value = Number(days ?? 0);
	return Number.isFinite(value) && value > 0 ? value * DAY_MS : undefined;
}

/** The time before which records have expired, or undefined when nothing expires. */
export function expiryCutoff(days: unknown, now: Date = new Date()): Date | undefined {
	const age = maxAgeMs(days);
	return age === undefined ? undefined : new Date(now.getTime() - age);
}
