/** Earliest and latest instants accepted (1990 .. 2200): anything else is a sender bug, not a survey. */
const EARLIEST_MS = Date.UTC(1990, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/** ISO 8601 with a zone (`2019-05-10T06:46:02+00:00`, `...Z`, `...-07:00`, fractional seconds). */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** `2016-08-04 13:57:26 -0700` (Wootric form posts) or `2019-06-26 13:28:11` (Qualtrics, UTC). */
const SPACED = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?: ?(Z|UTC|[+-]\d{2}:?\d{2}))?$/;
const UNIX_SECONDS = /^\d{9,11}(\.\d+)?$/;

function fromMillis(ms: number): string | null {
	if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms > LATEST_MS) return null;
	return new Date(ms).toISOString();
}

function zoneSuffix(zone: string | undefined): string {
	if (zone === undefined || zone === 'Z' || zone === 'UTC') return 'Z';
	return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

/**
 * A timestamp as ISO 8601 UTC, from the forms survey tools send: ISO strings with a zone,
 * `YYYY-MM-DD HH:MM:SS [zone]` (no zone means UTC), or Unix seconds as a number or string.
 * Returns null for anything else, including impossible dates.
 */
export function toIsoUtc(value: unknown): string | null {
	if (typeof value === 'number') return fromMillis(value * 1000);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (UNIX_SECONDS.test(text)) return fromMillis(Number(text) * 1000);
	if (ISO_WITH_ZONE.test(text)) return checkedParse(text, text.slice(0, 10));
	const spaced = SPACED.exec(text);
	if (spaced) return checkedParse(`${spaced[1]}T${spaced[2]}${zoneSuffix(spaced[3])}`, spaced[1]);
	return null;
}

/** Date.parse rolls 2023-02-30 over to March: reject dates whose calendar day does not exist. */
function checkedParse(iso: string, calendarDay: string): string | null {
	const [year, month, day] = calendarDay.split('-').map(Number);
	const probe = new Date(Date.UTC(year, month - 1, day));
	if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
	return fromMillis(Date.parse(iso));
}
