import type { Normalized } from '../schema/issue';
import { issue, textOf } from '../schema/issue';
import { foldKey, foldText, foldWords } from './text';

/** One value of the CRM's Industry picklist and the words people type for it. */
export interface IndustryPicklistEntry {
	value: string;
	synonyms: string[];
}

/**
 * A CRM-style Industry picklist (English values) with EN/PT/ES synonyms. Technology verticals
 * ("fintech", "healthtech", "proptech") go to the industry they serve, as CRMs file them.
 */
export const DEFAULT_INDUSTRY_PICKLIST: readonly IndustryPicklistEntry[] = [
	{
		value: 'Technology/Software',
		synonyms: [
			'technology', 'tech', 'software', 'saas', 'software as a service', 'it', 'ti', 'it services',
			'information technology', 'information technology and services', 'computer software', 'software development',
			'software house', 'tecnologia', 'tecnologia da informacao', 'tecnologia de la informacion', 'informatica',
			'desenvolvimento de software', 'desarrollo de software', 'internet', 'cloud', 'cloud computing',
			'cybersecurity', 'ciberseguranca', 'ciberseguridad', 'computer hardware', 'hardware', 'semiconductors',
			'artificial intelligence', 'inteligencia artificial', 'ai', 'ia', 'data', 'dados', 'datos', 'it consulting',
		],
	},
	{
		value: 'Financial Services',
		synonyms: [
			'financial services', 'finance', 'financial', 'banking', 'bank', 'banco', 'bancos', 'bancario', 'banca',
			'fintech', 'financas', 'financeiro', 'servicos financeiros', 'finanzas', 'financiero', 'servicios financieros',
			'investment', 'investments', 'investimentos', 'inversiones', 'investment banking', 'asset management',
			'gestao de ativos', 'private equity', 'venture capital', 'capital markets', 'credit', 'credito', 'payments',
			'pagamentos', 'pagos', 'crypto', 'cripto',
		],
	},
	{
		value: 'Healthcare',
		synonyms: [
			'healthcare', 'health care', 'health', 'hospital & health care', 'hospital', 'hospitals', 'hospitalar',
			'clinic', 'clinica', 'saude', 'salud', 'medical', 'medicina', 'medicine', 'medical devices', 'dental',
			'odontologia', 'healthtech', 'mental health', 'wellness', 'health and wellness', 'nursing', 'enfermagem',
			'enfermeria', 'sanidad',
		],
	},
	{
		value: 'Education',
		synonyms: [
			'education', 'educacao', 'educacion', 'ensino', 'ensino superior', 'higher education', 'education management',
			'e-learning', 'elearning', 'edtech', 'school', 'escola', 'escuela', 'colegio', 'university', 'universidade',
			'universidad', 'faculdade', 'training', 'treinamento', 'capacitacion', 'formacion', 'cursos',
		],
	},
	{
		value: 'Retail & E-commerce',
		synonyms: [
			'retail', 'retailer', 'varejo', 'varejista', 'comercio minorista', 'minorista', 'venta al por menor',
			'e-commerce', 'ecommerce', 'online retail', 'comercio eletronico', 'comercio electronico', 'loja',
			'loja virtual', 'tienda', 'tienda online', 'marketplace', 'comercio', 'wholesale', 'atacado', 'mayorista',
			'consumer goods', 'apparel', 'apparel & fashion', 'fashion', 'moda', 'supermarket', 'supermercado',
		],
	},
	{
		value: 'Manufacturing',
		synonyms: [
			'manufacturing', 'manufacturer', 'manufactura', 'manufatura', 'industria', 'industrial', 'fabrica',
			'fabricacao', 'fabricacion', 'machinery', 'maquinaria', 'maquinas', 'industrial automation',
			'automacao industrial', 'chemicals', 'quimica', 'quimico', 'textiles', 'textil', 'metalurgia', 'steel',
			'siderurgia', 'plastics', 'plasticos', 'packaging', 'embalagens', 'envases',
		],
	},
	{
		value: 'Real Estate',
		synonyms: [
			'real estate', 'realty', 'realtor', 'property', 'properties', 'property management', 'commercial real estate',
			'imobiliaria', 'imobiliario', 'imoveis', 'corretora de imoveis', 'inmobiliaria', 'inmobiliario',
			'bienes raices', 'proptech', 'coworking',
		],
	},
	{
		value: 'Marketing & Advertising',
		synonyms: [
			'marketing', 'advertising', 'marketing and advertising', 'marketing agency', 'advertising agency', 'ad agency',
			'digital marketing', 'marketing digital', 'agency', 'agencia', 'agencia de marketing', 'agencia digital',
			'agencia de publicidade', 'agencia de publicidad', 'publicidade', 'publicidad', 'propaganda',
			'public relations', 'relacoes publicas', 'relaciones publicas', 'martech', 'adtech', 'branding', 'social media',
		],
	},
	{
		value: 'Consulting & Professional Services',
		synonyms: [
			'consulting', 'consultancy', 'consultant', 'consultoria', 'assessoria', 'asesoria', 'management consulting',
			'professional services', 'servicos profissionais', 'servicios profesionales', 'business services',
			'servicos empresariais', 'accounting', 'contabilidade', 'contabilidad', 'audit', 'auditoria', 'outsourcing',
			'terceirizacao', 'bpo', 'staffing', 'staffing and recruiting', 'recruiting', 'recrutamento', 'reclutamiento',
			'human resources', 'recursos humanos', 'hr', 'rh',
		],
	},
	{
		value: 'Media & Entertainment',
		synonyms: [
			'media', 'midia', 'medios', 'entertainment', 'entretenimento', 'entretenimiento', 'broadcast media',
			'broadcasting', 'tv', 'television', 'televisao', 'radio', 'film', 'cinema', 'cine', 'music', 'musica',
			'publishing', 'editora', 'editorial', 'games', 'gaming', 'video games', 'jogos', 'videojuegos', 'streaming',
			'news', 'journalism', 'jornalismo', 'periodismo', 'sports', 'esportes', 'deportes',
		],
	},
	{
		value: 'Telecommunications',
		synonyms: [
			'telecommunications', 'telecom', 'telecoms', 'telco', 'telecomunicacoes', 'telecomunicaciones', 'isp',
			'internet service provider', 'provedor de internet', 'proveedor de internet', 'wireless', 'telefonia',
			'operadora de telefonia',
		],
	},
	{
		value: 'Energy & Utilities',
		synonyms: [
			'energy', 'energia', 'utilities', 'utility', 'oil & energy', 'oil and gas', 'oil & gas', 'petroleo',
			'oleo e gas', 'petroleo y gas', 'renewable energy', 'renewables', 'energias renovaveis', 'energias renovables',
			'solar', 'energia solar', 'electricity', 'eletricidade', 'electricidad', 'saneamento', 'saneamiento',
		],
	},
	{
		value: 'Transportation & Logistics',
		synonyms: [
			'transportation', 'transport', 'transporte', 'transportes', 'logistics', 'logistica', 'logistics and supply chain',
			'supply chain', 'cadeia de suprimentos', 'cadena de suministro', 'shipping', 'freight', 'frete', 'fletes',
			'trucking', 'courier', 'warehousing', 'armazenagem', 'almacenamiento', 'airline', 'airlines', 'aviation',
			'aviacao', 'aviacion', 'maritime',
		],
	},
	{
		value: 'Hospitality & Travel',
		synonyms: [
			'hospitality', 'hotel', 'hotels', 'hoteis', 'hoteles', 'hotelaria', 'hoteleria', 'travel', 'travel agency',
			'viagens', 'viagem', 'viajes', 'turismo', 'tourism', 'travel & tourism', 'agencia de viagens',
			'agencia de viajes', 'leisure', 'lazer', 'events', 'eventos',
		],
	},
	{
		value: 'Government & Public Sector',
		synonyms: [
			'government', 'governo', 'gobierno', 'public sector', 'setor publico', 'sector publico',
			'government administration', 'public administration', 'administracao publica', 'administracion publica',
			'municipality', 'prefeitura', 'municipalidad', 'ayuntamiento', 'military', 'defense', 'defesa', 'defensa',
		],
	},
	{
		value: 'Non-profit',
		synonyms: [
			'non-profit', 'nonprofit', 'not for profit', 'non-profit organization management', 'npo', 'ngo', 'ong',
			'charity', 'charities', 'foundation', 'fundacao', 'fundacion', 'sem fins lucrativos', 'sin fines de lucro',
			'sin animo de lucro', 'terceiro setor', 'tercer sector',
		],
	},
	{
		value: 'Agriculture',
		synonyms: [
			'agriculture', 'agricultura', 'agribusiness', 'agronegocio', 'agro', 'agtech', 'agritech', 'farming', 'farm',
			'fazenda', 'pecuaria', 'ganaderia', 'livestock',
		],
	},
	{
		value: 'Construction',
		synonyms: [
			'construction', 'construcao', 'construccion', 'construtora', 'constructora', 'building materials',
			'materiais de construcao', 'materiales de construccion', 'civil engineering', 'engenharia civil',
			'ingenieria civil', 'architecture', 'arquitetura', 'arquitectura', 'infrastructure', 'infraestrutura',
			'infraestructura',
		],
	},
	{
		value: 'Automotive',
		synonyms: [
			'automotive', 'automotivo', 'automotriz', 'automobile', 'automobiles', 'cars', 'auto', 'autos', 'veiculos',
			'vehiculos', 'car dealership', 'concessionaria', 'concesionaria', 'auto parts', 'autopecas', 'autopartes',
		],
	},
	{
		value: 'Food & Beverage',
		synonyms: [
			'food', 'food and beverage', 'food & beverages', 'f&b', 'alimentos', 'alimentacao', 'alimentacion',
			'bebidas', 'beverages', 'alimentos e bebidas', 'alimentos y bebidas', 'restaurant', 'restaurants',
			'restaurante', 'restaurantes', 'food service', 'foodservice', 'catering', 'bakery', 'padaria', 'panaderia',
			'food production',
		],
	},
	{
		value: 'Legal',
		synonyms: [
			'legal', 'law', 'law firm', 'law practice', 'legal services', 'lawyers', 'advocacia', 'escritorio de advocacia',
			'juridico', 'direito', 'abogados', 'bufete', 'despacho de abogados', 'servicios legales', 'servicios juridicos',
			'legaltech',
		],
	},
	{
		value: 'Insurance',
		synonyms: [
			'insurance', 'seguros', 'seguro', 'seguradora', 'aseguradora', 'corretora de seguros', 'insurance broker',
			'insurtech', 'reinsurance', 'resseguro', 'reaseguro',
		],
	},
	{
		value: 'Pharmaceuticals & Biotech',
		synonyms: [
			'pharmaceuticals', 'pharmaceutical', 'pharma', 'biotech', 'biotechnology', 'biotecnologia', 'farmaceutica',
			'industria farmaceutica', 'laboratorio farmaceutico', 'life sciences', 'ciencias da vida', 'ciencias de la vida',
		],
	},
	{ value: 'Other', synonyms: ['other', 'others', 'outro', 'outros', 'otro', 'otros'] },
];

