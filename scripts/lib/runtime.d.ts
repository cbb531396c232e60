import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';

/** The n8n version the scripts install and test against. */
export const N8N_VERSION: string;

/** Absolute path of the runtime cache (env REVOPS_CACHE, else ~/.cache/n8n-nodes-revops). */
export function cacheDir(): string;

/** Prints `[revops] message` on stderr. */
export function progress(message: string): void;

/** Absolute path of the Node 24 binary; installs node@24 from the npm registry into the cache on first use. */
export function ensureNode24(): string;

/** Installs n8n into the cache on first use (about 5 minutes) and returns its CLI script and node_modules. */
export function ensureN8n(): { n8nBin: string; nodeModules: string };

/** Runs npm ci (npm install --no-save when the lock file is refused) when node_modules is missing or stale. */
export function ensureProjectDeps(root: string): void;

/** Runs Node 24 synchronously, output inherited unless opts.stdio says otherwise. */
export function runWithNode24(args: string[], opts?: SpawnSyncOptions): SpawnSyncReturns<string | Buffer>;
