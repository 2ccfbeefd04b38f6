import { expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../lib/clock.ts';

it('runs nothing until virtual time is advanced, then runs due tasks in time order', async () => {
  const clock = new VirtualClock(0);
  const ran: string[] = [];
  clock.schedule(300, () => void ran.push('c'));
  clock.schedule(100, () => void ran.push('a'));
  clock.schedule(200, () => void ran.push('b'));
  expect(ran).toEqual([]);
  await clock.advance(250);
  expect(ran).toEqual(['a', 'b']);
  expect(clock.now()).toBe(250);
  await clock.advance(50);
  expect(ran).toEqual(['a', 'b', 'c']);
});

it('runs tasks due at the same time in the order they were scheduled', async () => {
  const clock = new VirtualClock(0);
  const ran: number[] = [];
  for (let index = 0; index < 5; index++) clock.schedule(10, () => void ran.push(index));
  await clock.advance(10);
  expect(ran).toEqual([0, 1, 2, 3, 4]);
});

it('awaits each task before starting the next, and shows each task its own due time', async () => {
  const clock = new VirtualClock(1000);
  const log: string[] = [];
  clock.schedule(1100, async () => {
    log.push(`start ${clock.now()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push('end');
  });
  clock.schedule(1200, () => void log.push(`next ${clock.now()}`));
  await clock.advance(500);
  expect(log).toEqual(['start 1100', 'end', 'next 1200']);
});

it('runs a 25-hour retry schedule in milliseconds, including tasks scheduled by tasks', async () => {
  const clock = new VirtualClock(0);
  const offsetsMinutes = [0, 4, 14, 24, 84, 204, 564, 1464];
  const times: number[] = [];
  const attempt = (index: number) => {
    times.push(clock.now());
    const next = offsetsMinutes[index + 1];
    if (next !== undefined) clock.schedule(next * 60_000, () => attempt(index + 1));
  };
  clock.schedule(0, () => attempt(0));
  const started = performance.now();
  await clock.advance(25 * 3_600_000);
  expect(times).toEqual(offsetsMinutes.map((minutes) => minutes * 60_000));
  expect(performance.now() - started).toBeLessThan(5_000);
});

it('lets a task sleep on virtual time without blocking the tasks due meanwhile', async () => {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  clock.schedule(10, async () => {
    await clock.sleep(100);
    log.push(`woke ${clock.now()}`);
  });
  clock.schedule(50, () => void log.push('middle'));
  await clock.advance(200);
  expect(log).toEqual(['middle', 'woke 110']);
});

it('does not run cancelled tasks', async () => {
  const clock = new VirtualClock(0);
  let ran = false;
  const handle = clock.schedule(10, () => {
    ran = true;
  });
  clock.cancel(handle);
  await clock.advance(100);
  expect(ran).toBe(false);
  expect(clock.pendingCount()).toBe(0);
});

it('keeps running later tasks when one throws, and reports the failure', async () => {
  const failures: string[] = [];
  const clock = new VirtualClock(0, { onTaskError: (_error, label) => failures.push(label) });
  let later = false;
  clock.schedule(1, () => {
    throw new Error('boom');
  }, 'broken');
  clock.schedule(2, () => {
    later = true;
  });
  await clock.advance(5);
  expect(failures).toEqual(['broken']);
  expect(later).toBe(true);
});

it('fails loudly past the pending-task limit', () => {
  const clock = new VirtualClock(0, { pendingMax: 2 });
  clock.schedule(1, () => undefined);
  clock.schedule(2, () => undefined);
  expect(() => clock.schedule(3, () => undefined, 'third')).toThrow(/limit.*third/);
});

it('refuses a negative advance', () => {
  expect(() => new VirtualClock(0).advance(-1)).toThrow(/non-negative/);
});

it('runs a real clock faster by its time scale', async () => {
  const clock = new RealClock(100);
  const started = clock.now();
  await new Promise<void>((resolve) => clock.schedule(clock.now() + 2_000, () => resolve()));
  // 2 s of clock time at 100x is about 20 ms of real time.
  expect(clock.now() - started).toBeGreaterThanOrEqual(2_000);
  clock.stop();
});

it('refuses a time scale that is not positive', () => {
  expect(() => new RealClock(0)).toThrow(/positive/);
  expect(() => new RealClock(-2)).toThrow(/positive/);
});

/** Real I/O stands in for a sign or a POST: it finishes after `ms` of real time. */
const io = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('runs keyed tasks due at the same instant at once, and lands their effects in the order they started', async () => {
  const clock = new VirtualClock(0, { concurrency: 8 });
  const log: string[] = [];
  for (const [name, ioMs] of [['a', 30], ['b', 15], ['c', 1]] as const) {
    clock.schedule(10, async () => {
      const turn = clock.turn();
      log.push(`start ${name}`);
      await io(ioMs);
      log.push(`io ${name}`);
      await turn.run(() => log.push(`effects ${name} at ${clock.now()}`));
    }, name, { key: name });
  }
  await clock.advance(10);
  expect(log.slice(0, 3)).toEqual(['start a', 'start b', 'start c']);
  expect(log.filter((line) => line.startsWith('io'))).toEqual(['io c', 'io b', 'io a']);
  expect(log.filter((line) => line.startsWith('effects'))).toEqual(['effects a at 10', 'effects b at 10', 'effects c at 10']);
});

it('runs the same keyed tasks one after another under concurrency 1, the default', async () => {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  for (const name of ['a', 'b']) {
    clock.schedule(10, async () => {
      log.push(`start ${name}`);
      await io(5);
      log.push(`end ${name}`);
    }, name, { key: name });
  }
  await clock.advance(10);
  expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
});

it('runs tasks alone that share a key or have none, and never more at once than the concurrency', async () => {
  const clock = new VirtualClock(0, { concurrency: 2 });
  let running = 0;
  let runningMax = 0;
  const log: string[] = [];
  const task = (name: string) => async () => {
    running++;
    runningMax = Math.max(runningMax, running);
    log.push(`start ${name}`);
    await io(5);
    log.push(`end ${name}`);
    running--;
  };
  clock.schedule(10, task('k1'), 'k1', { key: 'same' });
  clock.schedule(10, task('k2'), 'k2', { key: 'same' });
  clock.schedule(10, task('plain'), 'plain');
  for (const name of ['x', 'y', 'z']) clock.schedule(10, task(name), name, { key: name });
  await clock.advance(10);
  expect(log).toEqual(['start k1', 'end k1', 'start k2', 'end k2', 'start plain', 'end plain', 'start x', 'start y', 'end x', 'end y', 'start z', 'end z']);
  expect(runningMax).toBe(2);
});

it('moves time on when a task running with others waits on a later virtual timer', async () => {
  const clock = new VirtualClock(0, { concurrency: 8 });
  const log: string[] = [];
  clock.schedule(10, async () => {
    const turn = clock.turn();
    await io(1);
    await clock.sleep(100); // as a merchant whose answer waits on a delay fault would
    await turn.run(() => log.push(`sleeper at ${clock.now()}`));
  }, 'sleeper', { key: 'sleeper' });
  clock.schedule(10, async () => {
    const turn = clock.turn();
    await turn.run(() => log.push(`second at ${clock.now()}`));
  }, 'second', { key: 'second' });
  clock.schedule(50, () => void log.push(`middle at ${clock.now()}`));
  await clock.advance(200);
  // The second waits for the sleeper's effects (start order), and the sleeper for virtual time.
  expect(log).toEqual(['middle at 50', 'sleeper at 110', 'second at 110']);
});

it('refuses a concurrency that is not a positive integer', () => {
  expect(() => new VirtualClock(0, { concurrency: 0 })).toThrow(/positive integer/);
  expect(() => new VirtualClock(0, { concurrency: 1.5 })).toThrow(/positive integer/);
});

it('runs a task due now without an advance under runDueNow, and only that: time does not move', async () => {
  const clock = new VirtualClock(1_000, { runDueNow: true });
  const ran: string[] = [];
  clock.schedule(1_000, () => void ran.push(`now at ${clock.now()}`));
  clock.schedule(1_001, () => void ran.push('later'));
  expect(ran).toEqual([]); // not synchronously: after the caller's turn of the event loop
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(ran).toEqual(['now at 1000']);
  expect(clock.now()).toBe(1_000);
  const manual = new VirtualClock(1_000);
  manual.schedule(1_000, () => void ran.push('manual'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(ran).not.toContain('manual');
});

it('keeps time still while a task that armed a later timer finishes its I/O; only a sleep lets time move', async () => {
  const clock = new VirtualClock(0);
  const seen: string[] = [];
  clock.schedule(60_000, () => seen.push(`next timer at ${clock.now()}`), 'next');
  clock.schedule(0, async () => {
    clock.schedule(30_000, () => seen.push(`follow-up at ${clock.now()}`), 'follow-up'); // armed, not awaited
    await new Promise((resolve) => setTimeout(resolve, 20)); // real I/O, e.g. an HTTP round trip
    seen.push(`task done at ${clock.now()}`);
  });
  clock.schedule(0, async () => {
    await clock.sleep(10_000); // waits on later virtual time: time must move for it
    seen.push(`slept until ${clock.now()}`);
  });
  await clock.advance(120_000);
  expect(seen).toEqual(['task done at 0', 'slept until 10000', 'follow-up at 30000', 'next timer at 60000']);
});