/** Picklist values (folded) that take what matches nothing else, in EN/PT/ES. */
const OTHER_VALUES = new Set(['other', 'others', 'outro', 'outros', 'outra', 'outras', 'otro', 'otros', 'otra']);
/** Longest synonym, in words, looked for inside a longer text. */
const MAX_PHRASE_WORDS = 5;
/**
 * Words that usually qualify another industry inside a longer text ("Indústria de alimentos",
 * "Healthcare technology", "Agência de turismo"): any other matching word beats them.
 */
const QUALIFIER_WORDS = new Set([
	'industria', 'industrial', 'comercio', 'agency', 'agencia', 'tech', 'technology', 'tecnologia', 'data', 'dados',
	'datos', 'internet',
]);
const QUALIFIER_SCORE = 0.5;
/** Shorter words never lose a trailing "s" ("gas", "its"). */
const MIN_PLURAL_LENGTH = 4;

/** Distinct industry texts remembered; cleared when full, so odd inputs cannot grow it forever. */
const MATCH_CACHE_LIMIT = 10_000;

interface IndustryMatch {
	value: string | null;
	/** False when the text matched nothing and value is the picklist's Other value (or null). */
	matched: boolean;
	/** Other picklist values the text also mentions. */
	others: string[];
}

function phraseKey(words: readonly string[]): string {
	return words.join(' ');
}

