/**
 * Runs workflow JSON in-process through n8n-core's WorkflowExecute, the engine n8n itself uses,
 * with this pack's nodes (loaded from source) and n8n's built-in nodes (loaded from the n8n
 * install that scripts/lib/runtime.js puts in the cache). Expressions, multiple outputs and
 * pairedItem all behave as in a real execution.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DeadLetters } from '../../nodes/DeadLetters/DeadLetters.node';
import { FlowHealth } from '../../nodes/FlowHealth/FlowHealth.node';
import { Dedupe } from '../../nodes/Dedupe/Dedupe.node';
import { ForgetPerson } from '../../nodes/ForgetPerson/ForgetPerson.node';
import { MapToCrmFields } from '../../nodes/MapToCrmFields/MapToCrmFields.node';
import { NormalizeLead } from '../../nodes/NormalizeLead/NormalizeLead.node';
import { NpsTrigger } from '../../nodes/NpsTrigger/NpsTrigger.node';
import { WarehouseInsert } from '../../nodes/WarehouseInsert/WarehouseInsert.node';

/** Node type of the harness's input node: it emits the items a test hands to `runWorkflow`. */
export const INPUT_NODE_TYPE = 'test.input';

class TestInput implements INodeType {
	description = {
		displayName: 'Test Input',
		name: 'input',
		group: ['input'],
		version: 1,
		description: 'Emits the items given to the harness',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions) {
		return [this.getInputData()];
	}
}

const PACK_NODES: Record<string, () => INodeType | IVersionedNodeType> = {
	'n8n-nodes-revops.normalizeLead': () => new NormalizeLead(),
	'n8n-nodes-revops.dedupe': () => new Dedupe(),
	'n8n-nodes-revops.mapToCrmFields': () => new MapToCrmFields(),
	'n8n-nodes-revops.npsTrigger': () => new NpsTrigger(),
	'n8n-nodes-revops.warehouseInsert': () => new WarehouseInsert(),
	'n8n-nodes-revops.deadLetters': () => new DeadLetters(),
	'n8n-nodes-revops.flowHealth': () => new FlowHealth(),
	'n8n-nodes-revops.forgetPerson': () => new ForgetPerson(),
};

/** Built-in nodes used by tests and benches, by type name -> file under n8n-nodes-base/dist/nodes. */
const BUILT_IN_NODES: Record<string, string> = {
	'n8n-nodes-base.set': 'Set/Set.node.js',
	'n8n-nodes-base.noOp': 'NoOp/NoOp.node.js',
	'n8n-nodes-base.if': 'If/If.node.js',
	'n8n-nodes-base.removeDuplicates': 'Transform/RemoveDuplicates/RemoveDuplicates.node.js',
	'n8n-nodes-base.code': 'Code/Code.node.js',
	'n8n-nodes-base.httpRequest': 'HttpRequest/HttpRequest.node.js',
	'n8n-nodes-base.postgres': 'Postgres/Postgres.node.js',
};

export function n8nNodesBaseDir(): string {
	const cache = process.env.REVOPS_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-revops');
	const dir = path.join(cache, 'n8n', 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');
	if (!existsSync(dir)) {
		throw new Error(
			`n8n's built-in nodes are not installed at ${dir}: run \`npm test\` (it installs n8n 2.41.1 into the cache first)`,
		);
	}
	return dir;
}

function loadNodeType(type: string): INodeType | IVersionedNodeType {
	if (type === INPUT_NODE_TYPE) return new TestInput();
	const packNode = PACK_NODES[type];
	if (packNode) return packNode();
	const builtIn = BUILT_IN_NODES[type];
	if (!builtIn) throw new Error(`The test harness does not know node type '${type}'`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const moduleExports = require(path.join(n8nNodesBaseDir(), builtIn)) as Record<string, new () => INodeType>;
	const NodeClass = Object.values(moduleExports).find((value) => typeof value === 'function');
	if (!NodeClass) throw new Error(`No node class exported by ${builtIn}`);
	return new NodeClass();
}

const loadedTypes = new Map<string, INodeType | IVersionedNodeType>();

export const nodeTypes: INodeTypes = {
	getByName(type) {
		let nodeType = loadedTypes.get(type);
		if (!nodeType) {
			nodeType = loadNodeType(type);
			loadedTypes.set(type, nodeType);
		}
		return nodeType;
	},
	getByNameAndVersion(type, version) {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	},
	getKnownTypes() {
		return {};
	},
};

export interface WorkflowJson {
	nodes: INode[];
	connections: IConnections;
}

export interface WorkflowRun {
	run: IRun;
	/** Items a node emitted on one output in its first run ([] when it did not run or emitted none). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Error message of the run, if the execution failed. */
	error: string | undefined;
}

export interface RunOptions {
	/** Decrypted credential data by credential type, served to nodes as n8n's credentials helper would. */
	credentials?: Record<string, IDataObject>;
}

/**
 * Executes `workflow`, feeding `items` out of its input node (type `test.input`). Returns the
 * completed run; a node error fails the run rather than the test, so tests can assert on it.
 */
export async function runWorkflow(
	workflow: WorkflowJson,
	items: IDataObject[] | INodeExecutionData[],
	options: RunOptions = {},
): Promise<WorkflowRun> {
	const instance = new Workflow({
		id: 'harness',
		name: 'harness',
		nodes: workflow.nodes,
		connections: workflow.connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const inputNode = workflow.nodes.find((node) => node.type === INPUT_NODE_TYPE);
	if (!inputNode) throw new Error(`The workflow needs a node of type ${INPUT_NODE_TYPE}`);

	const hooks = new ExecutionLifecycleHooks('integrated', 'harness-execution', {
		id: 'harness',
		name: 'harness',
		nodes: workflow.nodes,
		connections: workflow.connections,
		active: false,
		settings: {},
	} as unknown as IWorkflowBase);
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));

	const additionalData = {
		hooks,
		executionId: 'harness-execution',
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		userId: 'harness-user',
		credentialsHelper: {
			isCredentialUsableByNode: () => true,
			async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
				const data = options.credentials?.[type];
				if (!data) throw new Error(`The harness has no credentials of type '${type}'`);
				return data;
			},
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const inputItems: INodeExecutionData[] = items.map((item) =>
		'json' in item && typeof item.json === 'object' ? (item as INodeExecutionData) : { json: item as IDataObject },
	);
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: inputNode, data: { main: [inputItems] }, source: null }] },
	});

	const execute = new WorkflowExecute(additionalData, 'integrated', runExecutionData);
	await execute.processRunExecutionData(instance);
	const run = await finished;

	return {
		run,
		error: run.data.resultData.error?.message,
		output(nodeName, outputIndex = 0) {
			const taskData = run.data.resultData.runData[nodeName]?.[0];
			if (taskData?.error) throw new Error(`Node '${nodeName}' failed: ${taskData.error.message}`);
			return taskData?.data?.main?.[outputIndex] ?? [];
		},
	};
}

/** A node entry for workflow JSON written in tests. */
export function node(name: string, type: string, parameters: INode['parameters'] = {}, typeVersion = 1): INode {
	return { id: name, name, type, typeVersion, position: [0, 0], parameters };
}

/** Connects `from`'s outputs (by index) to the given target nodes' first input. */
export function chain(links: Array<[from: string, to: string, outputIndex?: number]>): IConnections {
	const connections: IConnections = {};
	for (const [from, to, outputIndex = 0] of links) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= outputIndex) main.push([]);
		main[outputIndex]!.push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}
