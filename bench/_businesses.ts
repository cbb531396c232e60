/**
 * Restaurant and shop listings from two guides, as in the classic Fodor's/Zagat linkage task: the
 * same place written differently (words reordered, text appended to the address, "street" as
 * "st.", "&" as "and", a typo, another phone format) beside hard negatives: chains with one name
 * at many addresses, and different places at one address (a hotel and its restaurant).
 */
import type { LabelledSet } from './_dedupeData';
import { seededRandom } from './_report';

const NAME_WORDS = ['Golden', 'Blue', 'Red', 'Little', 'Grand', 'Royal', 'Old', 'New', 'Silver', 'Green', 'Lucky', 'Happy', 'Corner', 'Harbor',
	'Bel-Air', 'Uptown', 'Village', 'Garden', 'Ocean', 'Sunset', 'Union', 'Mission', 'Palm', 'Oak', 'Cedar', 'Maple', 'Pearl', 'Jade', 'Lotus',
	'Olive', 'Saffron', 'Basil', 'Copper', 'Iron', 'Stone', 'River', 'Lake', 'Hill', 'Bay', 'Bridge', "Mama's", "Joe's", "Luigi's", "Chez",
	'Casa', 'Trattoria', 'Bistro', 'Cafe', 'Taqueria', 'Sushi', 'Noodle', 'Dragon', 'Tiger', 'Phoenix', 'Crown', 'Anchor', 'Lantern'];
const KINDS = ['Hotel', 'Grill', 'Kitchen', 'Diner', 'Tavern', 'House', 'Room', 'Bar', 'Cafe', 'Restaurant', 'Steakhouse', 'Bakery', 'Deli', 'Inn'];
const CHAINS = ['Starbucks', "McDonald's", 'Subway', 'Pizza Hut', 'Taco Bell', "Denny's", 'Chipotle', 'Panera Bread'];
const STREET_NAMES = ['Harrison', 'Hudson', 'Main', 'Broadway', 'Market', 'Mission', 'Sunset', 'Wilshire', 'Columbus', 'Lexington', 'Madison',
	'Park', 'Spring', 'Mercer', 'Grand', 'Canal', 'Prince', 'Houston', 'Bleecker', 'Greenwich', 'Valencia', 'Geary', 'Polk', 'Fillmore',
	'Melrose', 'Santa Monica', 'La Cienega', 'Peachtree', 'Piedmont', 'Ponce de Leon'];
const STREET_TYPES: Array<[full: string, short: string]> = [['Street', 'St.'], ['Avenue', 'Ave.'], ['Boulevard', 'Blvd.'], ['Road', 'Rd.'], ['Place', 'Pl.']];
const CITIES = ['New York', 'Los Angeles', 'San Francisco', 'Atlanta', 'Las Vegas'];
const CATEGORIES = ['american', 'italian', 'french', 'asian', 'mexican', 'seafood', 'steakhouses', 'delis', 'coffee shops', 'californian'];

interface Place {
	name: string;
	number: number;
	streetName: string;
	streetType: [string, string];
	city: string;
	phone: string;
	category: string;
}

export function generateBusinesses(places: number, seed = 21): LabelledSet {
	const random = seededRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const chance = (probability: number): boolean => random() < probability;
	const digits = (length: number): string => Array.from({ length }, () => Math.floor(random() * 10)).join('');

	const list: Place[] = [];
	const usedNames = new Set<string>();
	for (let index = 0; index < places; index++) {
		const host = list.length > 0 && chance(0.05) ? pick(list) : undefined;
		let name: string;
		if (chance(0.06)) name = pick(CHAINS);
		else {
			do name = chance(0.5) ? `${pick(NAME_WORDS)} ${pick(KINDS)}` : `${pick(NAME_WORDS)} ${pick(NAME_WORDS)} ${pick(KINDS)}`;
			while (usedNames.has(name));
			usedNames.add(name);
		}
		list.push({
			name,
			// A second place at the same address: the hotel's restaurant, a food court.
			number: host?.number ?? 1 + Math.floor(random() * 2000),
			streetName: host?.streetName ?? pick(STREET_NAMES),
			streetType: host?.streetType ?? pick(STREET_TYPES),
			city: host?.city ?? pick(CITIES),
			phone: digits(10),
			category: pick(CATEGORIES),
		});
	}

	const typo = (word: string): string => {
		if (word.length < 5) return word;
		const at = 1 + Math.floor(random() * (word.length - 3));
		return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
	};
	const nameText = (place: Place, varied: boolean): string => {
		if (!varied) return place.name;
		const words = place.name.split(' ');
		const roll = random();
		if (roll < 0.2 && words.length > 1) return [words[words.length - 1], ...words.slice(0, -1)].join(' ');
		if (roll < 0.35) return `${place.name} ${pick(['Restaurant', '(Downtown)', `on ${place.streetName}`, 'and Bar'])}`;
		if (roll < 0.45) return place.name.replace(/ and /g, ' & ').replace(/'s\b/, 's');
		if (roll < 0.55) return typo(place.name);
		if (roll < 0.6 && words.length > 2) return words.slice(1).join(' ');
		return place.name.toLowerCase();
	};
	const addressText = (place: Place, varied: boolean): string => {
		const [full, short] = place.streetType;
		const base = `${place.number} ${place.streetName} ${varied && chance(0.6) ? short : full}`;
		if (!varied) return base;
		const roll = random();
		if (roll < 0.3) return `${base} ${pick(['near', 'at', 'between'])} ${pick(STREET_NAMES)} ${pick(STREET_TYPES)[1]}`;
		if (roll < 0.4) return `${base}, ${pick(['Suite', 'Ste.', '#'])} ${1 + Math.floor(random() * 500)}`;
		if (roll < 0.5) return `${base} ${pick(['(in the Hotel)', 'Lobby', 'Level 2'])}`;
		if (roll < 0.6) return typo(base);
		return base.toLowerCase();
	};
	const phoneText = (phone: string, varied: boolean): string =>
		varied && chance(0.5) ? `${phone.slice(0, 3)}/${phone.slice(3, 6)}-${phone.slice(6)}` : `${phone.slice(0, 3)}-${phone.slice(3, 6)}-${phone.slice(6)}`;

	const records: Array<Record<string, string>> = [];
	const entity: string[] = [];
	list.forEach((place, id) => {
		// Each guide lists a place at most once; about a third of places are in both.
		const inFirst = chance(0.8);
		const inSecond = !inFirst || chance(0.4);
		for (const [guide, present] of [['fodors', inFirst], ['zagat', inSecond]] as const) {
			if (!present) continue;
			const varied = guide === 'zagat';
			records.push({
				source: guide,
				name: nameText(place, varied),
				address: addressText(place, varied),
				city: varied && chance(0.1) ? `${place.city} City` : place.city,
				// A guide sometimes has an old number: the phone cannot be the only way to a match.
				phone: varied && chance(0.15) ? digits(10) : phoneText(place.phone, varied),
				category: varied && chance(0.5) ? pick(CATEGORIES) : place.category,
			});
			entity.push(String(id));
		}
	});
	return { name: `business_${places}`, records, entity };
}
