/**
 * Synthetic B2B leads with known truth: people at companies, some arriving several times with
 * the variations lead forms and CRMs really produce (email case, Gmail dots and +tags, phone
 * formats, nicknames, legal suffixes, typos, personal vs work address), beside hard negatives:
 * colleagues sharing a company domain, namesakes at other companies, free-mail users.
 */
import { seededRandom } from './_report';

const FIRST_NAMES: Array<[formal: string, nicknames: string[]]> = [
	['Robert', ['Bob', 'Rob']], ['William', ['Bill', 'Will']], ['Roberto', ['Beto']], ['José', ['Zé']], ['Francisco', ['Chico', 'Paco']],
	['Elizabeth', ['Liz', 'Beth']], ['Margaret', ['Maggie', 'Peggy']], ['Katherine', ['Kate', 'Katie']], ['Richard', ['Rick', 'Dick']],
	['Antonio', ['Toni']], ['Eduardo', ['Edu']], ['Alejandro', ['Alex']], ['Ignacio', ['Nacho']], ['Guadalupe', ['Lupe']],
	['Maria', []], ['Ana', []], ['Lucas', []], ['Sofia', []], ['Mateo', []], ['Camila', []], ['Daniel', ['Dani']], ['Olivia', []],
	['Thiago', []], ['Valentina', []], ['James', ['Jim', 'Jimmy']], ['Jennifer', ['Jen']], ['Michael', ['Mike']], ['Patricia', ['Paty']],
	['Christopher', ['Chris']], ['Jessica', ['Jess']], ['Matthew', ['Matt']], ['Fernando', ['Nando']], ['Beatriz', ['Bia']],
];
const LAST_NAMES = [
	'Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Araújo', 'Fernandes',
	'Carvalho', 'Gomes', 'Martins', 'Rocha', 'Ribeiro', 'García', 'Martínez', 'López', 'González', 'Hernández', 'Pérez', 'Sánchez',
	'Ramírez', 'Torres', 'Flores', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
	'Thomas', 'Moore', 'Jackson', 'Martin', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King',
];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Hooli', 'Vandelay', 'Wonka',
	'Aperture', 'Massive', 'Dunder', 'Pied', 'Gringotts', 'Oscorp', 'Nakatomi', 'Virtucon', 'Monarch', 'Zorg', 'Octan', 'Duff', 'Krusty'];
const COMPANY_TAILS = ['Tech', 'Digital', 'Foods', 'Logistics', 'Labs', 'Energia', 'Systems', 'Consulting', 'Health', 'Capital', 'Retail', 'Media'];
const LEGAL_FORMS: string[][] = [
	['Ltda', 'LTDA.', 'Ltda - ME', ''],
	['S.A.', 'SA', 'S/A', ''],
	['Inc.', 'Inc', ', Inc.', ''],
	['LLC', 'L.L.C.', ''],
	['GmbH', 'gmbh', ''],
	['S.L.', 'SL', ''],
];
const FREE_MAIL = ['gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.br', 'icloud.com'];
const CAMPAIGNS = ['webinar-q1', 'ebook-crm', 'trial', 'linkedin-ads', 'event-sp', 'newsletter'];
const SOURCES = ['google', 'facebook', 'linkedin', 'organic', 'referral'];

export interface B2bLeadSet {
	records: Array<Record<string, string>>;
	entity: string[];
}

interface Company {
	name: string;
	legalForms: string[];
	domain: string;
}

interface Person {
	first: string;
	nicknames: string[];
	last: string;
	company: Company;
	workLocal: string;
	personalEmail: string;
	phoneDigits: string;
	/** The address and phone of the first appearance: later ones can only match what it gave. */
	worksEmail: boolean;
	gavePhone: boolean;
}

