/**
 * Creates a folder and its missing parents. Not `mkdirSync(dir, { recursive: true })`: under a folder
 * that refuses new entries with ENOENT (/proc, /sys) Node's recursive form retries forever and holds
 * n8n's main thread (Node 20 and 24 alike); one level at a time fails at once, naming the folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { settleSync } from './warehouse/settle';

export function ensureFolder(dir: string): void {
	const missing: string[] = [];
	for (let current = path.resolve(dir); !existsSync(current); current = path.dirname(current)) {
		missing.unshift(current);
		if (path.dirname(current) === current) break;
	}
	for (const folder of missing) {
		const made = settleSync(() => mkdirSync(folder));
		// EEXIST: another process (an n8n worker) created it in the meantime.
		if (!made.ok && (made.error as NodeJS.ErrnoException).code !== 'EEXIST') throw made.error;
	}
}
