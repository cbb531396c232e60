/**
 * Variants of a template for the end-to-end tests, written to temporary files n8n imports: the copy a
 * user makes when the template's sticky note tells them how to switch its warehouse to PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { pgConnection } from '../support/postgres';

const WAREHOUSE_POSTGRES_CREDENTIAL = { id: 'revopsWarehousePostgres', name: 'Warehouse PostgreSQL' };

interface TemplateNode {
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface TemporaryFile {
	file: string;
	remove(): void;
}

function temporaryJsonFile(prefix: string, content: unknown): TemporaryFile {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const file = path.join(folder, 'file.json');
	fs.writeFileSync(file, JSON.stringify(content, null, '\t'));
	return { file, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** A Warehouse PostgreSQL credential (n8n's export format) for the database PG_URL names. */
export function warehousePostgresCredentialFile(): TemporaryFile {
	return temporaryJsonFile('revops-credential-', [{ ...WAREHOUSE_POSTGRES_CREDENTIAL, type: 'warehousePostgresApi', data: pgConnection() }]);
}

/** Node types whose `path` parameter is the workflow's production webhook path. */
const WEBHOOK_TRIGGERS = ['n8n-nodes-base.webhook', 'n8n-nodes-revops.npsTrigger'];

export interface PostgresVariantChange {
	/** webhook path of the copy */
	path: string;
	/** the warehouse table, `schema.table` */
	table: string;
	/**
	 * The Dedupe history on PostgreSQL too, as the template's "Sent once" note says for queue mode (a SQLite
	 * file per worker would be a history per worker): both Dedupe nodes get the PostgreSQL store through the
	 * Warehouse PostgreSQL credential, and this history name.
	 */
	history?: { name: string };
	/** NPS Trigger's Redelivery Check on PostgreSQL (the Warehouse PostgreSQL credential), for several webhook processors. */
	redeliveryClaims?: boolean;
	/** workflow id of the copy; `<template id>Pg` by default */
	id?: string;
}

/**
 * The template with its Warehouse Insert switched to PostgreSQL as its note says (target, credential,
 * table), and a webhook path and workflow id of its own so it can be active beside the original.
 */
export function postgresVariant(templateFile: string, change: PostgresVariantChange): TemporaryFile {
	const workflow = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { id?: string; name: string; nodes: TemplateNode[] };
	const webhooks = workflow.nodes.filter((node) => WEBHOOK_TRIGGERS.includes(node.type));
	const warehouses = workflow.nodes.filter((node) => node.type === 'n8n-nodes-revops.warehouseInsert');
	if (webhooks.length !== 1 || warehouses.length !== 1) throw new Error(`${templateFile}: expected one webhook trigger and one Warehouse Insert node`);
	workflow.id = change.id ?? `${workflow.id ?? 'template'}Pg`;
	workflow.name = `${workflow.name} (PostgreSQL warehouse)`;
	webhooks[0].parameters.path = change.path;
	warehouses[0].parameters = { ...warehouses[0].parameters, target: 'postgres', tableName: change.table };
	delete warehouses[0].parameters.databaseFile;
	warehouses[0].credentials = { warehousePostgresApi: WAREHOUSE_POSTGRES_CREDENTIAL };
	if (change.history) {
		const { name } = change.history;
		for (const dedupe of workflow.nodes.filter((node) => node.type === 'n8n-nodes-revops.dedupe')) {
			dedupe.parameters = { ...dedupe.parameters, store: 'postgres', historyName: name };
			delete dedupe.parameters.sqlitePath;
			dedupe.credentials = { warehousePostgresApi: WAREHOUSE_POSTGRES_CREDENTIAL };
		}
	}
	if (change.redeliveryClaims) {
		const [trigger] = webhooks;
		if (trigger.type !== 'n8n-nodes-revops.npsTrigger') throw new Error(`${templateFile}: redeliveryClaims needs an NPS Trigger`);
		trigger.parameters.redeliveryStore = 'postgres';
		trigger.credentials = { ...trigger.credentials, warehousePostgresApi: WAREHOUSE_POSTGRES_CREDENTIAL };
	}
	return temporaryJsonFile('revops-variant-', workflow);
}

/** The replay template retrying at once (First Retry After 0 minutes), as a user may set it, so a test need not wait 5 minutes. */
export function replayAtOnceVariant(templateFile: string): TemporaryFile {
	const workflow = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { nodes: TemplateNode[] };
	const due = workflow.nodes.filter((node) => node.type === 'n8n-nodes-revops.deadLetters' && node.parameters.operation === 'getDue');
	if (due.length !== 1) throw new Error(`${templateFile}: expected one Get Due for Replay node`);
	due[0].parameters = { ...due[0].parameters, firstDelayMinutes: 0 };
	return temporaryJsonFile('revops-variant-', workflow);
}
