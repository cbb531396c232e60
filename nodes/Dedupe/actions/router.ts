import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as acrossExecutions from './acrossExecutions.operation';
import * as againstInput from './againstInput.operation';
import * as clearHistory from './clearHistory.operation';
import * as releaseHeld from './releaseHeld.operation';
import * as rememberRecords from './rememberRecords.operation';
import * as withinInput from './withinInput.operation';

export const operations = { withinInput, againstInput, acrossExecutions, rememberRecords, releaseHeld, clearHistory };

/**
 * Runs the chosen operation on the input items. Unlike the Dead Letter Queue's, this router opens no store:
 * two operations need none, and the others open the history (transport/) only once their parameters are
 * read, Release Held Records only when something is held.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const name = this.getNodeParameter('operation', 0) as string;
	const operation = operations[name as keyof typeof operations];
	if (operation === undefined) throw new NodeOperationError(this.getNode(), `Unknown operation '${name}'`);
	return await operation.execute.call(this, this.getInputData());
}
