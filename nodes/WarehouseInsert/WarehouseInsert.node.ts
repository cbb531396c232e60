import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { recordsOf } from '../shared/recordLocation';
import {
	DEFAULT_LOAD_JOB_BATCH_SIZE,
	DEFAULT_LOAD_JOB_THRESHOLD,
	bigQueryWritePath,
	type BigQueryWriteMethod,
} from '../../lib/warehouse/bigqueryLoadJob';
import { errorMessage, loadRows, type LoadResult } from '../../lib/warehouse/load';
import { redactSecrets } from '../../lib/warehouse/redact';
import { DEFAULT_RETRY_POLICY, withRetry } from '../../lib/warehouse/retry';
import { prepareRows, rowObject, type ConflictPolicy, type PreparedRows, type UnknownFieldPolicy } from '../../lib/warehouse/rows';
import { customTable, leadsTable, npsResponsesTable, type ColumnMapping, type TableSpec } from '../../lib/warehouse/tables';
import { warehouseInsertProperties } from './description';
import {
	connectionTestResult,
	openWarehouse,
	testBigQueryConnection,
	testSnowflakeConnection,
	testWarehousePostgresCredential,
	type OpenWarehouse,
	type Target,
} from './transport';
import { commaList } from '../shared/commaList';

function tableSpec(context: IExecuteFunctions, keepUnknownFields: boolean): TableSpec {
	const kind = context.getNodeParameter('tableKind', 0) as 'nps' | 'leads' | 'custom';
	if (kind === 'nps') {
		return npsResponsesTable({
			table: context.getNodeParameter('tableName', 0, '') as string,
			keepUnknownFields,
			dimensions: commaList(context.getNodeParameter('dimensions', 0, '') as string),
		});
	}
	if (kind === 'leads') return leadsTable({ table: context.getNodeParameter('tableName', 0, '') as string, keepUnknownFields });
	const columns = (context.getNodeParameter('columns', 0, {}) as { column?: ColumnMapping[] }).column ?? [];
	return customTable({
		table: context.getNodeParameter('customTableName', 0) as string,
		keepUnknownFields,
		columns,
		key: commaList(context.getNodeParameter('keyColumns', 0, '') as string),
	});
}

/** Items of an output placed by item index, in the order the items came in. */
function inItemOrder(slots: Array<INodeExecutionData | undefined>): INodeExecutionData[] {
	return slots.filter((item): item is INodeExecutionData => item !== undefined);
}

/** Written items are the records as read (a Webhook item's body); Failed items carry the record beside the error. */
function routeItems(
	records: IDataObject[],
	spec: TableSpec,
	prepared: PreparedRows,
	result: LoadResult,
	redact: (message: string) => string,
): INodeExecutionData[][] {
	const written = new Array<INodeExecutionData | undefined>(records.length);
	const failed = new Array<INodeExecutionData | undefined>(records.length);
	const write = (index: number) => (written[index] = { json: records[index], pairedItem: { item: index } });
	const fail = (index: number, reason: string, row?: IDataObject) =>
		(failed[index] = { json: { error: redact(reason), row, item: records[index] }, pairedItem: { item: index } });

	for (const row of result.written) write(row.index);
	for (const { row, reason } of result.rejected) fail(row.index, reason, rowObject(spec, row.cells));
	if (result.stopped) {
		const reason = `Not written: ${errorMessage(result.stopped.error)}`;
		for (const row of result.stopped.unwritten) fail(row.index, reason, rowObject(spec, row.cells));
	}
	for (const { index, reason, row } of prepared.failures) fail(index, reason, row);
	// An item folded into another item's row (same key) shares that row's fate.
	for (const { index, writtenAs } of prepared.duplicates) {
		const rowIndex = prepared.rows[writtenAs].index;
		if (written[rowIndex]) write(index);
		else fail(index, `Same key as item ${rowIndex}, which was not written: ${(failed[rowIndex]?.json.error as string | undefined) ?? 'unknown'}`);
	}
	return [inItemOrder(written), inItemOrder(failed)];
}

