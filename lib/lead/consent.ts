import type { FieldIssue, Normalized } from '../schema/issue';
import { issue } from '../schema/issue';
import type { Consent } from '../schema/lead';
import { foldKey, isBlank, parseDateTime, trimText } from './text';

/** The consent fields of a lead, as they came (any type). */
export interface ConsentFields {
	consent?: unknown;
	consent_date?: unknown;
	consent_source?: unknown;
	consent_policy_version?: unknown;
}

/** Answers meaning yes / no in EN/PT/ES forms, checkbox exports and consent tools, after foldKey. */
const ANSWER_BY_FOLDED_TEXT: ReadonlyMap<string, boolean> = new Map([
	...[
		'yes', 'y', 'true', 't', '1', 'on', 'checked', 'accepted', 'accept', 'agree', 'agreed', 'iagree', 'iaccept',
		'iconsent', 'consented', 'optin', 'optedin', 'subscribed', 'granted', 'allow', 'allowed', 'ok',
		'sim', 's', 'si', 'aceito', 'aceite', 'aceitou', 'concordo', 'euconcordo', 'autorizo', 'verdadeiro', 'marcado',
		'acepto', 'aceptado', 'deacuerdo', 'estoydeacuerdo', 'verdadero',
	].map((answer) => [answer, true] as const),
	...[
		'no', 'n', 'false', 'f', '0', 'off', 'unchecked', 'declined', 'decline', 'rejected', 'reject', 'disagree',
		'idonotagree', 'idontagree', 'optout', 'optedout', 'unsubscribed', 'denied', 'revoked', 'withdrawn',
		'nao', 'naoaceito', 'naoconcordo', 'naoautorizo', 'recusado', 'recuso', 'falso', 'desmarcado',
		'noacepto', 'rechazado', 'noestoydeacuerdo', 'noautorizo', 'nothanks', 'naoobrigado', 'naoobrigada', 'nogracias',
	].map((answer) => [answer, false] as const),
]);

/**
 * Beginnings of a checkbox or radio option whose value is its whole label ("I agree to receive
 * emails from Acme", "Aceito receber comunicações"), also after a leading yes / no ("Sim, aceito
 * receber e-mails", "Sí, acepto", "No, I do not agree"). Refusals are checked first, so
 * "Não aceito ..." is a no.
 */
const REFUSALS = [
	'idonotagree', 'idontagree', 'idonotconsent', 'naoaceito', 'naoconcordo', 'naoautorizo', 'noacepto', 'noautorizo',
	'noestoydeacuerdo',
];
const AGREEMENTS = [
	'iagree', 'iaccept', 'iconsent', 'aceito', 'concordo', 'euconcordo', 'euaceito', 'autorizo', 'euautorizo', 'acepto',
	'estoydeacuerdo',
];
/** Agree only after a yes: "Yes please", "Yes, I want ...", "Sim, quero ...", "Sí, quiero ...". */
const AGREEMENTS_AFTER_YES = ['please', 'iwant', 'quero', 'quiero'];

function afterWords(words: string[], phrases: string[]): string[] {
	return words.flatMap((word) => phrases.map((phrase) => word + phrase));
}

const REFUSAL_PREFIXES = [...REFUSALS, ...afterWords(['no', 'nao'], REFUSALS)];
const AGREEMENT_PREFIXES = [...AGREEMENTS, ...afterWords(['yes', 'sim', 'si'], [...AGREEMENTS, ...AGREEMENTS_AFTER_YES])];

function classifyAnswer(text: string): boolean | null {
	const folded = foldKey(text);
	const answer = ANSWER_BY_FOLDED_TEXT.get(folded);
	if (answer !== undefined) return answer;
	if (REFUSAL_PREFIXES.some((prefix) => folded.startsWith(prefix))) return false;
	if (AGREEMENT_PREFIXES.some((prefix) => folded.startsWith(prefix))) return true;
	return null;
}

