/**
 * Warehouse Insert throughput: 50,000 canonical NPS responses into the same PostgreSQL (PG_URL)
 * through n8n's engine, side by side with n8n's built-in Postgres node (insert operation) and
 * with a raw COPY of the same rows, plus Warehouse Insert into a SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { createTableSql } from '../lib/warehouse/dialects';
import { copyText } from '../lib/warehouse/postgres';
import { prepareRows } from '../lib/warehouse/rows';
import { npsResponsesTable } from '../lib/warehouse/tables';
import { npsResponses } from '../test/fixtures/npsResponses';
import { PG_URL, pgConnection } from '../test/support/postgres';
import { INPUT_NODE_TYPE, chain, node, runWorkflow } from '../test/workflow/harness';
import { finish, line } from './_report';

const COUNT = Number(process.env.BENCH_ITEMS ?? 50_000);
// Best of ROUNDS for every contender alike: this VM's speed wanders by a third from minute to minute.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCHEMA = 'bench_warehouse';

async function sql(client: Client, text: string): Promise<void> {
	await client.query(text);
}

/**
 * Rows per second of `work`, best of `rounds` after one untimed warm-up round (n8n runs a node's
 * code many times in one process, so the steady state is the one that matters), with `reset`
 * (untimed) before each round.
 */
async function bestRowsPerSecond(rounds: number, reset: () => Promise<void>, work: () => Promise<void>): Promise<number> {
	let best = 0;
	for (let round = 0; round <= rounds; round++) {
		await reset();
		(globalThis as { gc?: () => void }).gc?.();
		const started = performance.now();
		await work();
		if (round > 0) best = Math.max(best, COUNT / ((performance.now() - started) / 1000));
	}
	return Math.round(best);
}

async function tableCount(client: Client, table: string): Promise<number> {
	return Number((await client.query(`SELECT count(*) FROM ${SCHEMA}.${table}`)).rows[0].count);
}

