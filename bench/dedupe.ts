/**
 * Dedupe accuracy and speed.
 *
 * Accuracy: pairwise precision, recall, F1 and the largest cluster of what the shipped presets
 * produce on FEBRL 1 and 2, Splink's fake_1000 and the hard people set (People preset and the
 * probabilistic mode at 0.99), on synthetic B2B leads (B2B preset) and on business listings
 * (custom rules a user would pick). `quick` runs the hard sets small and skips the speed runs. Speed: 10k, 50k and 100k B2B leads within one input through the n8n engine, beside n8n's
 * Remove Duplicates node on exact email in the same run.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import { FellegiSunterMatcher } from '../lib/dedupe/fellegiSunter';
import type { Matcher } from '../lib/dedupe/matcher';
import { RuleMatcher } from '../lib/dedupe/matcher';
import type { MatchRule } from '../lib/dedupe/rules';
import { b2bRules, peopleRules, probabilisticPeopleComparisons } from '../lib/dedupe/rules';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { generateB2bLeads } from './_b2bLeads';
import { generateBusinesses } from './_businesses';
import type { LabelledSet, PairwiseAccuracy } from './_dedupeData';
import { fake1000, febrl, pairwiseAccuracy } from './_dedupeData';
import { generateHardPeople } from './_hardPeople';
import { finish, line } from './_report';

const SIZES = [10_000, 50_000, 100_000];
const B2B_ACCURACY_SIZE = 10_000;
/** `npm run bench -- dedupe quick`: the hard sets at a tenth of their size, and no speed runs. */
const QUICK = process.argv.includes('quick');
/**
 * `npm run bench -- dedupe [quick] hard_people probabilistic`: set and preset names given run only
 * the runs they name (and no speed runs); none given run them all.
 */
const ONLY = process.argv.slice(2).filter((arg) => arg !== 'quick' && !arg.startsWith('--'));
const HARD_PEOPLE = QUICK ? 500 : 5000;
const BUSINESSES = QUICK ? 500 : 3000;

/**
 * The custom rule a user would pick for listings (as in the Fodor's/Zagat task): the same name at
 * the same address, text comparisons at their default threshold. No phone rule, so that the
 * figure measures the text comparisons.
 */
const BUSINESS_RULES: MatchRule[] = [
	{
		name: 'name + address',
		comparisons: [
			{ label: 'name', source: { fields: ['name'] }, type: 'text' },
			{ label: 'address', source: { fields: ['address'] }, type: 'text' },
		],
	},
];

const SETS: Record<string, () => LabelledSet> = {
	febrl1: () => febrl(1),
	febrl2: () => febrl(2),
	fake_1000: fake1000,
	b2b: () => ({ name: 'b2b', ...generateB2bLeads(B2B_ACCURACY_SIZE) }),
	hard_people: () => generateHardPeople({ people: HARD_PEOPLE }),
	business: () => generateBusinesses(BUSINESSES),
};

const MATCHERS: Record<string, () => Matcher> = {
	people: () => new RuleMatcher({ rules: peopleRules() }),
	probabilistic: () => new FellegiSunterMatcher({ comparisons: probabilisticPeopleComparisons(), threshold: 0.99 }),
	b2b: () => new RuleMatcher({ rules: b2bRules(), context: { defaultCountry: 'BR' } }),
	custom: () => new RuleMatcher({ rules: BUSINESS_RULES, }),
};

/** Which preset runs on which set: the people presets on people, each other set with its own. */
const ALL_RUNS: Array<[set: string, matcher: string]> = [
	...['febrl1', 'febrl2', 'fake_1000', 'hard_people'].flatMap((set) => [
		[set, 'people'],
		[set, 'probabilistic'],
	]) as Array<[string, string]>,
	['b2b', 'b2b'],
	['business', 'custom'],
];
const named = (names: string[]): string[] => ONLY.filter((arg) => names.includes(arg));
const RUNS = ALL_RUNS.filter(
	([set, matcher]) =>
		(named(Object.keys(SETS)).length === 0 || named(Object.keys(SETS)).includes(set)) &&
		(named(Object.keys(MATCHERS)).length === 0 || named(Object.keys(MATCHERS)).includes(matcher)),
);

interface RunFigures extends PairwiseAccuracy {
	set: string;
	preset: string;
	records: number;
	largestCluster: number;
	largestTrueCluster: number;
	seconds: number;
	peakMb: number;
}

