/**
 * PostgreSQL is stopped and started while 100,000 NPS rows load; afterwards every row is in the
 * table exactly once. Run alone (`npm run test:fault`): stopping the server disturbs any other
 * test using it. The server is always started again, whatever happens.
 */
import { Client } from 'pg';

import { loadRows, type Rejection, type WarehouseWriter } from '../../lib/warehouse/load';
import { PgSession, PostgresWriter, clientConfig, openPostgresWriters } from '../../lib/warehouse/postgres';
import { prepareRows, type PreparedRow } from '../../lib/warehouse/rows';
import { npsResponsesTable } from '../../lib/warehouse/tables';
import { npsResponses } from '../fixtures/npsResponses';
import { PG_URL, pgConnection, scratchSchema } from '../support/postgres';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cluster = require('../support/pgCluster.cjs') as typeof import('../support/pgCluster.cjs');

const ROWS = 100_000;

/** Counts the transient failures the load rode through, to prove the restart hit it. */
class ObservedWriter implements WarehouseWriter {
	transientFailures = 0;
	constructor(private readonly inner: PostgresWriter) {}
	writeBatch(rows: PreparedRow[]): Promise<Rejection[]> {
		return this.inner.writeBatch(rows);
	}
	isTransient(error: unknown): boolean {
		const transient = this.inner.isTransient(error);
		if (transient) this.transientFailures++;
		return transient;
	}
	isRowRejection(error: unknown): boolean {
		return this.inner.isRowRejection(error);
	}
	reset(): Promise<void> {
		return this.inner.reset();
	}
}

async function query<Row>(sql: string): Promise<Row[]> {
	const client = new Client({ connectionString: PG_URL });
	await client.connect();
	try {
		return (await client.query(sql)).rows as Row[];
	} finally {
		await client.end();
	}
}

describe('PostgreSQL restarting in the middle of a load', () => {
	const schema = scratchSchema('fault');

	beforeAll(() => cluster.ensureRunning());
	afterAll(async () => {
		cluster.ensureRunning();
		await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
	});

	it('loses no row and duplicates none', async () => {
		await query(`CREATE SCHEMA ${schema}`);
		const spec = npsResponsesTable({ table: `${schema}.nps_responses`, keepUnknownFields: false });
		const sessions = [new PgSession(clientConfig(pgConnection())), new PgSession(clientConfig(pgConnection()))];
		const writers = (await openPostgresWriters(sessions, spec, 'skip', true)).map((writer) => new ObservedWriter(writer));
		try {
			const { rows } = prepareRows(npsResponses(ROWS), spec, { unknownFields: 'ignore', onConflict: 'skip' });

			let restart: Promise<void> | undefined;
			let restartError: unknown;
			const load = loadRows(writers, rows, {
				batchSize: 500,
				retry: { attempts: 40, baseDelayMs: 100, maxDelayMs: 1000 },
				onBatch: (written) => {
					if (written < 20_000 || restart) return;
					restart = (async () => {
						try {
							cluster.stop();
							await new Promise((resolve) => setTimeout(resolve, 1000));
						} catch (error) {
							restartError = error;
						} finally {
							cluster.ensureRunning();
						}
					})();
				},
			});
			const result = await load;
			await restart;
			expect(restartError).toBeUndefined();
			expect(restart).toBeDefined();
			expect(writers[0].transientFailures + writers[1].transientFailures).toBeGreaterThan(0);
			expect(result.stopped).toBeUndefined();
			expect(result.rejected).toEqual([]);
			expect(result.written).toHaveLength(ROWS);

			const [counts] = await query<{ total: number; distinct_ids: number; missing: number }>(
				`SELECT count(*)::int AS total, count(DISTINCT response_id)::int AS distinct_ids,
				        (SELECT count(*)::int FROM generate_series(0, ${ROWS - 1}) AS g
				         WHERE NOT EXISTS (SELECT 1 FROM ${schema}.nps_responses WHERE response_id = 'resp-' || g)) AS missing
				 FROM ${schema}.nps_responses`,
			);
			expect(counts).toEqual({ total: ROWS, distinct_ids: ROWS, missing: 0 });
		} finally {
			cluster.ensureRunning();
			await Promise.all(sessions.map((session) => session.close()));
		}
	}, 180_000);
});