function ascii(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** `count` leads from about count / 1.5 people; `random` decides everything, so a seed gives the same set. */
export function generateB2bLeads(count: number, seed = 7): B2bLeadSet {
	const random = seededRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const digits = (length: number): string => Array.from({ length }, () => Math.floor(random() * 10)).join('');

	const companyCount = Math.max(20, Math.round(count / 12));
	const companies: Company[] = Array.from({ length: companyCount }, (_, index) => {
		const name = `${pick(COMPANY_WORDS)} ${pick(COMPANY_TAILS)}${index >= COMPANY_WORDS.length * COMPANY_TAILS.length ? ` ${index}` : ''}`;
		return { name, legalForms: pick(LEGAL_FORMS), domain: `${ascii(name).replace(/[^a-z0-9]/g, '')}.com` };
	});
	const usedWorkEmails = new Set<string>();
	const makePerson = (): Person => {
		const [first, nicknames] = pick(FIRST_NAMES);
		const last = pick(LAST_NAMES);
		const company = pick(companies);
		let workLocal = `${ascii(first)}.${ascii(last)}`;
		// Colleagues with the same name get distinct addresses, as a mail server would insist.
		for (let suffix = 2; usedWorkEmails.has(`${workLocal}@${company.domain}`); suffix++) workLocal = `${ascii(first)}.${ascii(last)}${suffix}`;
		usedWorkEmails.add(`${workLocal}@${company.domain}`);
		return {
			first,
			nicknames,
			last,
			company,
			workLocal,
			personalEmail: `${ascii(first)}${ascii(last)}${digits(4)}@${pick(FREE_MAIL)}`,
			phoneDigits: `11${9}${digits(8)}`,
			worksEmail: random() < 0.75,
			gavePhone: random() < 0.7,
		};
	};

	const typo = (word: string): string => {
		if (word.length < 5) return word;
		const at = 1 + Math.floor(random() * (word.length - 2));
		return random() < 0.5 ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word.slice(0, at) + word.slice(at + 1);
	};
	const phoneFormats = (national: string): string[] => [
		`+55${national}`,
		`(${national.slice(0, 2)}) ${national.slice(2, 7)}-${national.slice(7)}`,
		`+55 ${national.slice(0, 2)} ${national.slice(2, 7)} ${national.slice(7)}`,
		`0${national.slice(0, 2)} ${national.slice(2)}`,
	];
	const gmailVariant = (address: string): string => {
		const [local, domain] = address.split('@');
		if (domain !== 'gmail.com') return address.toUpperCase();
		const dotted = local.length > 4 ? `${local.slice(0, 3)}.${local.slice(3)}` : local;
		return `${random() < 0.5 ? dotted.toUpperCase() : dotted}+${pick(CAMPAIGNS)}@Gmail.com`;
	};
	const companyName = (company: Company): string => {
		const form = pick(company.legalForms);
		const name = random() < 0.3 ? company.name.toUpperCase() : company.name;
		return form === '' ? name : form.startsWith(',') ? `${name}${form}` : `${name} ${form}`;
	};

	/** One appearance of a person; later ones vary, but always keep one route to a match. */
	const appearance = (person: Person, first: boolean): Record<string, string> => {
		const routes = ['email', 'nameCompany', ...(person.gavePhone ? ['phone'] : []), ...(person.worksEmail ? ['nameDomain'] : [])];
		const route = first ? 'original' : pick(routes);
		const usesNickname = person.nicknames.length > 0 && random() < 0.5;
		const variedFirst = usesNickname ? pick(person.nicknames) : random() < 0.3 ? typo(person.first) : person.first;
		const firstName = route === 'original' || route === 'email' || route === 'phone' ? person.first : variedFirst;
		const lastName = route === 'nameCompany' || route === 'nameDomain' ? (random() < 0.2 ? typo(person.last) : person.last) : person.last;
		const baseEmail = person.worksEmail ? `${person.workLocal}@${person.company.domain}` : person.personalEmail;
		const record: Record<string, string> = {
			first_name: firstName,
			last_name: route === 'phone' && random() < 0.5 ? '' : lastName,
			source: pick(SOURCES),
			campaign: pick(CAMPAIGNS),
		};
		if (route === 'original') {
			record.email = baseEmail;
			record.company = companyName(person.company);
			if (person.gavePhone) record.phone = pick(phoneFormats(person.phoneDigits));
		} else if (route === 'email') {
			record.email = gmailVariant(baseEmail);
		} else if (route === 'phone') {
			record.phone = pick(phoneFormats(person.phoneDigits));
			record.email = random() < 0.5 ? person.personalEmail.replace('@', `${digits(1)}@`) : '';
		} else if (route === 'nameCompany') {
			record.company = companyName(person.company);
		} else {
			// Another address at the company's domain: "rjones@" beside "robert.jones@".
			record.email = `${ascii(firstName).slice(0, 1)}${ascii(person.last)}${digits(2)}@${person.company.domain}`;
		}
		return record;
	};

	const records: Array<Record<string, string>> = [];
	const entity: string[] = [];
	for (let personIndex = 0; records.length < count; personIndex++) {
		const person = makePerson();
		const copies = random() < 0.65 ? 1 : 2 + Math.floor(random() * 3);
		for (let copy = 0; copy < copies && records.length < count; copy++) {
			// Every record has every column, blank when unknown, as in a form or CSV export.
			records.push({ id: `lead-${records.length}`, email: '', company: '', phone: '', ...appearance(person, copy === 0) });
			entity.push(`person-${personIndex}`);
		}
	}
	// Arrival order is not grouped by person.
	for (let index = records.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[records[index], records[other]] = [records[other], records[index]];
		[entity[index], entity[other]] = [entity[other], entity[index]];
	}
	return { records, entity };
}