function largestCluster(keys: ArrayLike<number | string>): number {
	const sizes = new Map<number | string, number>();
	let largest = 0;
	for (let index = 0; index < keys.length; index++) {
		const size = (sizes.get(keys[index]) ?? 0) + 1;
		sizes.set(keys[index], size);
		largest = Math.max(largest, size);
	}
	return largest;
}

/** One set with one preset, in this process (the child of `accuracy`): its peak memory is the run's own. */
function runOne(setName: string, matcherName: string): RunFigures {
	const set = SETS[setName]();
	const matcher = MATCHERS[matcherName]();
	const started = performance.now();
	const outcome = matcher.match({ records: set.records });
	const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
	return {
		set: set.name,
		preset: matcherName,
		records: set.records.length,
		...pairwiseAccuracy(outcome.survivorOf, set.entity),
		largestCluster: largestCluster(outcome.survivorOf),
		largestTrueCluster: largestCluster(set.entity),
		seconds,
		peakMb: peakMb(),
	};
}

/** Runs one set with one preset in a fresh process, so that peak memory is measured per run. */
function accuracy(setName: string, matcherName: string): RunFigures {
	// The bench (never shipped) runs itself once per set: a process's peak RSS is the only honest peak memory per run.
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	const child = spawnSync(process.execPath, [process.argv[1], '--one', setName, matcherName, ...(QUICK ? ['quick'] : [])], {
		encoding: 'utf8',
		maxBuffer: 1 << 20,
	});
	if (child.status !== 0) throw new Error(`${setName} with ${matcherName} failed: ${child.stderr}`);
	const figures = JSON.parse(child.stdout) as RunFigures;
	line(
		`${figures.set.padEnd(17)} ${figures.preset.padEnd(13)} precision ${figures.precision.toFixed(4)}  recall ${figures.recall.toFixed(4)}  F1 ${figures.f1.toFixed(4)}` +
			`  largest cluster ${figures.largestCluster} (true ${figures.largestTrueCluster})  ${figures.records} records  ${figures.seconds.toFixed(2)} s  peak ${figures.peakMb} MB`,
	);
	return figures;
}

