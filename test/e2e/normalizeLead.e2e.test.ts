/**
 * The packed pack inside a real n8n 2.41.1: installed as a community package, the example workflow
 * imported and published, leads posted to its production webhook over HTTP.
 */
import { loadedNodeTypes, postJson, useN8n, workflowFile } from './n8nServer';

const n8n = useN8n([workflowFile('normalize-lead-webhook.json')]);

const postLead = (record: object) => postJson(n8n(), 'revops/normalize-lead', record);

it('loads Normalize Lead as a community package node, not a custom one', () => {
	// n8n writes every node type it loaded here at start.
	const typeNames = loadedNodeTypes(n8n());
	expect(typeNames).toContain('n8n-nodes-revops.normalizeLead');
	expect(typeNames.filter((name) => name.startsWith('CUSTOM.'))).toEqual([]);
});

it('answers 200 with the normalized lead for a messy but valid lead', async () => {
	const { status, body } = await postLead({
		'E-mail': '  Maria.Silva@Gmail.COM ',
		telefone: '(11) 98765-4321',
		nome: 'MARIA DA SILVA',
		país: 'Brasil',
		utm_source: 'google',
	});
	expect(status).toBe(200);
	expect(body).toMatchObject({
		email: 'maria.silva@gmail.com',
		phone: '+5511987654321',
		country: 'BR',
		first_name: 'Maria',
		last_name: 'da Silva',
	});
});

it('answers 422 with errors naming the field for an invalid lead', async () => {
	const { status, body } = await postLead({ nome: 'Sem Contato', telefone: '12' });
	expect(status).toBe(422);
	expect(body.nome).toBe('Sem Contato');
	expect(body.errors).toEqual(
		expect.arrayContaining([expect.objectContaining({ field: 'phone', message: expect.stringContaining("'12'") })]),
	);
});
