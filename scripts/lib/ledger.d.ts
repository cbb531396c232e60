/** The README table of docs/vendor-api-ledger.json. */
export function renderLedgerTable(ledger: { endpoints: Array<Record<string, unknown>> }): string;

/** The README with the table between <!-- ledger:start --> and <!-- ledger:end --> replaced. */
export function replaceLedgerSection(readme: string, table: string): string;
