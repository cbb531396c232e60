import { valueAt } from '../itemData';
import { foldKey, isBlank } from './text';

/** The lead fields Normalize Lead reads from an incoming item, whatever the source tool called them. */
export const CANONICAL_INPUT_FIELDS = [
	'email',
	'phone',
	'mobile_phone',
	'phone_extension',
	'first_name',
	'last_name',
	'full_name',
	'company',
	'job_title',
	'website',
	'country',
	'state',
	'city',
	'postal_code',
	'industry',
	'utm_source',
	'utm_medium',
	'utm_campaign',
	'utm_term',
	'utm_content',
	'gclid',
	'fbclid',
	'msclkid',
	'li_fat_id',
	'ttclid',
	'landing_page',
	'referrer',
	'consent',
	'consent_date',
	'consent_source',
	'consent_policy_version',
	'created_at',
] as const;

export type CanonicalInputKey = (typeof CANONICAL_INPUT_FIELDS)[number];

/** One user-defined alias: the source's field name (or a dotted path into nested objects) and the lead field it fills. */
export interface UserFieldAlias {
	alias: string;
	field: string;
}

/** User aliases as `{ email: ['Correo', 'contact.email'] }` or as a list of `{ alias, field }`. */
export type UserFieldAliases = Record<string, string[]> | UserFieldAlias[];

export interface ResolvedAliases {
	/** The value found for each lead field, as given (not trimmed or parsed). */
	canonical: Partial<Record<CanonicalInputKey, unknown>>;
	/** Item keys recognised as aliases (the losing and empty ones too), and dotted paths read from nested objects. */
	consumedKeys: ReadonlySet<string>;
}

/**
 * Built-in source names per field, compared after foldKey: 'first_name' also stands for
 * 'First Name', 'firstName' and 'FIRST_NAME', 'email' for 'E-mail', 'gclid' for Google Ads'
 * 'gcl_id'. Order matters: when an item has several aliases of one field, the first non-empty one
 * in this order wins. Covers EN/PT/ES form labels and the exports of HubSpot, Salesforce, Facebook
 * and Google Ads lead forms, LinkedIn Lead Gen, RD Station, Mailchimp and Contact Form 7. `phone`
 * and `mobile_phone` stay apart; the lead normalizer uses `phone` first and falls back to
 * `mobile_phone`.
 */
const BUILT_IN_ALIASES: Record<CanonicalInputKey, readonly string[]> = {
	email: [
		'email',
		'email_address',
		'work_email',
		'business_email',
		'contact_email',
		'user_email',
		'your-email',
		'mail',
		'correo',
		'correo_electronico',
		'email_corporativo',
	],
	phone: [
		'phone',
		'phone_number',
		'telephone',
		'tel',
		'telefone',
		'teléfono',
		'work_phone',
		'work_phone_number',
		'business_phone',
		'personal_phone',
		'contact_number',
		'your-phone',
		'numero_de_telefone',
		'numero_de_telefono',
		'telefone_fixo',
	],
	phone_extension: ['phone_extension', 'extension', 'ext', 'phone_ext', 'ramal', 'extension_telefonica'],
	mobile_phone: [
		'mobile_phone',
		'mobile',
		'mobile_number',
		'cell',
		'cell_phone',
		'celular',
		'telefone_celular',
		'móvil',
		'telefono_movil',
		'whatsapp',
		'whatsapp_number',
		'numero_whatsapp',
	],
	first_name: [
		'first_name',
		'fname',
		'given_name',
		'forename',
		'primeiro_nome',
		'nombres',
		'primer_nombre',
	],
	last_name: [
		'last_name',
		'lname',
		'surname',
		'family_name',
		'sobrenome',
		'ultimo_nome',
		'apellido',
		'apellidos',
	],
	full_name: [
		'full_name',
		'nome_completo',
		'nombre_completo',
		'your-name',
		'contact_name',
		'lead_name',
		// Generic "name" labels: the full name, or the first name when the item also has a last name.
		'name',
		'nome',
		'nombre',
	],
	company: [
		'company',
		'company_name',
		'organization',
		'organisation',
		'organization_name',
		'organizacao',
		'organización',
		'employer',
		'account',
		'account_name',
		'business_name',
		'empresa',
		'nome_da_empresa',
		'nombre_empresa',
		'nombre_de_la_empresa',
		'compañía',
		'razao_social',
		'razon_social',
	],
	job_title: [
		'job_title',
		'title',
		'position',
		'role',
		'job_role',
		'cargo',
		'função',
		'puesto',
		'ocupacion',
		'occupation',
	],
	website: [
		'website',
		'company_website',
		'site',
		'site_da_empresa',
		'sitio_web',
		'pagina_web',
		'homepage',
	],
	country: ['country', 'country_code', 'country_name', 'Country/Region', 'country_or_region', 'país', 'pais_de_residencia'],
	state: [
		'state',
		'state_code',
		'state_province',
		'state_or_province',
		'State/Region',
		'province',
		'region',
		'estado',
		'uf',
		'provincia',
	],
	city: ['city', 'town', 'cidade', 'ciudad', 'município', 'localidad', 'locality'],
	postal_code: [
		'postal_code',
		'postcode',
		'zip',
		'zipcode',
		'cep',
		'código_postal',
	],
	industry: [
		'industry',
		'sector',
		'vertical',
		'industria',
		'setor',
		'segmento',
		'ramo',
		'ramo_de_atividade',
		'rubro',
		'giro',
	],
	utm_source: ['utm_source', 'traffic_source', 'source_utm'],
	utm_medium: ['utm_medium', 'traffic_medium'],
	utm_campaign: ['utm_campaign', 'traffic_campaign', 'campaign', 'campaign_name'],
	utm_term: ['utm_term', 'keyword', 'utm_keyword'],
	utm_content: ['utm_content'],
	gclid: ['gclid', 'google_click_id'],
	fbclid: ['fbclid', 'facebook_click_id'],
	msclkid: ['msclkid', 'microsoft_click_id'],
	li_fat_id: ['li_fat_id'],
	ttclid: ['ttclid'],
	landing_page: [
		'landing_page',
		'landing_page_url',
		'page_url',
		'page_uri',
		'conversion_page',
		'conversion_url',
		'source_url',
		'pagina_de_destino',
		'pagina_de_aterrizaje',
	],
	referrer: ['referrer', 'referer', 'referrer_url', 'http_referer', 'http_referrer', 'document_referrer'],
	consent: [
		'consent',
		'consent_given',
		'marketing_consent',
		'gdpr_consent',
		'lgpd_consent',
		'opt_in',
		'email_opt_in',
		'marketing_opt_in',
		'accepts_marketing',
		'consentimento',
		'consentimiento',
		'aceite',
	],
	consent_date: [
		'consent_date',
		'consent_at',
		'consented_at',
		'consent_timestamp',
		'opt_in_date',
		'data_consentimento',
		'data_do_consentimento',
		'fecha_consentimiento',
		'fecha_de_consentimiento',
	],
	consent_source: [
		'consent_source',
		'consent_method',
		'origem_consentimento',
		'origem_do_consentimento',
		'fuente_consentimiento',
		'origen_consentimiento',
	],
	consent_policy_version: [
		'consent_policy_version',
		'policy_version',
		'privacy_policy_version',
		'terms_version',
		'versao_politica',
		'versao_da_politica',
		'version_politica',
		'version_de_la_politica',
	],
	created_at: [
		'created_at',
		'created_time',
		'created_date',
		'createdate',
		'submitted_at',
		'submission_date',
		'submission_time',
		'timestamp',
		'data_criacao',
		'data_de_criacao',
		'fecha_creacion',
		'fecha_de_creacion',
	],
};

