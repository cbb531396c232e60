import { setField } from '../itemData';
import type { DedupeRecord } from './matcher';

export type SurvivorshipRule = 'oldest' | 'newestNonEmpty' | 'longest';

export interface MergeOptions {
	/** Which value a field keeps when members disagree; blanks are always filled from the others. */
	survivorship: SurvivorshipRule;
	/**
	 * Where a lead came from (source, campaign...): the merged record keeps the original value and
	 * records the newest one as `latest_<field>`, whatever the survivorship rule.
	 */
	sourceFields: string[];
	/** Field with each record's creation time, which orders members; arrival order when absent or unreadable. */
	timestampField?: string;
	/** Field holding record ids, for the activity history. */
	idField: string;
	/** Key the merge explanation is written under. */
	metaKey: string;
}

export interface ActivityEntry {
	id: unknown;
	at: string | null;
	source: unknown;
	campaign: unknown;
}

function isEmpty(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

/** Largest time a JavaScript Date holds, in milliseconds either side of 1970 (ECMA-262 21.4.1.1). */
const MAX_TIME_MS = 8.64e15;

function timeOf(record: DedupeRecord, field: string | undefined): number | null {
	if (field === undefined) return null;
	const value = record[field];
	const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
	// A number beyond JavaScript's date range (±8.64e15 ms) is as unreadable as text that is no date.
	return Number.isFinite(time) && Math.abs(time) <= MAX_TIME_MS ? time : null;
}

function length(value: unknown): number {
	return typeof value === 'string' ? value.trim().length : JSON.stringify(value).length;
}

/** The record's own value of `field`: a key such as '__proto__' must not read what the record inherits. */
function ownValue(record: DedupeRecord, field: string): unknown {
	return Object.hasOwn(record, field) ? record[field] : undefined;
}

function firstPresent(records: DedupeRecord[], field: string): unknown {
	for (const record of records) if (!isEmpty(ownValue(record, field))) return record[field];
	return undefined;
}

/** The canonical lead's attribution: the first touch of the oldest record, the latest of the newest. */
function mergeAttribution(ordered: DedupeRecord[]): unknown {
	const touches = ordered.map((record) => record.attribution as { original?: unknown; latest?: unknown } | undefined);
	if (!touches.some((touch) => typeof touch === 'object' && touch !== null)) return undefined;
	const present = touches.filter((touch): touch is { original?: unknown; latest?: unknown } => typeof touch === 'object' && touch !== null);
	return {
		original: present.find((touch) => !isEmpty(touch.original))?.original ?? null,
		latest: [...present].reverse().find((touch) => !isEmpty(touch.latest))?.latest ?? null,
	};
}

/** Members ordered oldest first: by timestamp when every member has one, else as given. */
function orderMembers(members: DedupeRecord[], timestampField: string | undefined): DedupeRecord[] {
	const times = members.map((record) => timeOf(record, timestampField));
	if (times.some((time) => time === null)) return members;
	return members
		.map((record, position) => ({ record, time: times[position] as number, position }))
		.sort((a, b) => a.time - b.time || a.position - b.position)
		.map(({ record }) => record);
}

/**
 * One record from a cluster of duplicates (given in arrival order, the surviving record first):
 * every field takes the value the survivorship rule picks among non-empty values, so blanks are
 * filled from newcomers; source fields keep the original and note the latest; the activity
 * history lists every member; `renewed_interest` marks a lead that came back.
 */
export function mergeCluster(members: DedupeRecord[], options: MergeOptions): DedupeRecord {
	const ordered = orderMembers(members, options.timestampField);
	const newestFirst = [...ordered].reverse();
	const fields = new Set<string>();
	for (const record of ordered) for (const field of Object.keys(record)) if (field !== options.metaKey) fields.add(field);

	const merged: DedupeRecord = {};
	for (const field of fields) {
		let value: unknown;
		if (options.survivorship === 'oldest' || options.sourceFields.includes(field)) {
			value = firstPresent(ordered, field);
		} else if (options.survivorship === 'newestNonEmpty') {
			value = firstPresent(newestFirst, field);
		} else {
			for (const record of ordered) {
				const candidate = ownValue(record, field);
				if (!isEmpty(candidate) && (value === undefined || length(candidate) > length(value))) value = candidate;
			}
		}
		setField(merged, field, value === undefined ? (ownValue(ordered[0], field) ?? null) : value);
	}
	for (const field of options.sourceFields) {
		const latest = firstPresent(newestFirst, field);
		if (latest !== undefined && fields.has(field)) merged[`latest_${field}`] = latest;
	}
	const attribution = mergeAttribution(ordered);
	if (attribution !== undefined) merged.attribution = attribution;

	const [sourceField, campaignField] = [
		options.sourceFields.find((field) => /source/i.test(field)),
		options.sourceFields.find((field) => /campaign/i.test(field)),
	];
	const activity: ActivityEntry[] = ordered.map((record) => {
		const time = timeOf(record, options.timestampField);
		return {
			id: record[options.idField] ?? null,
			at: time === null ? null : new Date(time).toISOString(),
			source: sourceField === undefined ? null : (record[sourceField] ?? null),
			campaign: campaignField === undefined ? null : (record[campaignField] ?? null),
		};
	});
	merged[options.metaKey] = {
		merged_count: ordered.length,
		renewed_interest: ordered.length > 1,
		renewed_at: activity[activity.length - 1].at,
		activity,
	};
	return merged;
}