function peakMb(): number {
	return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Wall-clock seconds, and CPU seconds of this process (the same work whatever else the machine runs). */
async function timed(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
	(globalThis as { gc?: () => void }).gc?.();
	const started = performance.now();
	const cpuBefore = process.cpuUsage();
	await work();
	const cpu = process.cpuUsage(cpuBefore);
	return {
		wall: Number(((performance.now() - started) / 1000).toFixed(2)),
		cpu: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
	};
}

async function main(): Promise<void> {
	line(`Dedupe bench, Node ${process.version}${QUICK ? ' (quick: small hard sets, no speed runs)' : ''}`);
	line('Accuracy (pairwise, on the clusters; each run in its own process, peak = its peak RSS):');
	const runs = RUNS.map(([set, matcher]) => accuracy(set, matcher));
	const bestF1 = (set: string): number => Math.max(...runs.filter((run) => run.set.startsWith(set)).map((run) => run.f1));
	const accuracyFigures = {
		f1: Object.fromEntries(
			['febrl1', 'febrl2', 'fake_1000', 'b2b', 'hard_people', 'business'].filter((set) => runs.some((run) => run.set.startsWith(set))).map((set) => [set, bestF1(set)]),
		),
		runs: runs.map(({ set, preset, precision, recall, f1, largestCluster: largest, largestTrueCluster, seconds, peakMb: peak }) => ({
			set,
			preset,
			precision,
			recall,
			f1,
			largest_cluster: largest,
			largest_true_cluster: largestTrueCluster,
			seconds,
			peak_mb: peak,
		})),
	};
	const hard = runs.filter((run) => run.set.startsWith('hard_people'));
	if (ONLY.length > 0) {
		finish({ bench: 'dedupe', quick: QUICK, only: ONLY, ...accuracyFigures });
		return;
	}
	line(
		`goals: F1 >= 0.99 febrl2 (${bestF1('febrl2') >= 0.99 ? 'met' : 'MISSED'}), >= 0.90 fake_1000 (${bestF1('fake_1000') >= 0.9 ? 'met' : 'MISSED'}),` +
			` >= 0.99 b2b (${bestF1('b2b') >= 0.99 ? 'met' : 'MISSED'}), >= 0.95 business (${bestF1('business') >= 0.95 ? 'met' : 'MISSED'}),` +
			` >= 0.80 hard people with no cluster over twice the largest true one (${hard.some((run) => run.f1 >= 0.8 && run.largestCluster <= 2 * run.largestTrueCluster) ? 'met' : 'MISSED'})`,
	);
	if (QUICK) {
		finish({ bench: 'dedupe', quick: true, ...accuracyFigures });
		return;
	}

	line('Speed within one input through the n8n engine (B2B preset, default rules):');
	const dedupeWorkflow = {
		nodes: [
			node('Input', INPUT_NODE_TYPE),
			node('Dedupe', 'n8n-nodes-revops.dedupe', { operation: 'withinInput', preset: 'b2b', options: { defaultCountry: 'BR' } }),
		],
		connections: chain([['Input', 'Dedupe']]),
	};
	const removeDuplicatesWorkflow = {
		nodes: [
			node('Input', INPUT_NODE_TYPE),
			node(
				'Remove Duplicates',
				'n8n-nodes-base.removeDuplicates',
				{ operation: 'removeDuplicateInputItems', compare: 'selectedFields', fieldsToCompare: 'email', options: {} },
				2,
			),
		],
		connections: chain([['Input', 'Remove Duplicates']]),
	};
	// One small run first, so the 10k figure does not carry the engine's and the JIT's start-up.
	const warmUp = generateB2bLeads(1000, 1).records.map((json) => ({ json }));
	await runWorkflow(dedupeWorkflow, warmUp);
	await runWorkflow(removeDuplicatesWorkflow, warmUp);
	const seconds: Record<string, number> = {};
	const cpuSeconds: Record<string, number> = {};
	const removeDuplicatesSeconds: Record<string, number> = {};
	const removeDuplicatesCpuSeconds: Record<string, number> = {};
	let peak100k = 0;
	for (const size of SIZES) {
		const label = `${size / 1000}k`;
		const items = generateB2bLeads(size, size).records.map((json) => ({ json }));
		let uniqueCount = 0;
		const dedupe = await timed(async () => {
			const run = await runWorkflow(dedupeWorkflow, items);
			uniqueCount = run.output('Dedupe', 0).length;
		});
		seconds[label] = dedupe.wall;
		cpuSeconds[label] = dedupe.cpu;
		const peak = peakMb();
		if (size === 100_000) peak100k = peak;
		let keptCount = 0;
		const baseline = await timed(async () => {
			const run = await runWorkflow(removeDuplicatesWorkflow, items);
			keptCount = run.output('Remove Duplicates', 0).length;
		});
		removeDuplicatesSeconds[label] = baseline.wall;
		removeDuplicatesCpuSeconds[label] = baseline.cpu;
		line(
			`${String(size).padStart(7)} leads: Dedupe ${dedupe.wall.toFixed(2)} s (CPU ${dedupe.cpu.toFixed(2)} s, ${uniqueCount} unique, peak RSS so far ${peak} MB);` +
				` Remove Duplicates on exact email ${baseline.wall.toFixed(2)} s (CPU ${baseline.cpu.toFixed(2)} s, ${keptCount} kept);` +
				` ratio ${(dedupe.wall / baseline.wall).toFixed(1)}x`,
		);
	}
	const perRecord = SIZES.map((size) => cpuSeconds[`${size / 1000}k`] / size);
	line(
		`growth: ${(perRecord[2] / perRecord[0]).toFixed(2)}x CPU time per record from 10k to 100k (1.00 = linear); goals: 100k < 10 s (${seconds['100k'] < 10 ? 'met' : 'MISSED'}), < 1 GB (${peak100k < 1024 ? 'met' : 'MISSED'})`,
	);
	finish({
		bench: 'dedupe',
		...accuracyFigures,
		seconds,
		cpu_seconds: cpuSeconds,
		peak_mb_100k: peak100k,
		remove_duplicates_seconds: removeDuplicatesSeconds,
		remove_duplicates_cpu_seconds: removeDuplicatesCpuSeconds,
		remove_duplicates_seconds_100k: removeDuplicatesSeconds['100k'],
		dedupe_vs_remove_duplicates_100k: Number((seconds['100k'] / removeDuplicatesSeconds['100k']).toFixed(2)),
	});
}

const one = process.argv.indexOf('--one');
(one >= 0 ? Promise.resolve().then(() => finish(runOne(process.argv[one + 1], process.argv[one + 2]) as unknown as Record<string, unknown>)) : main()).catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
