import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DedupeRecord } from '../../../lib/dedupe/matcher';
import { recordsOf } from '../../shared/recordLocation';
import { matchInput } from './common';

/** Its parameters are shared with other operations (properties.ts); its second input is in the node's inputs. */
export const description: INodeProperties[] = [];

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

/** The items of input 1 matched with each other and with the records on input 2. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	return matchInput(this, items, () => existingRecords(this));
}
