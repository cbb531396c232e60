export interface N8nOwner {
	email: string;
	/** n8n requires 8+ characters with a number and an upper-case letter. */
	password: string;
	firstName: string;
	lastName: string;
}

export interface StartN8nOptions {
	/** N8N_USER_FOLDER: n8n keeps its database, config and community packages in <userFolder>/.n8n. */
	userFolder: string;
	/** HTTP port; 0 or omitted picks a free one. */
	port?: number;
	/** Task runner broker port (a second port every instance needs); 0 or omitted picks a free one. */
	brokerPort?: number;
	/** The pack's .tgz (from scripts/pack.mjs), installed as a community package. */
	tarball: string;
	/** Workflow JSON files to import; a file without an `id` gets one derived from its file name. */
	workflowFiles?: string[];
	/** Credential JSON files to import, each one credential or an array (n8n's export format; a plain-object `data` is encrypted on import). */
	credentialFiles?: string[];
	/** Extra environment for n8n, e.g. HTTPS_PROXY and NODE_EXTRA_CA_CERTS to stand in for a vendor API. */
	env?: Record<string, string>;
	/**
	 * Publish the imported workflows so webhooks and triggers are live; startN8n fails if one does not activate.
	 * Workflows started only by a Manual Trigger cannot be published: they stay unpublished, to be run with `execute`.
	 */
	activate?: boolean;
	/** Created when the instance has no owner yet; defaults to admin@revops.local / RevOps-demo-1. */
	owner?: N8nOwner;
}

export interface ProductionWebhook {
	workflowId: string;
	workflowName: string;
	/** GET, POST, ... */
	method: string;
	url: string;
}

/** What `n8n execute --rawOutput` prints: n8n's IRun of the execution (the parts tests read). */
export interface WorkflowExecution {
	finished: boolean;
	status: string;
	data: {
		resultData: {
			/** Per node name, one entry per run of the node: its items per output. */
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
			error?: unknown;
		};
	};
}

export interface N8nInstance {
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	port: number;
	userFolder: string;
	/** n8n's whole output, appended across runs. */
	logFile: string;
	/** Ids of the imported workflows, in workflowFiles order. */
	workflowIds: string[];
	owner: N8nOwner;
	/** Resolves with the exit code (or signal) when the n8n process ends. */
	exited: Promise<number | string>;
	/** Production URL of a Webhook node's path. */
	webhookUrl(path: string): string;
	/** The production webhooks n8n registered for the active workflows (read from its database). */
	productionWebhooks(): ProductionWebhook[];
	/**
	 * Runs a workflow once through `n8n execute` beside the running server (its Manual Trigger starts it) and
	 * resolves with the finished execution; rejects with n8n's output when it fails.
	 */
	execute(workflowId: string): Promise<WorkflowExecution>;
	/** The last lines n8n printed. */
	logs(): string;
	/** Stops n8n, which stops its task runners (SIGTERM, then SIGKILL after 20 s); safe to call twice. */
	stop(): Promise<void>;
}

export function startN8n(opts: StartN8nOptions): Promise<N8nInstance>;

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number>;

/** The first free port of `count` from `first` on (127.0.0.1), or undefined when all are taken. */
export function firstFreePort(first: number, count: number): Promise<number | undefined>;

/** Installs a pack tarball into <userFolder>/.n8n/nodes as n8n 2.41.1's Community Nodes does; returns its name. */
export function installCommunityPackage(userFolder: string, tarball: string): string;

/** A workflow only a person starts (a Manual Trigger, no webhook or other trigger): not publishable, run with `execute`. */
export function startedByHand(workflow: { nodes: Array<{ type: string }> }): boolean;

/** The folder below n8n's home (its user folder, for instances started here) where n8n 2.x lets workflows read files. */
export const N8N_FILES_FOLDER: string;

/** One long-running n8n process (`start`, `webhook` or `worker`) started by spawnN8nProcess. */
export interface N8nProcess {
	/** Resolves with the exit code (or signal) when the process ends. */
	exited: Promise<number | string>;
	/** Resolves when the process printed its ready line; rejects when it exits first or cannot load the pack. */
	ready: Promise<void>;
	/** The last lines it printed. */
	logs(): string;
	/** Its whole output. */
	logFile: string;
	/** SIGTERM, then SIGKILL after 20 s; safe to call twice. */
	stop(): Promise<void>;
	/** SIGKILL at once, as a crash or an OOM kill ends a process; resolves when it exited. */
	kill(): Promise<void>;
}

export function n8nEnv(settings: { userFolder: string; port: number; brokerPort: number; extra?: Record<string, string> }): NodeJS.ProcessEnv;
export function n8nCli(env: NodeJS.ProcessEnv, cwd: string): (args: string[]) => void;
export function importIntoN8n(
	runCli: (args: string[]) => void,
	opts: { credentialFiles?: string[]; workflowFiles?: string[]; activate?: boolean },
): Array<{ id: string; publishable: boolean }>;
export function spawnN8nProcess(spec: {
	command: string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
	logFile: string;
	readyLine: string;
	packageName: string;
}): N8nProcess;
export function published(workflows: Array<{ id: string; publishable: boolean }>): Array<{ id: string; publishable: boolean }>;
export function setUpOwner(baseUrl: string, owner: N8nOwner): Promise<void>;
export function waitForPublication(query: (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>, workflowIds: string[]): Promise<void>;
export const DEFAULT_OWNER: N8nOwner;
