/**
 * Hard people data with known truth, as CRMs and registries hold it: name frequencies with a long
 * tail and a few very common names, nicknames and transliterations, several records per person
 * (typos, swapped first and last name, blanks, old addresses), birth dates piled on 1 January and
 * 1 July, a few big cities whose postcodes many people share, and namesakes who are different
 * people (same name, often the same city, sometimes the same birth year).
 */
import type { LabelledSet } from './_dedupeData';
import { seededRandom } from './_report';

/** Formal first names, each with the nicknames and transliterations people also write. */
const FIRST_NAMES: Array<[formal: string, variants: string[]]> = [
	['John', ['Jon', 'Johnny', 'Jack']], ['David', ['Dave', 'Davey']], ['Michael', ['Mike', 'Mick']], ['James', ['Jim', 'Jimmy']],
	['William', ['Bill', 'Will', 'Billy']], ['Robert', ['Bob', 'Rob', 'Bobby']], ['Mary', ['Marie', 'Maria']], ['Sarah', ['Sara']],
	['Elizabeth', ['Liz', 'Beth', 'Eliza']], ['Margaret', ['Maggie', 'Peggy']], ['Thomas', ['Tom', 'Tommy']], ['Richard', ['Rick', 'Dick']],
	['Mohammed', ['Muhammad', 'Mohamed', 'Mohammad']], ['Alexander', ['Alex', 'Aleksandr', 'Sasha']], ['Catherine', ['Katherine', 'Kate', 'Cathy']],
	['Joseph', ['Joe', 'Jose']], ['Christopher', ['Chris']], ['Daniel', ['Dan', 'Danny']], ['Anne', ['Ann', 'Anna']], ['Peter', ['Pete', 'Pyotr']],
	['Sergei', ['Sergey']], ['Dmitri', ['Dmitry', 'Dimitri']], ['Yusuf', ['Youssef', 'Yousef']], ['Olga', []], ['Ivan', []], ['Wei', []],
	['Fatima', ['Fatma']], ['Aisha', ['Ayesha']], ['Hannah', ['Hanna']], ['Sophie', ['Sophia', 'Sofia']], ['Charlotte', ['Lottie']],
	['Emily', ['Emilie']], ['Jessica', ['Jess']], ['Lucy', []], ['George', []], ['Harry', ['Henry']], ['Oliver', ['Ollie']],
	['Samuel', ['Sam']], ['Benjamin', ['Ben']], ['Matthew', ['Matt']], ['Andrew', ['Andy', 'Drew']], ['Edward', ['Ed', 'Ted']],
	['Frances', ['Fran']], ['Francis', ['Frank']], ['Nicholas', ['Nick']], ['Patrick', ['Pat', 'Paddy']], ['Victoria', ['Vicky']],
	['Rebecca', ['Becky']], ['Jennifer', ['Jenny', 'Jen']], ['Susan', ['Sue', 'Susie']], ['Helen', ['Helena']], ['Laura', []],
	['Rachel', []], ['Emma', []], ['Amelia', ['Amy']], ['Isabella', ['Isabel', 'Bella']], ['Grace', []], ['Chloe', []], ['Lily', []],
	['Jacob', ['Jake']], ['Ethan', []], ['Ryan', []], ['Adam', []], ['Luke', []], ['Nathan', ['Nate']], ['Connor', ['Conor']],
	['Stephen', ['Steven', 'Steve']], ['Philip', ['Phillip', 'Phil']], ['Anthony', ['Tony']], ['Gareth', []], ['Ian', ['Iain']],
	['Zhang', []], ['Priya', []], ['Arjun', []], ['Ahmed', ['Ahmad']], ['Omar', ['Umar']], ['Leila', ['Layla']], ['Nadia', []],
];
const SURNAMES = [
	'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Robinson', 'Thompson',
	'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris', 'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner',
	'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott',
	'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson',
	'Bailey', 'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Khan', 'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams',
	'Singh', 'Begum', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray', 'Mason', 'Ali', 'Hunt', 'Hussain', 'Campbell',
	'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd', 'Butler', 'Russell', 'Barker', 'Fisher', 'Stevens',
	'Jenkins', 'Murray', 'Dixon', 'Harvey', 'Graham', 'Pearson', 'Ahmed', 'Fletcher', 'Walsh', 'Kaur', 'Gibson', 'Howard', 'Andrews',
	'Stewart', 'Elliott', 'Reynolds', 'Saunders', 'Payne', 'Fox', 'Ford', 'Pearce', 'Day', 'Brooks', 'West', 'Lawrence', 'Cole', 'Atkinson',
	'Bradley', 'Spencer', 'Gill', 'Dawson', 'Ball', 'Burton', "O'Brien", 'Watts', 'Rose', 'Booth', 'Perry', 'Ryan', 'Grant', 'Wells',
	'Armstrong', 'Francis', 'Rees', 'Hayes', 'Hart', 'Hudson', 'Newman', 'Barrett', 'Webster', 'Hunter', 'Gregory', 'Carr', 'Lowe', 'Page',
	'Marsh', 'Riley', 'Dunn', 'Woods', 'Parsons', 'Berry', 'Stone', 'Reid', 'Holland', 'Hawkins', 'Harding', 'Porter', 'Robertson', 'Newton',
	'Oliver', 'Reed', 'Kennedy', 'Williamson', 'Bird', 'Gardner', 'Shah', 'Dean', 'Lane', 'Cooke', 'Bates', 'Henderson', 'Parry', 'Burgess',
	'Bishop', 'Walton', 'Burns', 'Nicholson', 'Shepherd', 'Ross', 'Cross', 'Long', 'Freeman', 'Warren', 'Nicholls', 'Hamilton', 'Byrne',
	'Sutton', 'McDonald', 'Yates', 'Hodgson', 'Robson', 'Curtis', 'Hopkins', 'OConnor', 'Harper', 'Coleman', 'Watkins', 'Moss', 'McCarthy',
	'Chambers', "O'Neill", 'Griffin', 'Sharp', 'Hardy', 'Wheeler', 'Potter', 'Osborne', 'Johnston', 'Gordon', 'Doyle', 'Wallace', 'George',
	'Jordan', 'Hutchinson', 'Rowe', 'Burke', 'May', 'Pritchard', 'Gilbert', 'Willis', 'Higgins', 'Read', 'Miles', 'Stevenson', 'Stephenson',
	'Hammond', 'Arnold', 'Buckley', 'Walters', 'Hewitt', 'Barber', 'Nelson', 'Slater', 'Austin', 'Sullivan', 'Whitehead', 'Mann', 'Frost',
	'Lambert', 'Stephens', 'Blake', 'Akhtar', 'Lynch', 'Goodwin', 'Barton', 'Woodward', 'Thomson', 'Cunningham', 'Quinn', 'Barnett', 'Baxter',
	'da Silva', 'Silva', 'Dos Santos', 'Kowalski', 'Nowak', 'Ivanov', 'Petrov', 'Chen', 'Wang', 'Li', 'Nguyen', 'Kim', 'Park', 'Garcia',
	'Rodriguez', 'Lopez', 'Mueller', 'Schmidt', 'Rossi', 'Russo', 'Haddad', 'Mansour', 'Tchaikovsky', 'Romanov', 'Novak', 'Horvat',
];
/** Surnames spelled in more than one alphabet's romanisation. */
const SURNAME_VARIANTS: Record<string, string[]> = {
	Tchaikovsky: ['Chaikovsky', 'Tschaikowsky'], Ivanov: ['Ivanoff'], Petrov: ['Petroff'], Romanov: ['Romanoff'], Mueller: ['Muller', 'Müller'],
	Hussain: ['Husain', 'Hussein'], Ahmed: ['Ahmad'], Chen: ['Chan'], Haddad: ['Hadad'], OConnor: ["O'Connor", 'O Connor'], "O'Brien": ['OBrien', 'O Brien'],
	"O'Neill": ['ONeill', "O'Neil"], 'da Silva': ['Silva', 'DaSilva'], 'Dos Santos': ['Santos'],
};
/** Cities by population rank: the first few hold most people. */
const CITIES = [
	'London', 'Birmingham', 'Manchester', 'Leeds', 'Glasgow', 'Liverpool', 'Bristol', 'Sheffield', 'Edinburgh', 'Cardiff', 'Leicester',
	'Coventry', 'Bradford', 'Belfast', 'Nottingham', 'Hull', 'Newcastle', 'Stoke', 'Southampton', 'Derby', 'Portsmouth', 'Brighton',
	'Plymouth', 'Northampton', 'Reading', 'Luton', 'Wolverhampton', 'Bolton', 'Aberdeen', 'Bournemouth', 'Norwich', 'Swindon', 'Swansea',
	'Southend', 'Middlesbrough', 'Peterborough', 'Cambridge', 'Oxford', 'York', 'Ipswich', 'Exeter', 'Gloucester', 'Bath', 'Chester',
];
const STREETS = ['High Street', 'Station Road', 'Main Street', 'Park Road', 'Church Road', 'Church Street', 'London Road', 'Victoria Road',
	'Green Lane', 'Manor Road', 'Church Lane', 'Park Avenue', 'The Avenue', 'Queens Road', 'New Road', 'Grange Road', 'Kings Road', 'Mill Lane'];
