export interface StartQueueOptions {
	/** Where each process gets its user folder (`main`, `webhook`, `worker-1`, ...) and its log (`<name>.log`). */
	workDir: string;
	/** The pack's .tgz, installed into every process's ~/.n8n/nodes. */
	tarball: string;
	/** Workflow JSON files to import and publish (a file without an `id` gets one from its name). */
	workflowFiles?: string[];
	/** Credential JSON files to import (n8n's export format). */
	credentialFiles?: string[];
	/** Extra environment for every process, e.g. a CRM stand-in's HTTPS_PROXY and NODE_EXTRA_CA_CERTS. */
	env?: Record<string, string>;
	/** How many `n8n webhook` processes; 1 by default. */
	webhookProcessors?: number;
	/** How many `n8n worker` processes; 2 by default. */
	workers?: number;
	/** Each worker's --concurrency; 5 by default. */
	workerConcurrency?: number;
	/** Redis database number (QUEUE_BULL_REDIS_DB); 0 by default. Runs are kept apart by their Bull prefix. */
	redisDb?: number;
}

export interface QueueRig {
	/** The main process: editor, REST API, activation. */
	mainUrl: string;
	/** The webhook processors, which serve the production webhooks. */
	webhookProcessorUrls: string[];
	/** The run's PostgreSQL database (n8n's), dropped at stop. */
	database: string;
	/** The run's QUEUE_BULL_PREFIX, whose Redis keys are deleted at stop. */
	bullPrefix: string;
	workflowIds: string[];
	/** Production URL of a webhook path on a webhook processor (the first by default). */
	webhookUrl(path: string, processor?: number): string;
	/** A query on n8n's database; `?` placeholders. */
	query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
	processes(): Array<{ name: string; logFile: string; exited: Promise<number | string> }>;
	/** Kills one process (`worker-1`, `webhook`, ...) with SIGKILL, as a crash does; resolves when it exited. */
	kill(name: string): Promise<void>;
	/** The last lines of every process, named. */
	logs(): string;
	/** Stops every process, drops the database and deletes the Redis keys; safe to call twice. */
	stop(): Promise<void>;
}

export function startQueueRig(opts: StartQueueOptions): Promise<QueueRig>;
