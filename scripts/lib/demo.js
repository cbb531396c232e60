'use strict';
/**
 * What `npm start` and `npm run demo:send` share: n8n's user folder, the customers the demo's CRM
 * stand-in already holds (so NPS responses from them find a contact to update) and the file where
 * `npm start` says where its n8n and its CRM stand-in listen.
 */
const path = require('node:path');
const { cacheDir } = require('./runtime.js');

/**
 * The n8n user folder of `npm start`, kept between runs. Outside the project on purpose: from inside
 * it, the installed package would resolve n8n-core and n8n-workflow from the project's node_modules
 * (dev copies) before the running n8n's own, and n8n-core's services there are never started.
 * @returns {string}
 */
function devUserFolder() {
	return path.join(cacheDir(), 'dev-n8n');
}

/** People every CRM of the demo holds; NPS responses from anyone else end on the "not in CRM" branch. */
const DEMO_CUSTOMERS = ['ana.souza@example.com', 'jane.doe@acme.io', 'li.wei@example.cn', 'tom.becker@example.de'];

/**
 * @param {string} userFolder the n8n user folder of `npm start`
 * @returns {string} where `npm start` writes its addresses while it runs
 */
function demoStateFile(userFolder) {
	return path.join(userFolder, 'revops-demo.json');
}

module.exports = { DEMO_CUSTOMERS, demoStateFile, devUserFolder };
