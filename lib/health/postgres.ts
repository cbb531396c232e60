/** The flow-metrics store in PostgreSQL, for queue mode (several n8n workers write it at once). */
import { parseTableName, quoteIdentifier, quoteTableName, type TableName } from '../warehouse/identifiers';
import { type PgSession, type PostgresConnection, pgSessionWithSchema } from '../warehouse/postgres';
import { metricsSchemaSql, SqlMetricsStore, type MetricsStatement } from './store';

export const DEFAULT_METRICS_TABLE = 'revops_flow_metrics';

function schemaSql(name: TableName): string {
	return metricsSchemaSql(quoteTableName(name), (suffix) => quoteIdentifier(`${name.table}_${suffix}`), { id: 'BIGSERIAL PRIMARY KEY', time: 'TIMESTAMPTZ', integer: 'BIGINT' });
}

/** Namespaces this store's advisory lock (the dead-letter and dedupe stores use others). */
const SCHEMA_LOCK = 740_333;

export class PostgresMetricsStore extends SqlMetricsStore {
	private constructor(private readonly session: PgSession, table: TableName) {
		super({ table: quoteTableName(table), param: (position) => `$${position}`, time: (position) => `$${position}::timestamptz` });
	}

	/** `table` may name its schema (`ops.flow_metrics`); it is created when missing. */
	static async connect(connection: PostgresConnection, table = DEFAULT_METRICS_TABLE): Promise<PostgresMetricsStore> {
		const name = parseTableName(table);
		const session = await pgSessionWithSchema(connection, 'n8n-nodes-revops flow metrics', SCHEMA_LOCK, schemaSql(name));
		return new PostgresMetricsStore(session, name);
	}

	protected async run<Row>({ sql, values }: MetricsStatement): Promise<Row[]> {
		return await this.session.query<Row>(sql, values);
	}

	async close(): Promise<void> {
		await this.session.close();
	}
}
