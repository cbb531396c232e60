import os from 'node:os';
import path from 'node:path';

/**
 * A file in the folder n8n keeps its own data in: `.n8n` inside N8N_USER_FOLDER, or inside the home
 * folder when that is unset (n8n's own rule; `/home/node/.n8n` only in n8n's Docker image).
 */
export function n8nDataFile(fileName: string, env: NodeJS.ProcessEnv = process.env): string {
	return path.join(env.N8N_USER_FOLDER || os.homedir(), '.n8n', fileName);
}
