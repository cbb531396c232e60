/** The embedded flow-metrics store: a SQLite file beside n8n's data, like the dead letters. */
import { n8nDataFile } from '../n8nDataFolder';
import { SqliteStatements } from '../sqliteStatements';
import { metricsSchemaSql, SqlMetricsStore, type MetricsStatement } from './store';

const TABLE = 'revops_flow_metrics';
const SCHEMA = metricsSchemaSql(TABLE, (suffix) => `${TABLE}_${suffix}`, { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', time: 'TEXT', integer: 'INTEGER' });

/** `revops-metrics.sqlite` in n8n's data folder. */
export function defaultMetricsFile(env: NodeJS.ProcessEnv = process.env): string {
	return n8nDataFile('revops-metrics.sqlite', env);
}

export class SqliteMetricsStore extends SqlMetricsStore {
	private constructor(private readonly db: SqliteStatements) {
		super({ table: TABLE, param: (position) => `?${position}`, time: (position) => `?${position}` });
	}

	static async open(file: string): Promise<SqliteMetricsStore> {
		return new SqliteMetricsStore(await SqliteStatements.open(file, SCHEMA));
	}

	protected async run<Row>({ sql, values }: MetricsStatement): Promise<Row[]> {
		return await this.db.all<Row>(sql, values);
	}

	async close(): Promise<void> {
		this.db.close();
	}
}