const EMAIL_DOMAINS = ['gmail.com', 'hotmail.co.uk', 'yahoo.co.uk', 'outlook.com', 'btinternet.com', 'icloud.com'];

interface Person {
	first: string;
	firstVariants: string[];
	last: string;
	lastVariants: string[];
	gender: 'male' | 'female';
	/** Year, month, day. */
	dob: [number, number, number];
	city: string;
	postcode: string;
	street: string;
	/** A second home: later records may give it. */
	formerCity: string;
	formerPostcode: string;
	email: string | null;
	phone: string | null;
}

export interface HardPeopleOptions {
	people: number;
	/** Mean records per person (at most 21 each). */
	recordsPerPerson?: number;
	seed?: number;
}

/** Index drawn with probability proportional to 1 / (rank + 1)^exponent: a few values very common. */
function zipf(random: () => number, size: number, exponent: number): () => number {
	const cumulative = new Float64Array(size);
	let total = 0;
	for (let rank = 0; rank < size; rank++) cumulative[rank] = total += 1 / (rank + 1) ** exponent;
	return () => {
		const target = random() * total;
		let low = 0;
		let high = size - 1;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (cumulative[middle] < target) low = middle + 1;
			else high = middle;
		}
		return low;
	};
}

const pad = (value: number): string => String(value).padStart(2, '0');

