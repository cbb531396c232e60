import { EventLoopTurns } from '../../lib/eventLoopTurns';

function busy(ms: number) {
	const until = performance.now() + ms;
	while (performance.now() < until);
}

it('lets a timer run during a long synchronous loop once a turn has lasted its length', async () => {
	const turns = new EventLoopTurns(10);
	let fired = false;
	setTimeout(() => (fired = true), 0);
	let stepsBeforeTimer = 0;
	for (let step = 0; step < 50 && !fired; step++) {
		busy(2);
		await turns.pass();
		stepsBeforeTimer = step + 1;
	}
	expect(fired).toBe(true);
	// About 10 ms of work, not the whole loop's 100 ms.
	expect(stepsBeforeTimer).toBeLessThan(20);
});