const GENERIC_NAME_ALIASES = new Set(['name', 'nome', 'nombre']);

/** Built-in ranks come after every user alias, so a user alias always wins. */
const BUILT_IN_RANK_START = 1_000_000;
/** Item keys remembered between items; cleared when full, so odd inputs cannot grow it forever. */
const KEY_CACHE_LIMIT = 10_000;
/** Resolution plans remembered per key list (one per source form or export, usually a handful). */
const PLAN_CACHE_LIMIT = 256;

interface AliasTarget {
	field: CanonicalInputKey;
	/** Lower wins when several aliases of one field have values. */
	rank: number;
	/** A generic "name": becomes first_name when the item has a last name but no first name. */
	isGenericName: boolean;
}

/** Where one alias's value is read: a top-level key, or a dotted path into nested objects. */
interface AliasSource {
	key: string;
	path: string[] | null;
	target: AliasTarget;
}

/**
 * How to read items that have one list of keys: their aliased sources in rank order (the first
 * non-blank value per field wins) and the keys those consume. Items from one form or export share
 * their keys, so this is worked out once per key list, not per item.
 */
interface ResolutionPlan {
	keys: string[];
	sources: AliasSource[];
	consumedKeys: ReadonlySet<string>;
}

const FIELD_BY_FOLDED_NAME = new Map(CANONICAL_INPUT_FIELDS.map((field) => [foldKey(field), field]));

function buildBuiltInTable(): Map<string, AliasTarget> {
	const table = new Map<string, AliasTarget>();
	let rank = BUILT_IN_RANK_START;
	for (const field of CANONICAL_INPUT_FIELDS) {
		for (const alias of BUILT_IN_ALIASES[field]) {
			const folded = foldKey(alias);
			const taken = table.get(folded);
			if (taken !== undefined) throw new Error(`Built-in alias '${alias}' repeats one listed for '${taken.field}'`);
			table.set(folded, { field, rank: rank++, isGenericName: GENERIC_NAME_ALIASES.has(folded) });
		}
	}
	return table;
}

const BUILT_IN_TABLE = buildBuiltInTable();

function toAliasList(userAliases: UserFieldAliases): UserFieldAlias[] {
	if (Array.isArray(userAliases)) return userAliases;
	return Object.entries(userAliases).flatMap(([field, aliases]) => aliases.map((alias) => ({ alias, field })));
}

