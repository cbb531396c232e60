/**
 * Warehouse Insert inside a real n8n 2.41.1: the packed pack installed as a community package, the
 * example workflow (Webhook -> Warehouse Insert -> Respond) imported and published, NPS
 * responses posted to its production webhook, the embedded SQLite file read afterwards.
 */
import path from 'node:path';

import { openSqlite } from '../../lib/warehouse/sqlite';
import { npsResponse } from '../fixtures/npsResponses';
import { loadedNodeTypes, postJson, useN8n, workflowFile } from './n8nServer';

const n8n = useN8n([workflowFile('warehouse-insert-webhook.json')]);

const post = (record: object) => postJson(n8n(), 'revops/warehouse-nps', record);

it('loads Warehouse Insert as a community package node', () => {
	expect(loadedNodeTypes(n8n())).toContain('n8n-nodes-revops.warehouseInsert');
});

it('writes a response once into the SQLite file in the n8n user folder, however often it is posted', async () => {
	expect(await post(npsResponse(1))).toEqual({ status: 200, body: { written: 'resp-1' } });
	expect(await post(npsResponse(1))).toEqual({ status: 200, body: { written: 'resp-1' } });
	expect(await post(npsResponse(2))).toEqual({ status: 200, body: { written: 'resp-2' } });
	const db = openSqlite(path.join(n8n().userFolder, '.n8n', 'revops-warehouse.sqlite'));
	try {
		expect(db.prepare('SELECT response_id, nps_score, plan, region FROM nps_responses ORDER BY response_id').all()).toEqual([
			{ response_id: 'resp-1', nps_score: 7, plan: 'starter', region: 'amer' },
			{ response_id: 'resp-2', nps_score: 3, plan: 'pro', region: 'apac' },
		]);
	} finally {
		db.close();
	}
});

it("answers 422 with SQLite's reason for a row it refuses", async () => {
	const { status, body } = await post(npsResponse(3, { nps_score: 11 }));
	expect(status).toBe(422);
	expect(body.error).toMatch(/CHECK constraint failed/);
});