export class WarehouseInsert implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Warehouse Insert',
		name: 'warehouseInsert',
		icon: { light: 'file:warehouseInsert.svg', dark: 'file:warehouseInsert.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["target"] + ": " + ($parameter["tableKind"] === "custom" ? $parameter["customTableName"] : ($parameter["tableName"] || ($parameter["tableKind"] === "nps" ? "nps_responses" : "leads"))) }}',
		description: 'Loads NPS responses, leads or any rows idempotently into SQLite, PostgreSQL, Redshift, Snowflake or BigQuery, in fast batches',
		defaults: { name: 'Warehouse Insert' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Written', 'Failed'],
		credentials: [
			{
				name: 'warehousePostgresApi',
				required: true,
				testedBy: 'warehousePostgresConnection',
				displayOptions: { show: { target: ['postgres'] } },
			},
			{
				name: 'warehouseRedshiftApi',
				required: true,
				testedBy: 'warehousePostgresConnection',
				displayOptions: { show: { target: ['redshift'] } },
			},
			{
				name: 'warehouseSnowflakeApi',
				required: true,
				testedBy: 'warehouseSnowflakeConnection',
				displayOptions: { show: { target: ['snowflake'] } },
			},
			{
				name: 'warehouseBigQueryApi',
				required: true,
				testedBy: 'warehouseBigQueryConnection',
				displayOptions: { show: { target: ['bigquery'] } },
			},
		],
		properties: warehouseInsertProperties,
	};

	methods = {
		credentialTest: {
			warehousePostgresConnection: testWarehousePostgresCredential,
			async warehouseSnowflakeConnection(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				return await connectionTestResult(() => testSnowflakeConnection(data), [data.privateKey, data.privateKeyPassphrase]);
			},
			async warehouseBigQueryConnection(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				return await connectionTestResult(() => testBigQueryConnection(data), [data.privateKeyJson]);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const target = this.getNodeParameter('target', 0) as Target;
		const onConflict = this.getNodeParameter('onConflict', 0) as ConflictPolicy;
		const unknownFields = this.getNodeParameter('unknownFields', 0) as UnknownFieldPolicy;
		const createTable = this.getNodeParameter('createTable', 0) as boolean;
		const options = this.getNodeParameter('options', 0, {}) as {
			batchSize?: number;
			retries?: number;
			connections?: number;
			bigQueryWriteMethod?: BigQueryWriteMethod;
			loadJobThreshold?: number;
		};
		const retry = { ...DEFAULT_RETRY_POLICY, attempts: 1 + (options.retries ?? DEFAULT_RETRY_POLICY.attempts - 1) };

		let spec: TableSpec;
		try {
			spec = tableSpec(this, unknownFields === 'keep');
		} catch (error) {
			throw new NodeOperationError(this.getNode(), errorMessage(error));
		}
		const records = recordsOf(this, items);
		const prepared = prepareRows(records, spec, { unknownFields, onConflict, dialect: target });

		let bigQueryPath: 'streaming' | 'loadJob' = 'streaming';
		if (target === 'bigquery') {
			const method = options.bigQueryWriteMethod ?? 'auto';
			try {
				bigQueryPath = bigQueryWritePath(method, onConflict, prepared.rows.length, options.loadJobThreshold ?? DEFAULT_LOAD_JOB_THRESHOLD);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), errorMessage(error));
			}
		}
		// A load job per 5,000 rows would spend BigQuery's job quota: unless the user sets a batch size, jobs take more.
		const defaultBatchSize = bigQueryPath === 'loadJob' ? DEFAULT_LOAD_JOB_BATCH_SIZE : 5000;

		let warehouse: OpenWarehouse;
		try {
			warehouse = await openWarehouse(this, target, spec, onConflict, { connections: options.connections ?? 2, bigQueryPath });
		} catch (error) {
			// An unreadable key, key file or database file: nothing was written.
			throw new NodeOperationError(this.getNode(), errorMessage(error));
		}
		const redact = (message: string) => redactSecrets(message, warehouse.secrets);
		let result: LoadResult;
		try {
			const writers = await withRetry(() => warehouse.prepare(createTable), warehouse.isTransient, retry, {
				onRetry: () => warehouse.reset(),
			});
			result = await loadRows(writers, prepared.rows, { batchSize: options.batchSize ?? defaultBatchSize, retry });
		} catch (error) {
			result = { written: [], rejected: [], stopped: { error, unwritten: prepared.rows } };
		} finally {
			await warehouse.close();
		}

		if (result.stopped && !this.continueOnFail()) {
			const committed = result.written.length;
			throw new NodeOperationError(this.getNode(), redact(errorMessage(result.stopped.error)), {
				description: `${committed} row${committed === 1 ? ' was' : 's were'} committed before the error; running the execution again writes only the rest.`,
			});
		}
		return routeItems(records, spec, prepared, result, redact);
	}
}
