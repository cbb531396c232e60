'use strict';
/** Builds the pack and turns it into the .tgz that npm publish would upload (and n8n would install). */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.resolve(__dirname, '..', '..');

/**
 * @param {{ destination: string, build?: boolean }} options build defaults to true (`npm run build` first)
 * @returns {string} absolute path of the tarball
 */
function packTarball({ destination, build = true }) {
	if (build) {
		const built = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
		if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status ?? built.signal})`);
	}
	fs.mkdirSync(destination, { recursive: true });
	const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', path.resolve(destination)], {
		cwd: projectRoot,
		encoding: 'utf8',
	});
	if (packed.status !== 0)
		throw new Error(`npm pack failed (exit ${packed.status ?? packed.signal}):\n${packed.stderr}`);
	const [{ filename }] = JSON.parse(packed.stdout);
	return path.resolve(destination, filename);
}

module.exports = { projectRoot, packTarball };
