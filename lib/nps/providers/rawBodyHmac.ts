import { headerValue, type NpsDelivery } from '../delivery';
import { hmacMatchesAny, type HmacScheme } from '../signature';

/** The common scheme: an HMAC of the raw body, keyed with the shared secret, in one header. */
export function rawBodyHmac(header: string, scheme: HmacScheme) {
	return (delivery: NpsDelivery, secrets: string[]): boolean =>
		hmacMatchesAny(scheme, secrets, delivery.rawBody, headerValue(delivery, header));
}
