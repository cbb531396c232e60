import { z } from 'zod';

/**
 * One problem found in one field of one record. `message` is written for a marketing-ops
 * user reading an n8n output panel ("phone '12' is too short for BR"), `code` is stable for
 * routing in an IF node.
 */
export const fieldIssueSchema = z.object({
	field: z.string(),
	code: z.string(),
	message: z.string(),
});

export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** What every field normalizer returns: the cleaned value plus what went wrong or was fixed. */
export interface Normalized<T> {
	value: T;
	errors: FieldIssue[];
	warnings: FieldIssue[];
}

export function issue(field: string, code: string, message: string): FieldIssue {
	return { field, code, message };
}

/**
 * String(value) that never throws: String() throws on an object whose `toString` is not a function
 * (`{"toString": ""}` parsed from JSON), which then reads as its type tag ("[object Object]").
 */
export function textOf(value: unknown): string {
	if (typeof value !== 'object' || value === null) return String(value);
	try {
		return String(value);
	} catch {
		return Object.prototype.toString.call(value);
	}
}
