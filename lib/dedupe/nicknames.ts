import nicknameData from './data/nicknames.json';

/**
 * Portuguese and Spanish short forms, which the English list does not have: each formal name with
 * its nicknames, hypocoristics and English equivalents (Roberto/Beto/Bob, José/Zé/Pepe,
 * Francisco/Chico/Paco/Kiko, ...).
 * Keys and values are folded (lower case, no accents), as names are compared.
 */
const IBERIAN_NICKNAMES: Record<string, string[]> = {
	roberto: ['beto', 'bob', 'rob', 'robert', 'tito'],
	jose: ['ze', 'pepe', 'pepito', 'joseph', 'zeca', 'chepe'],
	francisco: ['chico', 'paco', 'pancho', 'kiko', 'xico', 'fran', 'francis', 'frank', 'quico', 'curro'],
	antonio: ['toni', 'tonho', 'toninho', 'tono', 'anthony', 'tony'],
	eduardo: ['edu', 'dudu', 'lalo', 'edward', 'ed'],
	guillermo: ['memo', 'guille', 'william', 'bill', 'will'],
	ricardo: ['rica', 'cado', 'richard', 'rick', 'ricky'],
	alejandro: ['alex', 'ale', 'jandro', 'alexander'],
	manuel: ['manolo', 'manu', 'nel', 'mane'],
	jesus: ['chuy', 'chucho', 'suso'],
	enrique: ['quique', 'henry', 'kike'],
	ignacio: ['nacho', 'inaki'],
	dolores: ['lola'],
	concepcion: ['concha', 'conchita'],
	rosario: ['charo'],
	guadalupe: ['lupe', 'lupita'],
	luis: ['lucho', 'lulu', 'louis'],
	carlos: ['carlinhos', 'cacau', 'charles', 'charlie'],
	fernando: ['nando', 'fer', 'ferdinand'],
	rodrigo: ['digo', 'rod'],
	gabriel: ['gabi', 'biel'],
	joao: ['joaozinho', 'john', 'juan'],
	juan: ['juancho', 'juanito', 'john'],
	pedro: ['pedrinho', 'peter', 'pete'],
	luiz: ['lula', 'luis'],
	raimundo: ['mundinho', 'raymond'],
	sebastiao: ['tiao', 'sebastian'],
	maria: ['mari', 'mary', 'maru'],
	ana: ['aninha', 'anna', 'anne'],
	isabel: ['bel', 'isa', 'chabela', 'elizabeth', 'isabella'],
	mercedes: ['meche'],
	margarida: ['guida', 'margaret'],
	beatriz: ['bia', 'bea', 'beatrice'],
	patricia: ['paty', 'pati', 'patty'],
	fatima: ['fafa'],
	teresa: ['tere', 'teca', 'theresa'],
	cristina: ['cris', 'tina', 'christina'],
	susana: ['susy', 'susan'],
	josefa: ['pepa', 'pepita', 'josephine'],
	vicente: ['chente'],
	federico: ['fede', 'frederick'],
	santiago: ['santi', 'yago', 'tiago'],
	guilherme: ['gui', 'guiga', 'william', 'bill', 'will'],
	augusto: ['guto'],
	leonardo: ['leo', 'leon'],
	rafael: ['rafa'],
	daniel: ['dani'],
	felipe: ['pipe', 'lipe', 'philip'],
	alberto: ['beto', 'albert'],
	humberto: ['beto'],
	gilberto: ['beto', 'gil'],
	// English forms the English list lacks.
	katherine: ['katie'],
};

const NICKNAME_LISTS = [...Object.entries(nicknameData.names), ...Object.entries(IBERIAN_NICKNAMES)];

/**
 * Every name the English list gives as someone's nickname: "Bill" also has nicknames of its own
 * there, but it is not formal. The Iberian list's English equivalents (Roberto: Robert) stay formal.
 */
const LISTED_AS_NICKNAME = new Set(Object.values(nicknameData.names).flat());

/**
 * Name -> the formal names it stands for ("bob" -> roberto; "roberto" -> roberto). Only names
 * never listed as a nickname count as formal: joining through a nickname that has nicknames of
 * its own would make William = Robert, both being "Bill".
 */
const FORMS = new Map<string, Set<string>>();
/** Pairs listed directly (formal and nickname), in both directions. */
const DIRECT = new Map<string, Set<string>>();

function addTo(map: Map<string, Set<string>>, name: string, value: string): void {
	let values = map.get(name);
	if (values === undefined) map.set(name, (values = new Set()));
	values.add(value);
}

for (const [name, nicknames] of NICKNAME_LISTS) {
	const formal = !LISTED_AS_NICKNAME.has(name);
	if (formal) addTo(FORMS, name, name);
	for (const nickname of nicknames) {
		if (formal) addTo(FORMS, nickname, name);
		addTo(DIRECT, name, nickname);
		addTo(DIRECT, nickname, name);
	}
}

const NO_FORMS: ReadonlySet<string> = new Set();

/**
 * Names any nickname-equivalent of a folded given name shares with it: its formal names, itself
 * and the names listed with it. Blocking on these puts "Beth" and "Elizabeth" in one block.
 */
export function nicknameBlockNames(name: string): ReadonlySet<string> {
	const forms = FORMS.get(name);
	const direct = DIRECT.get(name);
	if (forms === undefined && direct === undefined) return NO_FORMS;
	return new Set([name, ...(forms ?? []), ...(direct ?? [])]);
}

/** True when two folded given names are the same, listed together, or nicknames of one formal name. */
export function areNicknameEquivalent(a: string, b: string): boolean {
	if (a === b || DIRECT.get(a)?.has(b)) return true;
	const formsA = FORMS.get(a);
	const formsB = FORMS.get(b);
	if (formsA === undefined || formsB === undefined) return false;
	for (const form of formsA) if (formsB.has(form)) return true;
	return false;
}
