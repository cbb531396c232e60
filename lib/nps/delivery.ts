/** One HTTP request from a survey tool, as the receiver sees it before trusting any of it. */
export interface NpsDelivery {
	method: string;
	/** Header names lower-cased, as Node's http module gives them. */
	headers: Record<string, string | string[] | undefined>;
	/** The exact bytes received: signatures are computed over these, never over re-serialized JSON. */
	rawBody: Buffer;
}

/** A header's value; repeated headers are joined with ", " as HTTP allows. */
export function headerValue(delivery: NpsDelivery, name: string): string | undefined {
	const value = delivery.headers[name.toLowerCase()];
	if (value === undefined) return undefined;
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` -> `application/json`). */
export function mediaType(delivery: NpsDelivery): string {
	return (headerValue(delivery, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}
