/**
 * Normalize Lead throughput: the plain module, the node through n8n's engine, and n8n's own
 * Set node doing a naive version of the job (trim + lower-case the email, strip phone
 * punctuation) through the same engine, on the same generated leads.
 */
import { createLeadNormalizer } from '../lib/lead/normalizeLead';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { bestItemsPerSecond, finish, line, seededRandom } from './_report';

const COUNT = Number(process.env.BENCH_ITEMS ?? 50_000);

const FIRST = ['maria', 'JOÃO', 'José', 'ana paula', "o'brien", 'Bill', 'roberto', 'Lucía', 'mcdonald', 'Anne-Marie'];
const LAST = ['DA SILVA', 'santos', 'van der Berg', 'García López', 'Smith', "d'Ávila", 'de la Cruz', 'MacArthur'];
const COMPANIES = ['ACME LTDA', 'Globex S.A.', 'initech, inc.', 'Umbrella GmbH', 'Stark Industries LLC', 'Padaria do Zé ME'];
const PHONES: Array<[string, string]> = [
	['(11) 98765-4321', 'Brasil'],
	['+1 (415) 555-2671', 'USA'],
	['020 7946 0018', 'UK'],
	['0049 30 123456', 'Deutschland'],
	['612 345 678', 'España'],
	['+52 55 1234 5678', 'México'],
	['06 12 34 56 78', 'France'],
	['912 345 678', 'Portugal'],
];
const INDUSTRIES = ['software', 'Tecnologia', 'banco', 'e-commerce', 'saúde', 'consultoria', 'manufactura', 'Other stuff'];

function generateLeads(count: number): Array<Record<string, unknown>> {
	const random = seededRandom(42);
	const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
	return Array.from({ length: count }, (_, index) => {
		const [phone, country] = pick(PHONES);
		const first = pick(FIRST);
		// One lead in twenty is unusable (no email, a two-digit phone): the Invalid path is timed too.
		if (index % 20 === 19) return { nome: `${first} ${pick(LAST)}`, telefone: '12', país: country };
		return {
			'E-mail': `  ${first.replace(/[^a-z]/gi, '')}.${index}+news@${pick(['Gmail.com', 'acme.com.br', 'Outlook.com', 'globex.io'])} `,
			telefone: phone,
			nome: `${first} ${pick(LAST)}`,
			empresa: pick(COMPANIES),
			país: country,
			industry: pick(INDUSTRIES),
			landing_page: `https://www.example.com/lp?utm_source=${pick(['Google', 'facebook', 'newsletter'])}&utm_medium=cpc&utm_campaign=q${index % 4}`,
			consent: pick(['sim', 'yes', 'true', 'no']),
			consent_date: '2026-03-01T10:00:00Z',
		};
	});
}

async function main(): Promise<void> {
	const leads = generateLeads(COUNT);
	line(`Normalize Lead bench: ${COUNT} generated messy leads, Node ${process.version}`);

	const normalize = createLeadNormalizer({ defaultCountry: 'BR' });
	let validCount = 0;
	const coreItemsPerSecond = await bestItemsPerSecond(COUNT, 5, () => {
		validCount = 0;
		for (const lead of leads) if (normalize(lead).valid) validCount++;
	});
	line(`plain module:            ${coreItemsPerSecond.toLocaleString('en')} items/s (${validCount} valid)`);

	const items = leads.map((json) => ({ json }));
	const engineWorkflow = {
		nodes: [node('Input', INPUT_NODE_TYPE), node('Normalize Lead', 'n8n-nodes-revops.normalizeLead', { defaultCountry: 'BR', options: {} })],
		connections: chain([['Input', 'Normalize Lead']]),
	};
	const engineItemsPerSecond = await bestItemsPerSecond(COUNT, 3, () => runWorkflow(engineWorkflow, items));
	line(`through the n8n engine:  ${engineItemsPerSecond.toLocaleString('en')} items/s`);

	const baselineWorkflow = {
		nodes: [
			node('Input', INPUT_NODE_TYPE),
			node(
				'Set',
				'n8n-nodes-base.set',
				{
					mode: 'manual',
					includeOtherFields: true,
					assignments: {
						assignments: [
							{ id: 'e', name: 'email', type: 'string', value: "={{ $json['E-mail'].trim().toLowerCase() }}" },
							{ id: 'p', name: 'phone', type: 'string', value: "={{ $json.telefone.replace(/[^0-9+]/g, '') }}" },
						],
					},
					options: {},
				},
				3.4,
			),
		],
		connections: chain([['Input', 'Set']]),
	};
	const baselineItemsPerSecond = await bestItemsPerSecond(COUNT, 3, () => runWorkflow(baselineWorkflow, items));
	line(`n8n Set node (naive):    ${baselineItemsPerSecond.toLocaleString('en')} items/s`);
	line(
		`ratio engine/Set node: ${(engineItemsPerSecond / baselineItemsPerSecond).toFixed(2)}x; goals: plain >= 50,000/s (${coreItemsPerSecond >= 50_000 ? 'met' : 'MISSED'}), engine >= 20,000/s (${engineItemsPerSecond >= 20_000 ? 'met' : 'MISSED'})`,
	);
	finish({
		bench: 'normalize',
		items: COUNT,
		core_items_per_s: coreItemsPerSecond,
		engine_items_per_s: engineItemsPerSecond,
		baseline_items_per_s: baselineItemsPerSecond,
		engine_vs_baseline: Number((engineItemsPerSecond / baselineItemsPerSecond).toFixed(2)),
	});
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
