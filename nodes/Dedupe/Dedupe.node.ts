import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { recordsOf } from '../shared/recordLocation';
import { classifyRecords, mergeClusters } from '../../lib/dedupe/dedupe';
import type { DedupeRecord } from '../../lib/dedupe/matcher';
import { dedupeProperties } from './description';
import type { DedupeNodeOptions } from './helpers/config';
import { matcherFromParameters, mergeOptionsFromParameters, splitList } from './helpers/config';
import { mergedItems, splitOutputs, warnUnmatchable } from './helpers/output';
import { clearProcessedData, matchAgainstProcessedData } from './helpers/processedData';
import { clearHistory, matchAgainstStore, POSTGRES_CREDENTIAL, releaseHeldRecords, rememberRecords } from './helpers/store';

type Operation = 'withinInput' | 'againstInput' | 'acrossExecutions' | 'rememberRecords' | 'releaseHeld' | 'clearHistory';

/** Whether new records are held until remembered, which adds the In Progress output (see helpers/store holdOptions). */
const HOLDS_EXPRESSION =
	'($parameter["operation"] === "acrossExecutions" && $parameter["store"] !== "n8n" && $parameter["options"]["rememberUnique"] === false && $parameter["options"]["holdNewRecords"] === true)';

/** Operations that work on the records kept between executions. */
const HISTORY_OPERATIONS: Operation[] = ['acrossExecutions', 'rememberRecords', 'releaseHeld', 'clearHistory'];

/** The second input's records; an unconnected second input is an error naming it. */
function existingRecords(context: IExecuteFunctions): DedupeRecord[] {
	let connected = false;
	try {
		connected = Boolean(context.getInputSourceData(1));
	} catch {
		connected = false;
	}
	if (!connected) {
		throw new NodeOperationError(context.getNode(), "Input 2 'Existing Records' is not connected", {
			description: 'Connect the node that returns the records to match against (a CRM search, a sheet, a query) to the second input',
		});
	}
	return recordsOf(context, context.getInputData(1)) as DedupeRecord[];
}

export class Dedupe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dedupe',
		name: 'dedupe',
		icon: { light: 'file:dedupe.svg', dark: 'file:dedupe.dark.svg' },
		group: ['transform'],
		// 1.1: the PostgreSQL record store connects with the Warehouse PostgreSQL credential, not a URL parameter
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Finds the same lead or person within a batch, against existing records or across executions, with fuzzy rules',
		defaults: { name: 'Dedupe' },
		usableAsTool: true,
		inputs: `={{ $parameter["operation"] === "againstInput" ? [{ type: "main", displayName: "New Records" }, { type: "main", displayName: "Existing Records" }] : ["main"] }}`,
		outputs: `={{ $parameter["operation"] === "clearHistory" ? [{ type: "main", displayName: "Done" }] : $parameter["operation"] === "rememberRecords" ? [{ type: "main", displayName: "Remembered" }] : $parameter["operation"] === "releaseHeld" ? [{ type: "main", displayName: "Released" }] : $parameter["outputMode"] === "merge" ? [{ type: "main", displayName: "Merged" }] : [{ type: "main", displayName: "Unique" }, { type: "main", displayName: "Duplicates" }].concat(${HOLDS_EXPRESSION} ? [{ type: "main", displayName: "In Progress" }] : []) }}`,
		credentials: [
			{
				name: POSTGRES_CREDENTIAL,
				required: true,
				displayOptions: { show: { operation: ['acrossExecutions', 'rememberRecords', 'releaseHeld', 'clearHistory'], store: ['postgres'], '@version': [1.1] } },
			},
		],
		properties: dedupeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const store = HISTORY_OPERATIONS.includes(operation) ? (this.getNodeParameter('store', 0) as string) : undefined;
		if (operation === 'clearHistory') return [store === 'n8n' ? await clearProcessedData(this) : await clearHistory(this)];
		if ((operation === 'rememberRecords' || operation === 'releaseHeld') && store === 'n8n') {
			// n8n keeps processed keys per node: another node's keys are out of this node's reach.
			throw new NodeOperationError(this.getNode(), "n8n's deduplication store keeps each node's keys to itself: Remember Records and Release Held Records cannot reach another node's", {
				description: 'Use a SQLite or PostgreSQL record store, with the same History Name as the node that matches',
			});
		}

		const items = this.getInputData();
		const options = this.getNodeParameter('options', 0, {}) as DedupeNodeOptions;
		const outputMode = this.getNodeParameter('outputMode', 0, 'split') as 'split' | 'merge';
		const matcher = matcherFromParameters(this, options);
		const mergeOptions = mergeOptionsFromParameters(this, options);
		const input = recordsOf(this, items) as DedupeRecord[];

		if (operation === 'acrossExecutions' && store === 'n8n') {
			return await matchAgainstProcessedData(this, matcher, items, options, outputMode, mergeOptions.idField, mergeOptions.metaKey);
		}
		if (operation === 'acrossExecutions') return await matchAgainstStore(this, matcher, items, options, outputMode, mergeOptions);
		if (operation === 'rememberRecords') return [await rememberRecords(this, matcher, items, options, mergeOptions)];
		if (operation === 'releaseHeld') return [await releaseHeldRecords(this, matcher, items, mergeOptions)];

		const existing = operation === 'againstInput' ? existingRecords(this) : [];
		const classified = classifyRecords(matcher, input, existing, { idField: mergeOptions.idField, copyFromMatch: splitList(options.copyFromMatch ?? '') });
		warnUnmatchable(this, classified);
		if (outputMode === 'merge') return [mergedItems(mergeClusters(classified, input, existing, mergeOptions))];
		return splitOutputs(items, classified, mergeOptions.metaKey);
	}
}
