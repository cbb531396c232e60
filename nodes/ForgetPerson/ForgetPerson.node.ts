import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { n8nDataFile } from '../../lib/n8nDataFolder';
import { auditRecord, forgetPerson, installSalt } from '../../lib/privacy/forget';
import { subjectOf, type Subject } from '../../lib/privacy/subject';
import { AUDIT_TABLE, writeAudit } from '../../lib/privacy/warehouse';
import { WarehouseInsert } from '../WarehouseInsert/WarehouseInsert.node';
import { forgetPersonProperties } from './description';
import { openStores, type EraseIn } from './transport';

const POSTGRES_USERS = ['warehouse', 'deadLetters', 'npsRedelivery', 'dedupePostgres'];

// Not usableAsTool: an irreversible erasure is a person's decision, not an AI agent's.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ForgetPerson implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Forget Person',
		name: 'forgetPerson',
		icon: { light: 'file:forgetPerson.svg', dark: 'file:forgetPerson.dark.svg' },
		group: ['transform'],
		// 1.1: Dedupe's PostgreSQL store is reached with the Warehouse PostgreSQL credential, not a URL parameter
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: 'LGPD/GDPR erasure',
		description: 'Erases a person (by email, phone or identity key) from Dedupe histories, warehouse tables, dead letters and NPS redelivery keys, with an audit record',
		defaults: { name: 'Forget Person' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Erased', 'Invalid'],
		credentials: [
			// One PostgreSQL credential serves the warehouse, the dead letters, the redelivery keys and (1.1) Dedupe's store, as in the nodes that write them.
			{ name: 'warehousePostgresApi', required: false, testedBy: 'warehousePostgresConnection', displayOptions: { show: { eraseIn: POSTGRES_USERS } } },
			{ name: 'warehouseRedshiftApi', required: true, testedBy: 'warehousePostgresConnection', displayOptions: { show: { eraseIn: ['warehouse'], target: ['redshift'] } } },
			{ name: 'warehouseSnowflakeApi', required: true, testedBy: 'warehouseSnowflakeConnection', displayOptions: { show: { eraseIn: ['warehouse'], target: ['snowflake'] } } },
			{ name: 'warehouseBigQueryApi', required: true, testedBy: 'warehouseBigQueryConnection', displayOptions: { show: { eraseIn: ['warehouse'], target: ['bigquery'] } } },
		],
		properties: forgetPersonProperties,
	};

	/** The same connection tests as Warehouse Insert's, for the same credentials. */
	methods = { credentialTest: new WarehouseInsert().methods.credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const erased: INodeExecutionData[] = [];
		const invalid: INodeExecutionData[] = [];
		const requests: Array<{ index: number; subject: Subject; defaultCountry?: string }> = [];
		items.forEach((item, index) => {
			const defaultCountry = String(this.getNodeParameter('defaultCountry', index, '') ?? '').trim() || undefined;
			const { subject, issues } = subjectOf(
				{
					email: this.getNodeParameter('email', index, ''),
					phone: this.getNodeParameter('phone', index, ''),
					identityKey: this.getNodeParameter('identityKey', index, ''),
				},
				defaultCountry,
			);
			if (issues.length > 0) invalid.push({ json: { ...item.json, errors: issues as unknown as IDataObject[] }, pairedItem: { item: index } });
			else requests.push({ index, subject, defaultCountry });
		});
		if (requests.length === 0) return [erased, invalid];

		const eraseIn = this.getNodeParameter('eraseIn', 0, []) as EraseIn[];
		if (eraseIn.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Erase In names no store: nothing would be erased', {
				description: 'Choose the stores your workflows write (Dedupe history, Warehouse, Dead Letter Queue, NPS Trigger redelivery keys)',
			});
		}
		if (eraseIn.includes('npsRedelivery') && !(eraseIn.includes('warehouse') && String(this.getNodeParameter('npsTable', 0, '') ?? '').trim())) {
			throw new NodeOperationError(this.getNode(), 'NPS Trigger redelivery keys are found through the NPS table: choose Warehouse too, with its NPS Table', {
				description: "The keys hold response ids, not emails: the person's response ids are read from the warehouse's NPS table before its rows are deleted",
			});
		}
		const options = this.getNodeParameter('options', 0, {}) as { saltFile?: string };
		const salt = installSalt(options.saltFile?.trim() || n8nDataFile('revops-privacy.salt'));
		const audit = eraseIn.includes('warehouse') && (this.getNodeParameter('writeAudit', 0, true) as boolean);
		const auditTable = String(this.getNodeParameter('auditTable', 0, AUDIT_TABLE) ?? '').trim() || AUDIT_TABLE;
		const { stores, close } = await openStores(this, eraseIn);
		try {
			for (const { index, subject, defaultCountry } of requests) {
				const removed = await forgetPerson(stores, subject, defaultCountry);
				const record = auditRecord(subject, salt, removed, new Date());
				if (audit && stores.warehouse) await writeAudit(stores.warehouse.runner, record, auditTable);
				// The personal data stays out of the output: the audit record is all a later node needs to show the request was honoured.
				erased.push({ json: { ...record, audit_written: audit } as unknown as IDataObject, pairedItem: { item: index } });
			}
		} finally {
			await close();
		}
		return [erased, invalid];
	}
}