/** Answer texts remembered (a form sends the same few); cleared when full, so odd inputs cannot grow it forever. */
const ANSWER_CACHE_LIMIT = 10_000;
const answerByText = new Map<string, boolean | null>();

function answerOfText(text: string): boolean | null {
	let answer = answerByText.get(text);
	if (answer === undefined) {
		answer = classifyAnswer(text);
		if (answerByText.size >= ANSWER_CACHE_LIMIT) answerByText.clear();
		answerByText.set(text, answer);
	}
	return answer;
}

/** given: true / false, null when the payload says nothing, undefined when it says something else. */
function readGiven(value: unknown): boolean | null | undefined {
	if (isBlank(value)) return null;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value === 'string') return answerOfText(value) ?? undefined;
	// A checkbox group sends a list: empty when nothing was ticked, the ticked option otherwise.
	if (Array.isArray(value)) {
		if (value.length === 0) return null;
		return value.length === 1 ? readGiven(value[0]) : undefined;
	}
	return undefined;
}

function shown(value: unknown): string {
	return typeof value === 'string' ? value.trim() : JSON.stringify(value) ?? String(value);
}

const CONSENT_RECORD_KEYS = new Set(['given', 'date', 'source', 'policy_version']);

/**
 * The consent fields of a lead as it came. A lead this node already normalized (a replay, a second
 * Normalize Lead in a chain) carries its consent as the record { given, date, source, policy_version }:
 * read it back as those fields, so normalizing a normalized lead changes nothing.
 */
export function consentFieldsOf(source: ConsentFields): ConsentFields {
	const { consent } = source;
	if (typeof consent === 'object' && consent !== null && !Array.isArray(consent) && Object.keys(consent).every((key) => CONSENT_RECORD_KEYS.has(key))) {
		const record = consent as Record<string, unknown>;
		return {
			consent: record.given,
			consent_date: record.date ?? source.consent_date,
			consent_source: record.source ?? source.consent_source,
			consent_policy_version: record.policy_version ?? source.consent_policy_version,
		};
	}
	return { consent, consent_date: source.consent_date, consent_source: source.consent_source, consent_policy_version: source.consent_policy_version };
}

/**
 * A lead's consent record.
 *
 * - consent: booleans, 1 / 0, and yes / no words in English, Portuguese and Spanish ('sim', 'sí',
 *   'não', 'opt-in', 'I agree', 'checked', 'granted', ...), also a checkbox whose value is its label
 *   ("I agree to ..."); anything else is an error `invalid_consent`. Blank means the payload says
 *   nothing (null).
 * - consent_date: ISO 8601 UTC through parseDateTime (day-first for "03/04/2024", warning
 *   `ambiguous_date`; `future_date` beyond a day ahead); unreadable is an error `invalid_date`.
 *   Consent given without a date is a warning `consent_date_missing`: proof of consent needs one.
 * - consent_source, consent_policy_version: trimmed text (numbers become text: version 2 -> '2').
 */
export function normalizeConsent(fields: ConsentFields, now = Date.now()): Normalized<Consent> {
	const errors: FieldIssue[] = [];
	const warnings: FieldIssue[] = [];

	let given = readGiven(fields.consent);
	if (given === undefined) {
		errors.push(issue('consent', 'invalid_consent', `consent '${shown(fields.consent)}' is not yes or no`));
		given = null;
	}

	const date = parseDateTime(fields.consent_date, 'consent_date', now);
	errors.push(...date.errors);
	warnings.push(...date.warnings);
	if (given === true && date.value === null && date.errors.length === 0) {
		warnings.push(issue('consent_date', 'consent_date_missing', 'consent was given but no consent date was sent'));
	}

	return {
		value: {
			given,
			date: date.value,
			source: trimText(fields.consent_source),
			policy_version: trimText(fields.consent_policy_version),
		},
		errors,
		warnings,
	};
}