export function generateHardPeople({ people, recordsPerPerson = 10, seed = 12 }: HardPeopleOptions): LabelledSet {
	const random = seededRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const chance = (probability: number): boolean => random() < probability;
	const firstRank = zipf(random, FIRST_NAMES.length, 1.1);
	const lastRank = zipf(random, SURNAMES.length, 1.0);
	const cityRank = zipf(random, CITIES.length, 1.2);
	// Each city has a few dozen postcodes, some far busier than others.
	const postcodeRank = zipf(random, 40, 1.0);
	const postcodeOf = (city: string): string => `${city.slice(0, 2).toUpperCase()}${1 + postcodeRank()} ${1 + Math.floor(random() * 9)}${pick(['AA', 'AB', 'BJ', 'DX', 'LT'])}`;
	const birthDate = (): [number, number, number] => {
		const year = 1930 + Math.floor(random() * 76);
		const roll = random();
		// Registries fill unknown days with 1 January, and many forms with 1 July.
		if (roll < 0.25) return [year, 1, 1];
		if (roll < 0.35) return [year, 7, 1];
		return [year, 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28)];
	};
	const phone = (): string => `07${Array.from({ length: 9 }, () => Math.floor(random() * 10)).join('')}`;

	// A provider gives a mailbox to one person: a namesake who wants a taken one adds a number.
	const takenMailboxes = new Set<string>();
	const mailbox = (wanted: string, domain: string): string => {
		let address = `${wanted}@${domain}`;
		while (takenMailboxes.has(address)) address = `${wanted}${1 + Math.floor(random() * 999)}@${domain}`;
		takenMailboxes.add(address);
		return address;
	};

	const makePerson = (namesake?: Person): Person => {
		const [first, firstVariants] = namesake ? [namesake.first, namesake.firstVariants] : FIRST_NAMES[firstRank()];
		const last = namesake ? namesake.last : SURNAMES[lastRank()];
		const city = namesake && chance(0.5) ? namesake.city : CITIES[cityRank()];
		const dob = birthDate();
		// A namesake born the same year (a cousin named after the same grandparent) is the hardest case.
		if (namesake && chance(0.2)) dob[0] = namesake.dob[0];
		const ascii = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
		return {
			first,
			firstVariants,
			last,
			lastVariants: SURNAME_VARIANTS[last] ?? [],
			gender: FIRST_NAMES.findIndex(([name]) => name === first) % 2 === 0 ? 'male' : 'female',
			dob,
			city,
			postcode: postcodeOf(city),
			street: `${1 + Math.floor(random() * 150)} ${pick(STREETS)}`,
			formerCity: chance(0.7) ? city : CITIES[cityRank()],
			formerPostcode: '',
			email: chance(0.5) ? mailbox(`${ascii}${chance(0.5) ? Math.floor(random() * 100) : ''}`, pick(EMAIL_DOMAINS)) : null,
			phone: chance(0.4) ? phone() : null,
		};
	};

	const persons: Person[] = [];
	for (let index = 0; index < people; index++) {
		// About one person in six shares a full name with someone else in the set.
		const namesake = persons.length > 0 && chance(0.15) ? pick(persons) : undefined;
		const person = makePerson(namesake);
		person.formerPostcode = postcodeOf(person.formerCity);
		persons.push(person);
	}

	const typo = (word: string): string => {
		if (word.length < 3) return word;
		const at = 1 + Math.floor(random() * (word.length - 2));
		const kind = random();
		if (kind < 0.3) return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
		if (kind < 0.6) return word.slice(0, at) + word.slice(at + 1);
		if (kind < 0.8) return word.slice(0, at) + pick([...'aeiounrstl']) + word.slice(at + 1);
		return word.slice(0, at) + word[at] + word.slice(at);
	};
	const dobText = ([year, month, day]: [number, number, number]): string => {
		const roll = random();
		if (roll < 0.05) return `${year}-${pad(month)}-${pad(day)}`.replace(/\d/, (digit) => String((Number(digit) + 1) % 10));
		if (roll < 0.1) return `${year}-${pad(month)}-${pad(Math.min(28, day + 1))}`;
		if (roll < 0.15 && day <= 12) return `${year}-${pad(day)}-${pad(month)}`;
		if (roll < 0.2) return `${year - 1 + 2 * Math.floor(random() * 2)}-${pad(month)}-${pad(day)}`;
		if (roll < 0.35) return `${pad(day)}/${pad(month)}/${year}`;
		return `${year}-${pad(month)}-${pad(day)}`;
	};
	const firstNameText = (person: Person): string => {
		const roll = random();
		if (roll < 0.2 && person.firstVariants.length > 0) return pick(person.firstVariants);
		if (roll < 0.3) return typo(person.first);
		if (roll < 0.33) return `${person.first[0]}.`;
		if (roll < 0.36) return person.first.toUpperCase();
		return person.first;
	};
	const lastNameText = (person: Person): string => {
		const roll = random();
		if (roll < 0.1 && person.lastVariants.length > 0) return pick(person.lastVariants);
		if (roll < 0.22) return typo(person.last);
		if (roll < 0.25) return person.last.toLowerCase();
		return person.last;
	};
	const blankOr = (probability: number, value: string | null): string => (value === null || chance(probability) ? '' : value);

	const records: Array<Record<string, string>> = [];
	const entity: string[] = [];
	persons.forEach((person, id) => {
		// 1 to 21 records, about `recordsPerPerson` on average, skewed towards few.
		const count = Math.min(21, 1 + Math.floor(21 * random() ** (21 / (recordsPerPerson - 0.5) - 1)));
		for (let copy = 0; copy < count; copy++) {
			const former = chance(0.2);
			let first = blankOr(0.05, firstNameText(person));
			let last = blankOr(0.04, lastNameText(person));
			if (chance(0.04)) [first, last] = [last, first];
			records.push({
				first_name: first,
				surname: last,
				dob: blankOr(0.2, dobText(person.dob)),
				gender: blankOr(0.3, person.gender),
				city: blankOr(0.25, chance(0.05) ? typo(former ? person.formerCity : person.city) : former ? person.formerCity : person.city),
				postcode: blankOr(0.4, former ? person.formerPostcode : person.postcode),
				address: blankOr(0.6, former ? '' : chance(0.1) ? typo(person.street) : person.street),
				email: blankOr(0.5, person.email !== null && chance(0.05) ? typo(person.email) : person.email),
				phone: blankOr(0.5, person.phone),
			});
			entity.push(String(id));
		}
	});
	// Records arrive in no particular order, as a CRM export has them.
	const order = records.map((_, index) => index);
	for (let index = order.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[order[index], order[other]] = [order[other], order[index]];
	}
	return {
		name: `hard_people_${people}`,
		records: order.map((index) => records[index]),
		entity: order.map((index) => entity[index]),
	};
}
