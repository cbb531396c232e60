'use strict';
/**
 * Renders docs/vendor-api-ledger.json as the README's "Vendor APIs we call" table, between the
 * <!-- ledger:start --> and <!-- ledger:end --> markers. `npm run ledger` writes it; a unit test checks
 * the README holds what the ledger says.
 */
const START = '<!-- ledger:start -->';
const END = '<!-- ledger:end -->';

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Where an entry is used, short: template names with their node, file names for code. */
function usedBy(entry) {
	if (entry.usedBy.length === 0) return entry.status === 'current' ? 'not called yet' : 'no longer called';
	return entry.usedBy.map((use) => use.replace(/^workflows\//, '').replace(/\.json#/, ': ')).join('; ');
}

/** @param {{ endpoints: Array<Record<string, any>> }} ledger */
function renderLedgerTable(ledger) {
	const rows = ledger.endpoints.map((entry) =>
		[
			entry.vendor,
			`\`${entry.method} ${entry.host}${entry.path}\``,
			entry.version,
			entry.status,
			entry.sunset ?? '',
			usedBy(entry),
			`[source](${entry.source}), ${entry.sourceRead ? 'read' : 'not re-read'} ${entry.checked}`,
		]
			.map(cell)
			.join(' | '),
	);
	return ['| Vendor | Endpoint | Version | Status | Sunset | Used by | Source |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** The README with the table between the markers replaced. */
function replaceLedgerSection(readme, table) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
	return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

module.exports = { renderLedgerTable, replaceLedgerSection };
