/**
 * Checks a workflow JSON against the node descriptions it will meet in n8n: every node type exists
 * (this pack's nodes from their source, listed in package.json `n8n.nodes`; n8n's built-in ones from
 * n8n-nodes-base 2.41.1's built descriptions), its typeVersion is one the type has, every parameter name exists in that
 * version's description and is shown for the node's other settings (displayOptions, as n8n's own
 * NodeHelpers evaluate them), every credential is one the node takes, and every connection joins two
 * nodes that exist. n8n imports a template with a wrong name without complaint and then silently
 * ignores the value, so this is what keeps templates from drifting away from the nodes.
 */
import type {
	INode,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
	NodeParameterValueType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import fs from 'node:fs';
import path from 'node:path';

import { n8nNodesBaseDir } from './harness';

const projectRoot = path.resolve(__dirname, '..', '..');
const PACK_PREFIX = 'n8n-nodes-revops.';
const BUILT_IN_PREFIX = 'n8n-nodes-base.';

type NodeClass = new () => INodeType | IVersionedNodeType;

function firstClassExport(file: string): NodeClass {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const moduleExports = require(file) as Record<string, unknown>;
	const NodeClass = Object.values(moduleExports).find((value) => typeof value === 'function');
	if (!NodeClass) throw new Error(`no node class exported by ${file}`);
	return NodeClass as NodeClass;
}

/** This pack's node types by name, loaded from the TypeScript source of each node package.json lists. */
function packNodeTypes(): Map<string, INodeType | IVersionedNodeType> {
	const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[] };
	};
	const types = new Map<string, INodeType | IVersionedNodeType>();
	for (const distFile of manifest.n8n.nodes) {
		const sourceFile = path.join(projectRoot, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		const nodeType = new (firstClassExport(sourceFile))();
		types.set(nodeType.description.name, nodeType);
	}
	return types;
}

let packTypes: Map<string, INodeType | IVersionedNodeType> | undefined;

/** The description of one version of a node type, or the versions the type has when it lacks that one. */
type VersionLookup = { description: INodeTypeDescription } | { versions: number[] };

const versionsOf = (description: INodeTypeDescription) => ([] as number[]).concat(description.version);

function describePackVersion(nodeType: INodeType | IVersionedNodeType, version: number): VersionLookup {
	if ('nodeVersions' in nodeType) {
		const versioned = nodeType.nodeVersions[version];
		if (versioned) return { description: versioned.description };
		return { versions: Object.keys(nodeType.nodeVersions).map(Number) };
	}
	return versionsOf(nodeType.description).includes(version)
		? { description: nodeType.description }
		: { versions: versionsOf(nodeType.description) };
}

/**
 * n8n-nodes-base's descriptions as the editor receives them (dist/types/nodes.json: one entry per
 * version class, names without the package prefix). Read rather than loading ~500 node modules.
 */
let builtInDescriptions: Map<string, INodeTypeDescription[]> | undefined;
let builtInCredentials: Set<string> | undefined;

