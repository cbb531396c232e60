import { DataDeduplicationService } from 'n8n-core';

import { TEST_SECRETS, fixtureJson, signedDelivery, withChanges } from '../../support/npsSenders';
import { MemoryProcessedStore, callWebhook, type FakeWebhookOptions } from '../../support/fakeWebhookContext';

const typeformParameters = { path: 'nps', provider: 'typeform', authentication: 'signature', options: {} };
const secretsCredential = (secret: string, previousSecrets = '') => ({ npsWebhookSecretsApi: { secret, previousSecrets, basicAuthUser: '' } });
const typeformOptions = (extra: Partial<FakeWebhookOptions> = {}): FakeWebhookOptions => ({
	parameters: typeformParameters,
	credentials: secretsCredential(TEST_SECRETS.typeform),
	...extra,
});

const typeform = withChanges(fixtureJson('typeform.form_response.official_example.json'), {
	'form_response.definition.fields[]': { id: 'npsFieldId', title: 'How likely...', type: 'nps', ref: 'nps_ref' },
	'form_response.answers[]': { type: 'number', number: 10, field: { id: 'npsFieldId', type: 'nps' } },
});
const delighted = fixtureJson('delighted.survey_response_updated.zulip.json');

describe('NpsTrigger.webhook()', () => {
	it('answers 200 and starts the workflow with the canonical record on the first output', async () => {
		const { result, sent } = await callWebhook(signedDelivery('typeform', typeform), typeformOptions());
		expect(sent).toEqual({ status: 200, body: { received: true, response_id: 'a3a12ec67a1365927098a606107fac15' }, ended: true });
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData?.[1]).toEqual([]);
		expect(result.workflowData?.[0]).toEqual([
			{ json: expect.objectContaining({ provider: 'typeform', nps_score: 10, nps_segment: 'promoter', is_update: false, email: 'laura@example.com' }) },
		]);
		expect(result.workflowData?.[0][0].json).not.toHaveProperty('raw');
	});

	it('starts no second execution for a redelivery, and one marked is_update for a changed response', async () => {
		const store = new MemoryProcessedStore();
		const created = withChanges(delighted, { event_type: 'survey_response.created', 'event_data.comment': undefined, 'event_data.updated_at': 1482589409 });
		const first = await callWebhook(signedDelivery('delighted', created), { parameters: { ...typeformParameters, provider: 'delighted' }, credentials: secretsCredential(TEST_SECRETS.delighted), store });
		expect(first.result.workflowData?.[0][0].json).toMatchObject({ is_update: false, comment: null });

		const retried = await callWebhook(signedDelivery('delighted', created), { parameters: { ...typeformParameters, provider: 'delighted' }, credentials: secretsCredential(TEST_SECRETS.delighted), store });
		expect(retried.sent.status).toBe(200);
		expect(retried.result).toEqual({ noWebhookResponse: true });

		const commented = withChanges(delighted, { event_id: 'another-delivery' });
		const update = await callWebhook(signedDelivery('delighted', commented), { parameters: { ...typeformParameters, provider: 'delighted' }, credentials: secretsCredential(TEST_SECRETS.delighted), store });
		expect(update.result.workflowData?.[0][0].json).toMatchObject({ is_update: true, comment: 'Your service is fast and flawless!' });
	});

	it('treats the same response redelivered under a new delivery id as a redelivery', async () => {
		const store = new MemoryProcessedStore();
		await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ store }));
		const again = await callWebhook(signedDelivery('typeform', withChanges(typeform, { event_id: 'new-event-id' })), typeformOptions({ store }));
		expect(again.sent.status).toBe(200);
		expect(again.result.workflowData).toBeUndefined();
	});

	it("starts an execution, and warns in n8n's log, when the processed-data store fails", async () => {
		const store = new MemoryProcessedStore();
		store.checkProcessedAndRecord = async () => {
			throw new Error('SQLITE_BUSY: database is locked');
		};
		const warnings: string[] = [];
		const call = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ store, warnings }));
		expect(call.sent.status).toBe(200);
		expect(call.result.workflowData?.[0]).toHaveLength(1);
		expect(warnings).toEqual([expect.stringContaining('could not check for redeliveries')]);
		expect(warnings[0]).toContain('SQLITE_BUSY');
	});

	it('does not remember test-URL (manual) deliveries', async () => {
		const store = new MemoryProcessedStore();
		await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ store, mode: 'manual' }));
		expect(store.keys.size).toBe(0);
		const real = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ store }));
		expect(real.result.workflowData?.[0]).toHaveLength(1);
	});

	it('401s a wrong signature with a body that names nothing, and starts nothing', async () => {
		const { result, sent } = await callWebhook(signedDelivery('typeform', typeform, { secret: 'guess' }), typeformOptions());
		expect(sent).toEqual({ status: 401, body: { error: 'unauthorized' }, ended: true });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('401s everything for a signed provider when no credential is set', async () => {
		const { sent, result } = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ credentials: {} }));
		expect(sent.status).toBe(401);
		expect(result.workflowData).toBeUndefined();
	});

	it('accepts a previous secret listed for rotation', async () => {
		const credentials = secretsCredential('the-new-secret', `\n${TEST_SECRETS.typeform}\n`);
		const { sent } = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ credentials }));
		expect(sent.status).toBe(200);
	});

	it('400s a bad payload naming the field, 415s an unreadable body', async () => {
		const bad = await callWebhook(signedDelivery('typeform', withChanges(typeform, { 'form_response.answers[13].number': '9.5' })), typeformOptions());
		expect(bad.sent).toMatchObject({ status: 400, body: { error: 'invalid payload', problems: [{ field: 'form_response.answers[13].number', code: 'not_an_integer' }] } });
		expect(bad.result.workflowData).toBeUndefined();
		const xml = await callWebhook(signedDelivery('typeform', '<xml/>', { contentType: 'text/xml' }), typeformOptions());
		expect(xml.sent.status).toBe(415);
	});

	it('acknowledges non-NPS events with 200 and starts nothing, unless asked to emit them', async () => {
		const csat = withChanges(delighted, { 'event_data.survey_type': 'csat' });
		const parameters = { ...typeformParameters, provider: 'delighted' };
		const quiet = await callWebhook(signedDelivery('delighted', csat), { parameters, credentials: secretsCredential(TEST_SECRETS.delighted) });
		expect(quiet.sent).toMatchObject({ status: 200, body: { status: 'ignored' } });
		expect(quiet.result.workflowData).toBeUndefined();
		const emitted = await callWebhook(signedDelivery('delighted', csat), {
			parameters: { ...parameters, options: { emitOtherEvents: true } },
			credentials: secretsCredential(TEST_SECRETS.delighted),
		});
		expect(emitted.result.workflowData?.[0]).toEqual([]);
		expect(emitted.result.workflowData?.[1][0].json).toMatchObject({ provider: 'delighted', event_type: 'survey_response.updated', reason: "survey type 'csat' is not NPS" });
	});

	it('answers a fault of its own with 500 itself, so n8n records no failed execution', async () => {
		const parameters = { ...typeformParameters };
		Object.defineProperty(parameters, 'provider', {
			enumerable: true,
			get() {
				throw new Error('parameter store unavailable');
			},
		});
		const { sent, result } = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ parameters }));
		expect(sent).toEqual({ status: 500, body: { error: 'internal error' }, ended: true });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('answers the HEAD check with 200 and starts nothing', async () => {
		const { sent, result } = await callWebhook({ method: 'HEAD', headers: {}, rawBody: Buffer.alloc(0) }, typeformOptions({ webhookName: 'setup' }));
		expect(sent).toEqual({ status: 200, body: undefined, ended: true });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('keeps the raw payload when asked', async () => {
		const { result } = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ parameters: { ...typeformParameters, options: { includeRaw: true } } }));
		expect(result.workflowData?.[0][0].json.raw).toEqual(typeform);
	});

	it('starts the execution when the processed-data store fails: a possible duplicate rather than a lost response', async () => {
		const store = new MemoryProcessedStore();
		store.failing = true;
		const { sent, result } = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ store }));
		expect(sent.status).toBe(200);
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('reuses decrypted secrets for a few seconds instead of reading the credential per delivery', async () => {
		const credentialReads = { count: 0 };
		const options = typeformOptions({ credentialId: 'cred-reuse-test', credentialReads });
		for (let index = 0; index < 3; index++) {
			const delivery = signedDelivery('typeform', withChanges(typeform, { 'form_response.token': `reuse-${index}` }));
			expect((await callWebhook(delivery, options)).sent.status).toBe(200);
		}
		expect(credentialReads.count).toBe(1);
	});

	it('uses n8n-core DataDeduplicationService when the host gives webhooks no dedupe helper (n8n 2.41)', async () => {
		const store = new MemoryProcessedStore();
		const calls: unknown[] = [];
		await DataDeduplicationService.init({
			async checkProcessedAndRecord(items, scope, contextData) {
				calls.push({ scope, workflowId: contextData.workflow.id, nodeId: contextData.node?.id });
				return await store.checkProcessedAndRecord(items);
			},
			removeProcessed: async () => undefined,
			clearAllProcessedItems: async () => undefined,
			getProcessedDataCount: async () => store.keys.size,
		});
		const first = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ withDedupeHelper: false }));
		const second = await callWebhook(signedDelivery('typeform', typeform), typeformOptions({ withDedupeHelper: false }));
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		expect(second.result).toEqual({ noWebhookResponse: true });
		expect(calls[0]).toEqual({ scope: 'node', workflowId: 'wf-1', nodeId: 'node-1' });
	});

	describe('SurveyMonkey fetch', () => {
		const webhook = fixtureJson('surveymonkey.response_completed.docs_example.json');
		const details = fixtureJson('surveymonkey.response_details.constructed.json');
		const options = (httpRequest: FakeWebhookOptions['httpRequest']): FakeWebhookOptions => ({
			parameters: { ...typeformParameters, provider: 'surveymonkey' },
			credentials: { ...secretsCredential(TEST_SECRETS.surveymonkey), npsSurveyMonkeyApi: { accessToken: 't', baseUrl: 'https://api.surveymonkey.com/' } },
			httpRequest,
		});

		it('fetches the response through n8n HTTP helpers with the SurveyMonkey credential', async () => {
			const { sent, result, httpRequests } = await callWebhook(signedDelivery('surveymonkey', webhook), options(async () => details));
			expect(httpRequests).toEqual([
				{
					credentialType: 'npsSurveyMonkeyApi',
					options: { method: 'GET', url: 'https://api.surveymonkey.com/v3/surveys/123456789/responses/123456/details', qs: { simple: 'true' }, json: true },
				},
			]);
			expect(sent.status).toBe(200);
			expect(result.workflowData?.[0][0].json).toMatchObject({ provider: 'surveymonkey', nps_score: 10, email: 'pat@example.com' });
		});

		it('503s when the API cannot be reached, so SurveyMonkey retries, and starts nothing', async () => {
			const { sent, result } = await callWebhook(
				signedDelivery('surveymonkey', webhook),
				options(async () => {
					throw new Error('ECONNREFUSED');
				}),
			);
			expect(sent.status).toBe(503);
			expect(result.workflowData).toBeUndefined();
		});

		it('does not call the API for an unsigned delivery', async () => {
			const { sent, httpRequests } = await callWebhook(signedDelivery('surveymonkey', webhook, { secret: 'x' }), options(async () => details));
			expect(sent.status).toBe(401);
			expect(httpRequests).toEqual([]);
		});
	});

	describe('shared secret for unsigned providers', () => {
		const satismeter = fixtureJson('satismeter.completed.docs_example.json');
		const parameters = { path: 'nps', provider: 'satismeter', authentication: 'headerAuth', authHeaderName: 'X-NPS-Secret', options: {} };

		it('accepts the configured header and 401s without it', async () => {
			const credentials = secretsCredential(TEST_SECRETS.satismeter);
			expect((await callWebhook(signedDelivery('satismeter', satismeter), { parameters, credentials })).sent.status).toBe(200);
			const missing = signedDelivery('satismeter', satismeter);
			delete missing.headers['x-nps-secret'];
			expect((await callWebhook(missing, { parameters, credentials })).sent.status).toBe(401);
		});

		it('needs no credential with authentication None', async () => {
			const open = signedDelivery('satismeter', satismeter);
			delete open.headers['x-nps-secret'];
			const { sent } = await callWebhook(open, { parameters: { ...parameters, authentication: 'none' } });
			expect(sent.status).toBe(200);
		});
	});
});
