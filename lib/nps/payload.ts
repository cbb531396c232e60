import type { FieldIssue } from '../schema/issue';
import { issue } from '../schema/issue';
import { parseNpsScore, type NpsScale } from './score';
import { toIsoUtc } from './dates';

import { isPlainObject as isRecord } from '../itemData';

export { isRecord };

/** Splits `a.b[2].c` into `['a', 'b', 2, 'c']`; a bare numeric segment (`answers.0`) is an index too. */
function pathSegments(path: string): Array<string | number> {
	const segments: Array<string | number> = [];
	for (const part of path.split('.')) {
		const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
		if (!match) {
			segments.push(part);
			continue;
		}
		if (match[1] !== '') segments.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
		for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
	}
	return segments;
}

/** Reads `path` below `root` without throwing on any shape; own properties only. */
function valueAt(root: unknown, path: string): unknown {
	let value: unknown = root;
	for (const segment of pathSegments(path)) {
		if (typeof segment === 'number') {
			if (!Array.isArray(value)) return undefined;
			value = value[segment];
		} else {
			if (!isRecord(value) || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
			value = value[segment];
		}
	}
	return value;
}

function isAbsent(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const ID_MAX_LENGTH = 512;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * Reads typed fields out of a sender's payload and collects one problem per unreadable field,
 * named by its path in the payload, so a 400 tells the sender exactly what was wrong.
 */
export class PayloadReader {
	readonly problems: FieldIssue[] = [];

	constructor(
		readonly root: unknown,
		/** Prefix for problem paths when `root` is itself below the request body (e.g. `MSG.`). */
		private readonly pathPrefix = '',
	) {}

	get ok(): boolean {
		return this.problems.length === 0;
	}

	problem(path: string, code: string, message: string): void {
		const field = `${this.pathPrefix}${path}`;
		this.problems.push(issue(field, code, `${field}: ${message}`));
	}

	at(path: string): unknown {
		return valueAt(this.root, path);
	}

	object(path: string): Record<string, unknown> | null {
		const value = this.at(path);
		if (isAbsent(value)) return null;
		if (!isRecord(value)) {
			this.problem(path, 'not_an_object', 'must be an object');
			return null;
		}
		return value;
	}

	array(path: string): unknown[] {
		const value = this.at(path);
		if (isAbsent(value)) return [];
		if (!Array.isArray(value)) {
			this.problem(path, 'not_an_array', 'must be an array');
			return [];
		}
		return value;
	}

	/** An identifier: a non-empty string or an integer (survey tools send both). */
	id(path: string, required: boolean): string | null {
		const value = this.at(path);
		if (isAbsent(value)) {
			if (required) this.problem(path, 'missing', 'is required');
			return null;
		}
		if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
		if (typeof value === 'string' && value.trim().length <= ID_MAX_LENGTH) return value.trim();
		this.problem(path, 'invalid_id', `must be a string or an integer of at most ${ID_MAX_LENGTH} characters`);
		return null;
	}

	/** Free text (comments, names); empty is null. */
	text(path: string): string | null {
		const value = this.at(path);
		if (isAbsent(value)) return null;
		if (typeof value !== 'string') {
			this.problem(path, 'not_text', 'must be text');
			return null;
		}
		return value.trim();
	}

	/** A timestamp in any of the forms survey tools send, as ISO 8601 UTC. */
	date(path: string, required: boolean): string | null {
		const value = this.at(path);
		if (isAbsent(value)) {
			if (required) this.problem(path, 'missing', 'is required');
			return null;
		}
		const iso = toIsoUtc(value);
		if (iso === null) this.problem(path, 'invalid_date', 'must be an ISO 8601 date-time or a Unix timestamp');
		return iso;
	}

	score(path: string, scale: NpsScale): number | null {
		return this.scoreOf(this.at(path), path, scale);
	}

	/** Validates a score value already found (e.g. inside an answers array) under `path`. */
	scoreOf(value: unknown, path: string, scale: NpsScale): number | null {
		const result = parseNpsScore(value, scale);
		if ('problem' in result) {
			this.problem(path, result.code, result.problem);
			return null;
		}
		return result.score;
	}

	/** An email address, lower-cased; a malformed one is a problem, not a silently dropped identity. */
	email(path: string): string | null {
		const text = this.text(path);
		if (text === null) return null;
		if (!EMAIL.test(text)) {
			this.problem(path, 'invalid_email', 'is not an email address');
			return null;
		}
		return text.toLowerCase();
	}
}
