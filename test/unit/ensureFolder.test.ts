import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ensureFolder } from '../../lib/ensureFolder';

describe('ensureFolder', () => {
	it('creates a folder and its missing parents, and leaves an existing one as it is', () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-folder-'));
		try {
			const deep = path.join(root, 'a', 'b', 'c');
			ensureFolder(deep);
			expect(fs.statSync(deep).isDirectory()).toBe(true);
			fs.writeFileSync(path.join(deep, 'kept'), 'x');
			ensureFolder(deep);
			expect(fs.readFileSync(path.join(deep, 'kept'), 'utf8')).toBe('x');
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});

	// Regression: mkdirSync(dir, { recursive: true }) never returns for this path (a Database File set to it held n8n's main thread).
	it('fails at once under a folder that refuses new entries, naming the folder', () => {
		const started = Date.now();
		expect(() => ensureFolder('/proc/revops-no-such-folder/deeper')).toThrow(/ENOENT.*\/proc\/revops-no-such-folder/);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
