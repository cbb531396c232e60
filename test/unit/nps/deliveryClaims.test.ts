import { CLAIMS_TABLE, PostgresDeliveryClaims } from '../../../lib/nps/deliveryClaims';
import { judgeRedelivery, processedKeys } from '../../../lib/nps/redelivery';
import { PG_URL, connectAdmin } from '../../support/postgres';

/** Each test claims in scopes of its own, below this run's prefix, deleted afterwards. */
const run = `claims_${process.pid}_${Date.now().toString(36)}`;
let scopeCount = 0;
const newScope = () => `${run}:${++scopeCount}`;

const opened: PostgresDeliveryClaims[] = [];
/** A claims store on its own connection, as each n8n process has. */
function processClaims(): PostgresDeliveryClaims {
	const claims = new PostgresDeliveryClaims({ connectionString: PG_URL });
	opened.push(claims);
	return claims;
}

afterAll(async () => {
	await Promise.all(opened.map((claims) => claims.close()));
	const admin = await connectAdmin();
	await admin.query(`DELETE FROM ${CLAIMS_TABLE} WHERE scope LIKE $1`, [`${run}:%`]);
	await admin.end();
});

describe('PostgresDeliveryClaims (real server at PG_URL)', () => {
	it('returns the keys claimed before and claims the rest', async () => {
		const claims = processClaims();
		const scope = newScope();
		expect(await claims.claim(scope, ['a', 'b'])).toEqual(new Set());
		expect(await claims.claim(scope, ['b', 'c'])).toEqual(new Set(['b']));
		expect(await claims.claim(scope, ['a', 'b', 'c'])).toEqual(new Set(['a', 'b', 'c']));
	});

	it('keeps scopes (trigger nodes) apart', async () => {
		const claims = processClaims();
		const [first, second] = [newScope(), newScope()];
		await claims.claim(first, ['version:r1@1']);
		expect(await claims.claim(second, ['version:r1@1'])).toEqual(new Set());
	});

	it('lets exactly one of many processes claiming the same delivery at once start an execution', async () => {
		const scope = newScope();
		const keys = processedKeys('r-race', '2026-03-14T09:30:00.000Z');
		const processes = Array.from({ length: 8 }, () => processClaims());
		// connected first, so the claims themselves race
		await Promise.all(processes.map((claims) => claims.claim(newScope(), ['warm-up'])));
		for (let round = 0; round < 10; round++) {
			const roundKeys = processedKeys(`r-race-${round}`, keys.version);
			const verdicts = await Promise.all(
				processes.map(async (claims) => judgeRedelivery(roundKeys, await claims.claim(scope, [roundKeys.version, roundKeys.response]))),
			);
			expect(verdicts.filter(({ duplicate }) => !duplicate)).toEqual([{ duplicate: false, seenBefore: false }]);
		}
	});

	it('calls a new state of a response claimed before an update, not a duplicate', async () => {
		const claims = processClaims();
		const scope = newScope();
		const first = processedKeys('r-upd', '2026-03-14T09:30:00.000Z');
		const updated = processedKeys('r-upd', '2026-03-15T10:00:00.000Z');
		expect(judgeRedelivery(first, await claims.claim(scope, [first.version, first.response]))).toEqual({ duplicate: false, seenBefore: false });
		expect(judgeRedelivery(updated, await claims.claim(scope, [updated.version, updated.response]))).toEqual({ duplicate: false, seenBefore: true });
	});

	it('reconnects after its connection is killed, keeping what it claimed', async () => {
		const claims = processClaims();
		const scope = newScope();
		await claims.claim(scope, ['kept']);
		const admin = await connectAdmin();
		try {
			await admin.query(
				`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE $1`,
				[`INSERT INTO ${CLAIMS_TABLE}%`],
			);
		} finally {
			await admin.end();
		}
		// the claim on the dead connection may fail (the trigger then starts the execution); the next one reconnects
		await claims.claim(scope, ['after']).catch(() => undefined);
		expect(await claims.claim(scope, ['kept', 'fresh'])).toEqual(new Set(['kept']));
	});
});
