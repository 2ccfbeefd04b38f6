// A scenario's `magic: true`: the simulator's magic amounts act during chaos, as they do in `paysim sim`,
// and the timeline says which magic value fired; without it an amount in the magic range is only an amount.
import { expect, it } from 'vitest';
import { defineScenario } from '../../scenarios/define.ts';
import { runScenario } from '../../scenarios/runner/run.ts';

const lostNotifies = (magic: boolean) =>
  defineScenario({
    name: 'magic-amount-drops-notifies',
    title: 'An order of 4000.04: with magic values on, every notification is lost and the core asks',
    why: 'Magic amounts select a fault without a rule; the core must still find the payment (seed 000: query actively).',
    channel: 'alipay',
    faults: [],
    steps: [
      { step: 'createOrder', order: 'A', amount: '4000.04' },
      { step: 'pay', order: 'A' },
      { step: 'buyerPays', order: 'A' },
    ],
    expect: { orders: { A: { status: 'PAID' } } },
    ...(magic ? { magic } : {}),
  });

it('fires a magic amount\'s fault only in a scenario with magic: true, and marks it on the timeline', { timeout: 60_000 }, async () => {
  const on = await runScenario(lostNotifies(true));
  expect(on.failures).toEqual([]);
  const dropped = on.timeline.filter((entry) => entry.fault === 'drop');
  expect(dropped.length).toBeGreaterThan(0);
  for (const entry of dropped) expect(entry.label).toMatch(/^fault drop \(magic amount\.04\) on notify/);
  // The first notification was lost: any that reached the core came in quiesce, when magic is off as every fault is.
  const isNotify = (entry: { from: string; to: string; label: string }) => entry.from === 'channel' && entry.to === 'core' && entry.label.startsWith('notify ');
  const firstNotify = on.timeline.findIndex(isNotify);
  expect(on.timeline.findIndex((entry) => entry.fault === 'drop')).toBeLessThan(firstNotify === -1 ? Infinity : firstNotify);

  const off = await runScenario(lostNotifies(false));
  expect(off.failures).toEqual([]);
  expect(off.timeline.some((entry) => entry.fault !== undefined)).toBe(false);
  expect(off.timeline.some((entry) => entry.label.startsWith('notify trade_paid payment A') && entry.label.endsWith('success'))).toBe(true);
});

it('refuses a magic that is not true or false, naming it', () => {
  expect(() => defineScenario({ ...lostNotifies(false), magic: 'yes' as unknown as boolean })).toThrow(/magic must be true or false, got "yes"/);
});
