import { expect, it } from 'vitest';
import { VirtualClock } from '../../../lib/clock.ts';
import { Scheduler, SingleFlight } from '../../../core/services/scheduler.ts';

function scheduler(clock: VirtualClock, errors: string[] = []) {
  return new Scheduler(clock, { pendingMax: 100, retryMs: 60_000, onTaskError: (label) => void errors.push(label) });
}

it('runs a task at its time, and only the latest of the tasks armed under one key', async () => {
  const clock = new VirtualClock(0);
  const ran: string[] = [];
  const timers = scheduler(clock);
  timers.arm('query:P1', 1_000, async () => void ran.push('first'));
  timers.arm('query:P1', 2_000, async () => void ran.push('second'));
  await clock.advance(1_500);
  expect(ran).toEqual([]);
  await clock.advance(500);
  expect(ran).toEqual(['second']);
  expect(timers.size()).toBe(0);
});

it('never overlaps two runs of one key, even when a task arms its successor before it finishes', async () => {
  const clock = new VirtualClock(0);
  const timers = scheduler(clock);
  let running = 0;
  let overlapped = false;
  let runs = 0;
  const task = async (): Promise<void> => {
    running += 1;
    overlapped ||= running > 1;
    runs += 1;
    if (runs < 5) timers.arm('poll', clock.now() + 1_000, task);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
  };
  timers.arm('poll', 1_000, task);
  await clock.advance(10_000);
  expect(runs).toBe(5);
  expect(overlapped).toBe(false);
});

it('reports a task that throws and tries it again later rather than losing the work', async () => {
  const clock = new VirtualClock(0);
  const errors: string[] = [];
  const timers = scheduler(clock, errors);
  let attempts = 0;
  timers.arm('notification:N1', 0, async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('bug');
  });
  await clock.advance(0);
  expect(errors).toEqual(['notification:N1']);
  await clock.advance(60_000);
  expect(attempts).toBe(2);
});

it('waits twice as long each time a task throws again, up to an hour, and starts over once it succeeds', async () => {
  const clock = new VirtualClock(0);
  const timers = scheduler(clock);
  const ranAt: number[] = [];
  let failing = true;
  const task = async () => {
    ranAt.push(clock.now());
    if (failing) throw new Error('bug');
  };
  timers.arm('refund-poll:R1', 0, task);
  await clock.advance(6 * 3_600_000);
  const gaps = ranAt.slice(1).map((atMs, index) => (atMs - ranAt[index]!) / 60_000);
  // Minutes between runs: 1, 2, 4, … 32, then an hour each: 14 runs in 6 hours, not 361 at one a minute.
  expect(gaps.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 60]);
  expect(new Set(gaps.slice(6))).toEqual(new Set([60]));
  // Once it succeeds, a later failure of the same key is retried after a minute again.
  failing = false;
  await clock.advance(3_600_000);
  failing = true;
  const before = ranAt.length;
  timers.arm('refund-poll:R1', clock.now(), task);
  await clock.advance(60_000);
  expect(ranAt.length - before).toBe(2);
  expect(ranAt.at(-1)! - ranAt.at(-2)!).toBe(60_000);
});

it('refuses to hold more tasks than its limit', () => {
  const timers = new Scheduler(new VirtualClock(0), { pendingMax: 2, retryMs: 1, onTaskError: () => undefined });
  timers.arm('a', 1, async () => undefined);
  timers.arm('b', 1, async () => undefined);
  expect(() => timers.arm('c', 1, async () => undefined)).toThrowError(/scheduledTasksMax/);
});

it('waits for running tasks when stopped, and runs nothing after', async () => {
  const clock = new VirtualClock(0);
  const timers = scheduler(clock);
  let finished = false;
  let late = false;
  timers.arm('slow', 0, async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    finished = true;
  });
  timers.arm('later', 5_000, async () => void (late = true));
  const advancing = clock.advance(0);
  await new Promise((resolve) => setTimeout(resolve, 1));
  await timers.stop();
  expect(finished).toBe(true);
  await advancing;
  await clock.advance(10_000);
  expect(late).toBe(false);
});

it('shares one run among concurrent callers of the same key', async () => {
  const flights = new SingleFlight<number>();
  let calls = 0;
  const work = async () => {
    calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return calls;
  };
  const results = await Promise.all([flights.run('P1', work), flights.run('P1', work), flights.run('P2', work)]);
  expect(calls).toBe(2);
  expect(results[0]).toBe(results[1]);
  expect(await flights.run('P1', work)).toBe(3);
});