function readBuiltInTypes<T>(kind: 'nodes' | 'credentials'): T[] {
	const file = path.join(n8nNodesBaseDir(), '..', 'types', `${kind}.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T[];
}

function describeBuiltInVersion(name: string, version: number): VersionLookup | undefined {
	if (!builtInDescriptions) {
		builtInDescriptions = new Map();
		for (const description of readBuiltInTypes<INodeTypeDescription>('nodes')) {
			builtInDescriptions.set(description.name, [...(builtInDescriptions.get(description.name) ?? []), description]);
		}
	}
	const descriptions = builtInDescriptions.get(name);
	if (!descriptions) return undefined;
	const description = descriptions.find((candidate) => versionsOf(candidate).includes(version));
	return description ? { description } : { versions: descriptions.flatMap(versionsOf).sort((a, b) => a - b) };
}

/** Looks up `version` of the node type named `type`; undefined when no such type exists. */
function describeVersion(type: string, version: number): VersionLookup | undefined {
	if (type.startsWith(PACK_PREFIX)) {
		packTypes ??= packNodeTypes();
		const nodeType = packTypes.get(type.slice(PACK_PREFIX.length));
		return nodeType && describePackVersion(nodeType, version);
	}
	if (type.startsWith(BUILT_IN_PREFIX)) return describeBuiltInVersion(type.slice(BUILT_IN_PREFIX.length), version);
	return undefined;
}

function credentialTypeExists(name: string): boolean {
	builtInCredentials ??= new Set(readBuiltInTypes<{ name: string }>('credentials').map((credential) => credential.name));
	return builtInCredentials.has(name);
}

const isObject = (value: unknown): value is INodeParameters =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

interface Scope {
	node: INode;
	description: INodeTypeDescription;
	/** the node's top-level values with defaults, for displayOptions that start with `/` */
	rootValues: INodeParameters;
}

/**
 * Checks the names in `values` against `properties` (top level, a collection's options or a fixed
 * collection entry's values): each must exist and be displayed given its siblings. Recurses into
 * collections and fixed collections; other types (resource mappers, filters, assignments) are leaves.
 */
function checkParameterNames(
	properties: INodeProperties[],
	values: INodeParameters,
	siblingValues: INodeParameters,
	scope: Scope,
	at: string,
	problems: string[],
): void {
	for (const [name, value] of Object.entries(values)) {
		const where = `${at}${name}`;
		const candidates = properties.filter((property) => property.name === name);
		if (!candidates.length) {
			problems.push(`${where}: no such parameter (known here: ${[...new Set(properties.map((p) => p.name))].join(', ')})`);
			continue;
		}
		const shown = candidates.filter((property) =>
			NodeHelpers.displayParameter(siblingValues, property, scope.node, scope.description, scope.rootValues),
		);
		if (!shown.length) {
			problems.push(`${where}: exists but is not shown with these settings (its displayOptions do not match)`);
			continue;
		}
		const property = shown[0];
		if (property.type === 'collection' && isObject(value)) {
			const options = (property.options ?? []) as INodeProperties[];
			checkParameterNames(options, value, value, scope, `${where}.`, problems);
		} else if (property.type === 'fixedCollection' && isObject(value)) {
			checkFixedCollection(property, value, scope, where, problems);
		}
	}
}

function checkFixedCollection(
	property: INodeProperties,
	value: INodeParameters,
	scope: Scope,
	where: string,
	problems: string[],
): void {
	const groups = (property.options ?? []) as INodePropertyCollection[];
	for (const [groupName, entries] of Object.entries(value)) {
		const group = groups.find((candidate) => candidate.name === groupName);
		if (!group) {
			problems.push(`${where}.${groupName}: no such group (known: ${groups.map((g) => g.name).join(', ')})`);
			continue;
		}
		const list = (Array.isArray(entries) ? entries : [entries]) as NodeParameterValueType[];
		list.forEach((entry, index) => {
			if (isObject(entry)) {
				checkParameterNames(group.values, entry, entry, scope, `${where}.${groupName}[${index}].`, problems);
			}
		});
	}
}

export interface WorkflowTemplate {
	name?: string;
	nodes: Array<Pick<INode, 'name' | 'type' | 'typeVersion' | 'parameters'> & Partial<INode>>;
	connections: Record<string, Record<string, Array<Array<{ node: string }> | null>>>;
}

/** Every problem found in `workflow`, one line each naming the node; [] when it is sound. */
export function checkWorkflow(workflow: WorkflowTemplate): string[] {
	const problems: string[] = [];
	for (const templateNode of workflow.nodes) {
		const node = { ...templateNode, id: templateNode.id ?? templateNode.name, position: [0, 0] } as INode;
		const label = `node '${node.name}' (${node.type} v${node.typeVersion})`;
		const resolved = describeVersion(node.type, node.typeVersion);
		if (!resolved) {
			problems.push(`${label}: no such node type`);
			continue;
		}
		if ('versions' in resolved) {
			problems.push(`${label}: no such version (the type has ${resolved.versions.join(', ')})`);
			continue;
		}
		const { description } = resolved;
		const parameters = node.parameters ?? {};
		const withDefaults =
			NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
		const rootValues = { ...withDefaults, ...parameters };
		const nodeProblems: string[] = [];
		checkParameterNames(description.properties, parameters, rootValues, { node, description, rootValues }, '', nodeProblems);

		// Nodes such as HTTP Request take any credential type named by these parameters.
		const takenCredentials = new Set((description.credentials ?? []).map((credential) => credential.name));
		for (const parameter of ['nodeCredentialType', 'genericAuthType']) {
			const named = parameters[parameter];
			if (typeof named === 'string') {
				takenCredentials.add(named);
				if (!credentialTypeExists(named)) nodeProblems.push(`${parameter}: no credential type '${named}'`);
			}
		}
		for (const credentialType of Object.keys(node.credentials ?? {})) {
			if (!takenCredentials.has(credentialType)) {
				nodeProblems.push(`credentials.${credentialType}: the node does not take this credential type`);
			}
		}
		problems.push(...nodeProblems.map((problem) => `${label}: ${problem}`));
	}

	const names = new Set(workflow.nodes.map((node) => node.name));
	for (const [from, outputs] of Object.entries(workflow.connections)) {
		if (!names.has(from)) problems.push(`connection from '${from}': no such node`);
		for (const connections of Object.values(outputs)) {
			for (const connection of connections.flat()) {
				if (connection && !names.has(connection.node)) {
					problems.push(`connection from '${from}' to '${connection.node}': no such node`);
				}
			}
		}
	}
	return problems;
}

const OUTCOME_MARK = 'n8n-nodes-base.executionData';

/**
 * The paths through a workflow that end without marking the execution's outcome (n8n's Execution Data
 * node), each as its node names. A path is marked when it passes through a mark or a node one of whose
 * outputs leads straight to one (a mark beside the path, as after a CRM update that goes on to a task);
 * a loop back (a retry) continues the path already walked, so it is no end of its own.
 */
export function unmarkedPaths(workflow: WorkflowTemplate): string[][] {
	const typeOf = new Map(workflow.nodes.map((node) => [node.name, node.type]));
	const next = (name: string) =>
		Object.values(workflow.connections[name] ?? {}).flatMap((outputs) => outputs.flatMap((output) => (output ?? []).map(({ node }) => node)));
	const marks = (name: string) => typeOf.get(name) === OUTCOME_MARK || next(name).some((child) => typeOf.get(child) === OUTCOME_MARK);
	const targets = new Set(Object.keys(workflow.connections).flatMap(next));
	const starts = workflow.nodes.filter((node) => !targets.has(node.name) && !node.type.endsWith('.stickyNote')).map((node) => node.name);
	const unmarked: string[][] = [];
	const walk = (path: string[], marked: boolean) => {
		const name = path[path.length - 1];
		const isMarked = marked || marks(name);
		const following = next(name);
		if (following.length === 0) {
			if (!isMarked) unmarked.push(path);
			return;
		}
		// a loop back (a retry) goes on along the path already walked
		const children = following.filter((child) => !path.includes(child));
		for (const child of children) walk([...path, child], isMarked);
	};
	for (const start of starts) walk([start], false);
	return unmarked;
}
