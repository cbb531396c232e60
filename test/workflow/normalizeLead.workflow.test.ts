import { INPUT_NODE_TYPE, chain, node, runWorkflow } from './harness';

const NORMALIZE = 'n8n-nodes-revops.normalizeLead';

describe('Normalize Lead inside the n8n engine', () => {
	it('routes valid and invalid leads to their outputs, keeping pairedItem', async () => {
		const workflow = {
			nodes: [
				node('Input', INPUT_NODE_TYPE),
				node('Normalize Lead', NORMALIZE, { defaultCountry: 'BR', options: {} }),
			],
			connections: chain([['Input', 'Normalize Lead']]),
		};
		const { output, error } = await runWorkflow(workflow, [
			{ 'E-mail': '  Maria.Silva@Gmail.com ', telefone: '(11) 98765-4321', nome: 'MARIA DA SILVA', país: 'Brasil' },
			{ nome: 'Sem Contato', telefone: '12' },
			{ email: 'john@acme.com', company_name: 'ACME Inc.', country: 'USA', form_id: 'f-7' },
		]);
		expect(error).toBeUndefined();

		const valid = output('Normalize Lead', 0);
		const invalid = output('Normalize Lead', 1);
		expect(valid.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(invalid.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);

		expect(valid[0].json).toMatchObject({
			email: 'maria.silva@gmail.com',
			email_is_free: true,
			email_match_key: 'mariasilva@gmail.com',
			phone: '+5511987654321',
			phone_type: 'mobile',
			first_name: 'Maria',
			last_name: 'da Silva',
			country: 'BR',
		});
		expect(valid[1].json).toMatchObject({
			email: 'john@acme.com',
			email_is_free: false,
			company_match_key: 'acme',
			country: 'US',
			form_id: 'f-7',
		});
		expect(invalid[0].json.nome).toBe('Sem Contato');
		expect(invalid[0].json.errors).toEqual(
			expect.arrayContaining([expect.objectContaining({ field: 'phone', message: expect.stringContaining("'12'") })]),
		);
	});

	it('evaluates expressions in its parameters per execution', async () => {
		const workflow = {
			nodes: [
				node('Input', INPUT_NODE_TYPE),
				node('Normalize Lead', NORMALIZE, { defaultCountry: "={{ 'P' + 'T' }}", options: {} }),
			],
			connections: chain([['Input', 'Normalize Lead']]),
		};
		const { output } = await runWorkflow(workflow, [{ email: 'ana@empresa.pt', phone: '912 345 678' }]);
		expect(output('Normalize Lead', 0)[0].json).toMatchObject({ phone: '+351912345678', phone_country: 'PT' });
	});

	it('applies user field aliases and drops unknown fields when asked', async () => {
		const workflow = {
			nodes: [
				node('Input', INPUT_NODE_TYPE),
				node('Normalize Lead', NORMALIZE, {
					defaultCountry: 'US',
					options: {
						keepUnknownFields: false,
						fieldAliases: { alias: [{ alias: 'contact.work_mail', field: 'email' }] },
					},
				}),
			],
			connections: chain([['Input', 'Normalize Lead']]),
		};
		const { output } = await runWorkflow(workflow, [{ contact: { work_mail: 'Sam@Example.org' }, tracking_id: 'x1' }]);
		const lead = output('Normalize Lead', 0)[0].json;
		expect(lead.email).toBe('sam@example.org');
		expect(lead).not.toHaveProperty('tracking_id');
	});

	it('fails the execution with a clear message when the default country is unknown', async () => {
		const workflow = {
			nodes: [node('Input', INPUT_NODE_TYPE), node('Normalize Lead', NORMALIZE, { defaultCountry: 'Atlantis', options: {} })],
			connections: chain([['Input', 'Normalize Lead']]),
		};
		const { error } = await runWorkflow(workflow, [{ email: 'a@b.co' }]);
		expect(error).toMatch(/Atlantis/);
	});

	it('feeds its Valid output into a built-in n8n node with expressions', async () => {
		const workflow = {
			nodes: [
				node('Input', INPUT_NODE_TYPE),
				node('Normalize Lead', NORMALIZE, { defaultCountry: 'GB', options: {} }),
				node(
					'Set',
					'n8n-nodes-base.set',
					{
						mode: 'manual',
						assignments: {
							assignments: [
								{ id: '1', name: 'crm_phone', type: 'string', value: '={{ $json.phone }}' },
								{ id: '2', name: 'source_item', type: 'string', value: "={{ $('Input').item.json.ref }}" },
							],
						},
						options: {},
					},
					3.4,
				),
			],
			connections: chain([
				['Input', 'Normalize Lead'],
				['Normalize Lead', 'Set'],
			]),
		};
		const { output } = await runWorkflow(workflow, [
			{ email: 'x@y.co.uk', phone: '020 7946 0018', ref: 'row-1' },
			{ email: 'z@y.co.uk', phone: '07700 900123', ref: 'row-2' },
		]);
		expect(output('Set').map((item) => item.json)).toEqual([
			expect.objectContaining({ crm_phone: '+442079460018', source_item: 'row-1' }),
			expect.objectContaining({ crm_phone: '+447700900123', source_item: 'row-2' }),
		]);
	});

	it('reads the lead from a Webhook item body, or from a chosen field, and names a missing field', async () => {
		const webhookItem = {
			headers: { 'content-type': 'application/json' },
			params: {},
			query: {},
			body: { correo: 'Lucia@Empresa.es', móvil: '612 34 56 78', país: 'España' },
		};
		const auto = await runWorkflow(
			{
				nodes: [node('Input', INPUT_NODE_TYPE), node('Normalize Lead', NORMALIZE, { options: {} })],
				connections: chain([['Input', 'Normalize Lead']]),
			},
			[webhookItem],
		);
		expect(auto.output('Normalize Lead', 0)[0].json).toMatchObject({
			email: 'lucia@empresa.es',
			phone: '+34612345678',
			country: 'ES',
		});
		expect(auto.output('Normalize Lead', 0)[0].json).not.toHaveProperty('headers');

		const byField = await runWorkflow(
			{
				nodes: [
					node('Input', INPUT_NODE_TYPE),
					node('Normalize Lead', NORMALIZE, { leadSource: 'field', leadField: 'data.lead', options: {} }),
				],
				connections: chain([['Input', 'Normalize Lead']]),
			},
			[{ data: { lead: { email: 'a@acme.com' } } }, { data: {} }],
		);
		expect(byField.output('Normalize Lead', 0).map((item) => item.json.email)).toEqual(['a@acme.com']);
		const invalid = byField.output('Normalize Lead', 1);
		expect(invalid).toHaveLength(1);
		expect(invalid[0].pairedItem).toEqual({ item: 1 });
		expect(invalid[0].json.errors).toEqual([
			{ field: 'data.lead', code: 'missing_lead_data', message: "field 'data.lead' is missing" },
		]);
	});
});
