// Writes the vendor API ledger (docs/vendor-api-ledger.json) into README.md's "Vendor APIs we call" table.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { renderLedgerTable, replaceLedgerSection } = require('./lib/ledger.js');

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ledger = JSON.parse(fs.readFileSync(path.join(root, 'docs', 'vendor-api-ledger.json'), 'utf8'));
const readmeFile = path.join(root, 'README.md');
fs.writeFileSync(readmeFile, replaceLedgerSection(fs.readFileSync(readmeFile, 'utf8'), renderLedgerTable(ledger)));
console.log(`README.md: ${ledger.endpoints.length} ledger endpoints`);