function knownField(field: string, alias: string): CanonicalInputKey {
	const known = FIELD_BY_FOLDED_NAME.get(foldKey(String(field ?? '')));
	if (known === undefined) {
		throw new Error(
			`Field alias '${alias}' points to unknown lead field '${field}'. Known fields: ${CANONICAL_INPUT_FIELDS.join(', ')}`,
		);
	}
	return known;
}

function sameKeys(left: string[], right: string[]): boolean {
	if (left.length !== right.length) return false;
	for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
	return true;
}

/**
 * Builds the function that finds the lead fields in an item. All folding and table building happens
 * here or once per distinct list of item keys, so resolving an item is a walk over its aliased keys.
 *
 * User aliases are checked before the built-in table (and replace a built-in alias of the same
 * name); among user aliases the earlier one wins. The target field may be written as the canonical
 * key or any folding of it ('First Name'). An alias with dots ('contact.email') also reads that path
 * from nested objects, each segment matched exactly; the flat key 'contact.email' or 'contact_email'
 * matches it too.
 *
 * The returned consumedKeys set may be shared between items with the same keys: read it, do not
 * change it.
 *
 * @throws Error naming the alias when it points to an unknown field, is empty, or is given for two fields.
 */
export function buildAliasResolver(
	userAliases?: UserFieldAliases,
): (item: Record<string, unknown>) => ResolvedAliases {
	const table = new Map(BUILT_IN_TABLE);
	const nestedSources: AliasSource[] = [];
	const userFieldByAlias = new Map<string, CanonicalInputKey>();

	toAliasList(userAliases ?? []).forEach(({ alias, field }, rank) => {
		const aliasText = String(alias ?? '').trim();
		const folded = foldKey(aliasText);
		if (folded === '') throw new Error(`Field alias '${aliasText}' for '${field}' has no letters or digits`);
		const canonicalField = knownField(field, aliasText);
		const earlierField = userFieldByAlias.get(folded);
		if (earlierField !== undefined && earlierField !== canonicalField) {
			throw new Error(`Field alias '${aliasText}' is given for both '${earlierField}' and '${canonicalField}'`);
		}
		if (earlierField !== undefined) return;
		userFieldByAlias.set(folded, canonicalField);
		const target: AliasTarget = { field: canonicalField, rank, isGenericName: false };
		table.set(folded, target);
		if (aliasText.includes('.')) {
			nestedSources.push({ key: aliasText, path: aliasText.split('.').map((segment) => segment.trim()), target });
		}
	});

	const targetByItemKey = new Map<string, AliasTarget | null>();
	const lookUp = (key: string): AliasTarget | null => {
		let found = targetByItemKey.get(key);
		if (found === undefined) {
			found = table.get(foldKey(key)) ?? null;
			if (targetByItemKey.size >= KEY_CACHE_LIMIT) targetByItemKey.clear();
			targetByItemKey.set(key, found);
		}
		return found;
	};

	const buildPlan = (keys: string[]): ResolutionPlan => {
		const sources: AliasSource[] = [...nestedSources];
		const consumedKeys = new Set<string>();
		for (const key of keys) {
			const target = lookUp(key);
			if (target === null) continue;
			sources.push({ key, path: null, target });
			consumedKeys.add(key);
		}
		sources.sort((left, right) => left.target.rank - right.target.rank);
		return { keys, sources, consumedKeys };
	};

	let lastPlan: ResolutionPlan | null = null;
	const planByKeyList = new Map<string, ResolutionPlan>();
	const planFor = (keys: string[]): ResolutionPlan => {
		if (lastPlan !== null && sameKeys(lastPlan.keys, keys)) return lastPlan;
		const keyList = keys.join('\u0000');
		let plan = planByKeyList.get(keyList);
		if (plan === undefined || !sameKeys(plan.keys, keys)) {
			plan = buildPlan(keys);
			if (planByKeyList.size >= PLAN_CACHE_LIMIT) planByKeyList.clear();
			planByKeyList.set(keyList, plan);
		}
		lastPlan = plan;
		return plan;
	};

	return function resolveAliases(item) {
		const plan = planFor(Object.keys(item));
		const canonical: Partial<Record<CanonicalInputKey, unknown>> = {};
		let foundPaths: string[] | null = null;
		let fullNameIsGeneric = false;

		for (const source of plan.sources) {
			let value: unknown;
			if (source.path === null) {
				value = item[source.key];
			} else {
				value = valueAt(item, source.path);
				if (value === undefined) continue;
				(foundPaths ??= []).push(source.key);
			}
			const { field, isGenericName } = source.target;
			if (canonical[field] !== undefined || isBlank(value)) continue;
			canonical[field] = value;
			if (field === 'full_name') fullNameIsGeneric = isGenericName;
		}

		// "Nome: João, Sobrenome: Silva": a generic name beside a last name is the first name.
		if (fullNameIsGeneric && canonical.first_name === undefined && canonical.last_name !== undefined) {
			canonical.first_name = canonical.full_name;
			delete canonical.full_name;
		}
		const consumedKeys = foundPaths === null ? plan.consumedKeys : new Set([...plan.consumedKeys, ...foundPaths]);
		return { canonical, consumedKeys };
	};
}
