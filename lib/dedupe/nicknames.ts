import nicknameData from './data/nicknames.json';

/**
 * Portuguese and Spanish short forms, which the English list does not have: each formal name with
 * its nicknames and hypocoristics (Roberto/Beto, José/Zé/Pepe, Francisco/Chico/Paco/Kiko, ...).
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
};

/**
 * Name -> the formal names it stands for ("bob" -> robert, roberto; "robert" -> robert). Two names
 * are nickname-equivalent when their sets share a formal name.
 */
const FORMS = new Map<string, Set<string>>();

function addForm(name: string, formal: string): void {
	let forms = FORMS.get(name);
	if (forms === undefined) FORMS.set(name, (forms = new Set()));
	forms.add(formal);
}

for (const [formal, nicknames] of [...Object.entries(nicknameData.names), ...Object.entries(IBERIAN_NICKNAMES)]) {
	addForm(formal, formal);
	for (const nickname of nicknames) addForm(nickname, formal);
}

const NO_FORMS: ReadonlySet<string> = new Set();

/** The formal names a folded given name may stand for (itself included when it is formal); empty when unknown. */
export function formalNames(name: string): ReadonlySet<string> {
	return FORMS.get(name) ?? NO_FORMS;
}

/** True when two folded given names are the same or one can be a nickname of the other's formal name. */
export function areNicknameEquivalent(a: string, b: string): boolean {
	if (a === b) return true;
	const formsA = FORMS.get(a);
	const formsB = FORMS.get(b);
	if (formsA === undefined || formsB === undefined) return false;
	for (const form of formsA) if (formsB.has(form)) return true;
	return false;
}
