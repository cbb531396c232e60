/** The flow-metrics store the node's parameters choose (nodes/shared/storeChoice.ts); what it does lives in lib/health. */
import { DEFAULT_METRICS_TABLE, PostgresMetricsStore } from '../../../lib/health/postgres';
import { SqliteMetricsStore, defaultMetricsFile } from '../../../lib/health/sqlite';
import type { MetricsStore } from '../../../lib/health/store';
import type { StoreChoice } from '../../shared/storeChoice';

export { POSTGRES_CREDENTIAL } from '../../shared/storeChoice';

export const METRICS_STORE: StoreChoice<MetricsStore> = {
	noun: 'flow-metrics',
	defaultFile: () => defaultMetricsFile(),
	defaultTable: DEFAULT_METRICS_TABLE,
	openSqlite: async (file) => await SqliteMetricsStore.open(file),
	connectPostgres: async (connection, table) => await PostgresMetricsStore.connect(connection, table),
};
