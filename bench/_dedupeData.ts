/** Labelled record-linkage data sets for the dedupe bench, and pairwise accuracy of a clustering. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Benches run from the project root (scripts/bench.mjs). */
const DATA_DIR = path.join(process.cwd(), 'bench', 'data', 'dedupe');

export interface LabelledSet {
	name: string;
	records: Array<Record<string, string>>;
	/** True entity of each record. */
	entity: string[];
}

/** Comma-separated values without quoting (these files have none); values trimmed. */
function readCsv(file: string): Array<Record<string, string>> {
	const [header, ...rows] = readFileSync(path.join(DATA_DIR, file), 'utf8').trim().split('\n');
	const columns = header.split(',').map((column) => column.trim());
	return rows.map((row) => {
		const values = row.split(',');
		return Object.fromEntries(columns.map((column, index) => [column, (values[index] ?? '').trim()]));
	});
}

/** FEBRL: rec-N-org is an original, rec-N-dup-k its corrupted copies. */
export function febrl(which: 1 | 2): LabelledSet {
	const records = readCsv(`febrl${which}.csv`);
	return { name: `febrl${which}`, records, entity: records.map((record) => record.rec_id.split('-')[1]) };
}

/** Splink's fake_1000: the cluster column is the true person. */
export function fake1000(): LabelledSet {
	const rows = readCsv('fake_1000.csv');
	const entity = rows.map((row) => row.cluster);
	for (const row of rows) delete row.cluster;
	return { name: 'fake_1000', records: rows, entity };
}

export interface PairwiseAccuracy {
	precision: number;
	recall: number;
	f1: number;
	truePairs: number;
	predictedPairs: number;
}

const pairs = (size: number): number => (size * (size - 1)) / 2;

function countBy(keys: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
	return counts;
}

/** Pairwise precision, recall and F1 of predicted clusters against the true entities. */
export function pairwiseAccuracy(predicted: ArrayLike<number>, entity: string[]): PairwiseAccuracy {
	const predictedKeys = Array.from(predicted, String);
	let predictedPairs = 0;
	for (const size of countBy(predictedKeys).values()) predictedPairs += pairs(size);
	let truePairs = 0;
	for (const size of countBy(entity).values()) truePairs += pairs(size);
	let correct = 0;
	for (const size of countBy(predictedKeys.map((key, index) => `${key}\u0001${entity[index]}`)).values()) correct += pairs(size);
	const precision = predictedPairs === 0 ? 1 : correct / predictedPairs;
	const recall = truePairs === 0 ? 1 : correct / truePairs;
	const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
	const round = (value: number): number => Math.round(value * 10000) / 10000;
	return { precision: round(precision), recall: round(recall), f1: round(f1), truePairs, predictedPairs };
}
