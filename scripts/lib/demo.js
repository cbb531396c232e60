'use strict';
/**
 * What `npm start` and `npm run demo:send` share: the customers the demo's CRM stand-in already holds
 * (so NPS responses from them find a contact to update) and the file where `npm start` says where
 * its n8n and its CRM stand-in listen.
 */
const path = require('node:path');

/** People every CRM of the demo holds; NPS responses from anyone else end on the "not in CRM" branch. */
const DEMO_CUSTOMERS = ['ana.souza@example.com', 'jane.doe@acme.io', 'li.wei@example.cn', 'tom.becker@example.de'];

/**
 * @param {string} userFolder the n8n user folder of `npm start`
 * @returns {string} where `npm start` writes its addresses while it runs
 */
function demoStateFile(userFolder) {
	return path.join(userFolder, 'revops-demo.json');
}

module.exports = { DEMO_CUSTOMERS, demoStateFile };