async function main(): Promise<void> {
	const records = npsResponses(COUNT);
	const items = records.map((json) => ({ json: json as unknown as Record<string, never> }));
	const admin = new Client({ connectionString: PG_URL });
	await admin.connect();
	await sql(admin, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
	await sql(admin, `CREATE SCHEMA ${SCHEMA}`);
	line(`Warehouse bench: ${COUNT} canonical NPS responses, PostgreSQL at ${new URL(PG_URL).host}, Node ${process.version}`);

	// Warehouse Insert through the engine. Like the built-in node's, its table is made new before
	// each round, untimed: the node then checks it and loads.
	const warehouseParameters = {
		target: 'postgres',
		tableKind: 'nps',
		tableName: `${SCHEMA}.nps_responses`,
		dimensions: 'plan, region',
		onConflict: 'skip',
		unknownFields: 'keep',
		createTable: true,
		options: {},
	};
	const warehouseNode = node('Warehouse Insert', 'n8n-nodes-revops.warehouseInsert', warehouseParameters);
	warehouseNode.credentials = { warehousePostgresApi: { id: '1', name: 'bench' } };
	const warehouseWorkflow = { nodes: [node('Input', INPUT_NODE_TYPE), warehouseNode], connections: chain([['Input', 'Warehouse Insert']]) };
	const credentials = { warehousePostgresApi: { ...pgConnection() } };
	const warehouseTable = createTableSql('postgres', npsResponsesTable({ table: `${SCHEMA}.nps_responses`, keepUnknownFields: true, dimensions: ['plan', 'region'] }));
	let writtenItems = 0;
	const rowsPerSecond = await bestRowsPerSecond(
		ROUNDS,
		async () => {
			await sql(admin, `DROP TABLE IF EXISTS ${SCHEMA}.nps_responses`);
			await sql(admin, warehouseTable);
		},
		async () => {
			const run = await runWorkflow(warehouseWorkflow, items, { credentials });
			writtenItems = run.output('Warehouse Insert', 0).length;
		},
	);
	const stored = await tableCount(admin, 'nps_responses');
	line(`Warehouse Insert (engine, PostgreSQL): ${rowsPerSecond.toLocaleString('en')} rows/s (${writtenItems} items written, ${stored} rows in the table)`);
	// The same execution again: every key is stored, so each batch goes the staged ON CONFLICT way.
	const replayRowsPerSecond = await bestRowsPerSecond(
		1,
		async () => undefined,
		async () => {
			await runWorkflow(warehouseWorkflow, items, { credentials });
		},
	);
	line(`  replaying the same ${COUNT.toLocaleString('en')} (all skipped): ${replayRowsPerSecond.toLocaleString('en')} rows/s (${await tableCount(admin, 'nps_responses')} rows in the table)`);

	// n8n's built-in Postgres node, insert operation, auto-mapping the same items to same-named
	// columns (the canonical record's `comment` is the preset's raw_text).
	const builtinSpec = npsResponsesTable({ table: `${SCHEMA}.builtin_nps`, keepUnknownFields: false });
	const builtinTable = createTableSql('postgres', builtinSpec)
		.replace('"raw_text" text', '"comment" text')
		// The node sends arrays as PostgreSQL arrays.
		.replace('"themes" jsonb', '"themes" text[]');
	const builtinNode = node(
		'Postgres',
		'n8n-nodes-base.postgres',
		{
			resource: 'database',
			operation: 'insert',
			schema: { __rl: true, mode: 'list', value: SCHEMA },
			table: { __rl: true, mode: 'list', value: 'builtin_nps' },
			columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] },
			options: {},
		},
		2.6,
	);
	builtinNode.credentials = { postgres: { id: '2', name: 'bench' } };
	const builtinWorkflow = { nodes: [node('Input', INPUT_NODE_TYPE), builtinNode], connections: chain([['Input', 'Postgres']]) };
	const connection = pgConnection();
	const builtinCredentials = {
		postgres: { ...connection, ssl: 'disable', allowUnauthorizedCerts: false, sshTunnel: false, maxConnections: 20 },
	};
	let builtinError: string | undefined;
	const builtinRowsPerSecond = await bestRowsPerSecond(
		ROUNDS,
		async () => {
			await sql(admin, `DROP TABLE IF EXISTS ${SCHEMA}.builtin_nps`);
			await sql(admin, builtinTable);
		},
		async () => {
			const run = await runWorkflow(builtinWorkflow, items, { credentials: builtinCredentials });
			builtinError = run.error;
		},
	);
	if (builtinError) throw new Error(`The built-in Postgres node failed: ${builtinError}`);
	line(`n8n Postgres node (insert):            ${builtinRowsPerSecond.toLocaleString('en')} rows/s (${await tableCount(admin, 'builtin_nps')} rows in the table)`);

	// Raw COPY of the same rows into the same table definition: the floor every loader pays.
	const copySpec = npsResponsesTable({ table: `${SCHEMA}.copy_nps`, keepUnknownFields: true, dimensions: ['plan', 'region'] });
	const copyRowsPerSecond = await bestRowsPerSecond(
		ROUNDS,
		async () => {
			await sql(admin, `DROP TABLE IF EXISTS ${SCHEMA}.copy_nps`);
			await sql(admin, createTableSql('postgres', copySpec));
		},
		async () => {
			const { rows } = prepareRows(records, copySpec, { unknownFields: 'keep', onConflict: 'skip' });
			const data = copyText(rows);
			await new Promise<void>((resolve, reject) => {
				const stream = admin.query(copyFrom(`COPY ${SCHEMA}.copy_nps FROM STDIN`));
				stream.on('error', reject);
				stream.on('finish', resolve);
				stream.end(data);
			});
		},
	);
	line(`raw COPY FROM STDIN:                   ${copyRowsPerSecond.toLocaleString('en')} rows/s (${await tableCount(admin, 'copy_nps')} rows in the table)`);

	// Warehouse Insert into a fresh SQLite file each round.
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-warehouse-'));
	let round = 0;
	const sqliteRowsPerSecond = await bestRowsPerSecond(
		ROUNDS,
		async () => {
			round++;
		},
		async () => {
			const sqliteNode = node('Warehouse Insert', 'n8n-nodes-revops.warehouseInsert', {
				...warehouseParameters,
				target: 'sqlite',
				tableName: '',
				databaseFile: path.join(dir, `round-${round}.sqlite`),
			});
			const run = await runWorkflow({ nodes: [node('Input', INPUT_NODE_TYPE), sqliteNode], connections: chain([['Input', 'Warehouse Insert']]) }, items);
			if (run.output('Warehouse Insert', 0).length !== COUNT) throw new Error(`SQLite run wrote ${run.output('Warehouse Insert', 0).length} items`);
		},
	);
	rmSync(dir, { recursive: true, force: true });
	line(`Warehouse Insert (engine, SQLite):     ${sqliteRowsPerSecond.toLocaleString('en')} rows/s`);

	await sql(admin, `DROP SCHEMA ${SCHEMA} CASCADE`);
	await admin.end();

	const vsBuiltin = rowsPerSecond / builtinRowsPerSecond;
	const vsCopy = rowsPerSecond / copyRowsPerSecond;
	line(
		`ratio vs built-in node: ${vsBuiltin.toFixed(1)}x (goal >= 10x: ${vsBuiltin >= 10 ? 'met' : 'MISSED'}); ` +
			`vs raw COPY: ${vsCopy.toFixed(2)} (goal >= 0.5: ${vsCopy >= 0.5 ? 'met' : 'MISSED'})`,
	);
	finish({
		bench: 'warehouse',
		rows: COUNT,
		rows_per_s: rowsPerSecond,
		builtin_rows_per_s: builtinRowsPerSecond,
		copy_rows_per_s: copyRowsPerSecond,
		sqlite_rows_per_s: sqliteRowsPerSecond,
		replay_rows_per_s: replayRowsPerSecond,
		vs_builtin: Number(vsBuiltin.toFixed(2)),
		vs_copy: Number(vsCopy.toFixed(2)),
	});
}

main()
	// n8n's Postgres connection pool manager keeps a cleanup timer running: end the process here.
	.then(() => process.exit(0))
	.catch((error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	});