/**
 * Builds the industry normalizer for a picklist (the built-in one when none is given). The result
 * is always a value of the picklist or null, because a CRM rejects a value outside its picklist.
 *
 * Matching, in order:
 * 1. the whole text equals a value or synonym after foldKey ('E-Commerce' = 'ecommerce');
 * 2. the text contains a value or synonym as whole words ('Software Development Company'), trying
 *    singulars of plural words ('Hospitals'); the longest phrase wins (qualifier words such as
 *    'industria' or 'technology' lose to any other), then the earliest, and a warning
 *    `ambiguous_industry` names the other values found;
 * 3. nothing matched: the picklist's 'Other' value ('Outros', 'Otros', ...) when it has one, else
 *    null, with a warning `unknown_industry` quoting the text so it can be reviewed.
 * Non-text input (objects, booleans) is an error `invalid_industry`.
 *
 * @throws Error when one synonym is given for two values.
 */
export function buildIndustryMatcher(
	picklist: readonly IndustryPicklistEntry[] = DEFAULT_INDUSTRY_PICKLIST,
): (input: unknown, field?: string) => Normalized<string | null> {
	const valueByFoldedText = new Map<string, string>();
	const valueByPhrase = new Map<string, string>();
	let otherValue: string | null = null;

	const addSynonym = (synonym: string, value: string): void => {
		const folded = foldKey(synonym);
		if (folded === '') return;
		const taken = valueByFoldedText.get(folded);
		if (taken !== undefined && taken !== value) {
			throw new Error(`Industry synonym '${synonym}' is given for both '${taken}' and '${value}'`);
		}
		valueByFoldedText.set(folded, value);
		const words = foldWords(synonym);
		if (words.length <= MAX_PHRASE_WORDS) valueByPhrase.set(phraseKey(words), value);
	};
	for (const { value, synonyms } of picklist) {
		addSynonym(value, value);
		for (const synonym of synonyms) addSynonym(synonym, value);
		if (otherValue === null && OTHER_VALUES.has(foldKey(value))) otherValue = value;
	}

	/**
	 * The value of the longest synonym phrase inside the words (a qualifier word counts for less
	 * than any other word; the earliest wins ties), and the values of other full-weight phrases
	 * elsewhere in the text.
	 */
	const findInWords = (words: string[]): { value: string | null; others: string[] } => {
		const matches: Array<{ value: string; start: number; end: number; score: number }> = [];
		let best: (typeof matches)[number] | null = null;
		for (let length = Math.min(MAX_PHRASE_WORDS, words.length); length >= 1; length--) {
			for (let start = 0; start + length <= words.length; start++) {
				const phrase = phraseKey(words.slice(start, start + length));
				let value = valueByPhrase.get(phrase);
				if (value === undefined && length === 1 && phrase.length >= MIN_PLURAL_LENGTH && phrase.endsWith('s')) {
					value = valueByPhrase.get(phrase.slice(0, -1));
				}
				if (value === undefined) continue;
				const score = length === 1 && QUALIFIER_WORDS.has(phrase) ? QUALIFIER_SCORE : length;
				const match = { value, start, end: start + length, score };
				matches.push(match);
				if (best === null || score > best.score) best = match;
			}
		}
		if (best === null) return { value: null, others: [] };
		const chosen = best;
		const others: string[] = [];
		for (const match of matches) {
			const overlapsChosen = match.start < chosen.end && chosen.start < match.end;
			if (match.score >= 1 && !overlapsChosen && match.value !== chosen.value && !others.includes(match.value)) {
				others.push(match.value);
			}
		}
		return { value: chosen.value, others };
	};

	/** The picklist value of a trimmed text; null with matched false when nothing matched. */
	const classify = (text: string): IndustryMatch => {
		const folded = foldText(text);
		const exact = valueByFoldedText.get(foldKey(folded));
		if (exact !== undefined) return { value: exact, matched: true, others: [] };
		const { value, others } = findInWords(foldWords(folded));
		return value === null ? { value: otherValue, matched: false, others: [] } : { value, matched: true, others };
	};

	// Leads repeat a few industry texts (form dropdowns, ad-platform values): fold and match each once.
	const matchByText = new Map<string, IndustryMatch>();

	return function matchIndustry(input, field = 'industry') {
		const result: Normalized<string | null> = { value: null, errors: [], warnings: [] };
		if (input === null || input === undefined) return result;
		if (typeof input !== 'string' && typeof input !== 'number') {
			const kind = Array.isArray(input) ? 'a list' : typeof input;
			result.errors.push(issue(field, 'invalid_industry', `${field} must be text, got ${kind}`));
			return result;
		}
		const text = textOf(input).trim();
		if (text === '') return result;

		let match = matchByText.get(text);
		if (match === undefined) {
			match = classify(text);
			if (matchByText.size >= MATCH_CACHE_LIMIT) matchByText.clear();
			matchByText.set(text, match);
		}
		result.value = match.value;
		if (!match.matched) {
			const outcome = match.value === null ? 'it was left empty' : `set to '${match.value}'`;
			result.warnings.push(issue(field, 'unknown_industry', `${field} '${text}' matches no picklist value; ${outcome}`));
		} else if (match.others.length > 0) {
			const others = match.others.map((other) => `'${other}'`).join(', ');
			result.warnings.push(
				issue(field, 'ambiguous_industry', `${field} '${text}' could also be ${others}; chose '${match.value}'`),
			);
		}
		return result;
	};
}
