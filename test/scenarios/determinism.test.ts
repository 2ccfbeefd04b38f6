// The same scenario, seed and build give the same timeline and the same traceHash; another seed gives
// other document numbers, so the hash is not a constant.
import { expect, it } from 'vitest';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { defineScenario } from '../../scenarios/define.ts';
import { mutantNamed } from '../../scenarios/mutants/index.ts';
import { runScenario } from '../../scenarios/runner/run.ts';

async function scenario(name: string) {
  const found = (await loadCatalog()).find((entry) => entry.scenario.name === name);
  if (!found) throw new Error(`no catalogue scenario ${name}`);
  return found.scenario;
}

it('gives the same timeline and traceHash when the same scenario runs twice with one seed', async () => {
  const reordered = await scenario('notifications-reordered');
  const first = await runScenario(reordered, { seed: 7 });
  const second = await runScenario(reordered, { seed: 7 });
  expect(first.passed, first.failures.join('\n')).toBe(true);
  expect(first.timeline.length).toBeGreaterThan(10);
  expect(second.timeline).toEqual(first.timeline);
  expect(second.traceHash).toBe(first.traceHash);
  expect(first.traceHash).toMatch(/^[0-9a-f]{16}$/);
});

it('gives the same traceHash for a scenario with ten concurrent copies of a notification', async () => {
  const copies = await scenario('notification-ten-copies-at-once');
  const [first, second] = [await runScenario(copies, { seed: 3 }), await runScenario(copies, { seed: 3 })];
  expect(second.traceHash).toBe(first.traceHash);
  expect(first.timeline.filter((entry) => entry.label.startsWith('notify trade_paid')).length).toBeGreaterThanOrEqual(10);
});

it('gives the same timeline and traceHash for a scenario whose core crashes, on the reference core and on a mutant', async () => {
  const crash = await scenario('core-crashes-as-notification-arrives');
  const [first, second] = [await runScenario(crash), await runScenario(crash)];
  expect(first.passed, first.failures.join('\n')).toBe(true);
  expect(second.timeline).toEqual(first.timeline);
  const labels = first.timeline.map((entry) => entry.label);
  const crashLine = labels.findIndex((label) => label.startsWith('the core crashes and restarts from its disk'));
  expect(crashLine).toBeGreaterThan(0);
  // The attempt the crash cut off started before it, at the same instant: it shows before the crash's line.
  const cutOff = labels.findIndex((label) => label.startsWith('notify trade_paid'));
  expect(first.timeline[cutOff]!.atMs).toBe(first.timeline[crashLine]!.atMs);
  expect(cutOff).toBeLessThan(crashLine);
  // The reference is cut off by the crash, so the channel resends: a second attempt is acknowledged.
  expect(first.timeline.filter((entry) => entry.label.startsWith('notify trade_paid')).map((entry) => entry.label.endsWith('200 success'))).toEqual([false, true]);
  const mutant = { core: { components: mutantNamed('acknowledges-before-persisting')!.components } };
  const [bad, again] = [await runScenario(crash, mutant), await runScenario(crash, mutant)];
  expect(bad.passed).toBe(false);
  expect(again.traceHash).toBe(bad.traceHash);
  expect(bad.traceHash).not.toBe(first.traceHash);
});

it('gives another timeline and traceHash under another seed when the seed draws the faults', async () => {
  const orders = ['A', 'B', 'C', 'D', 'E', 'F'];
  const coinFlips = defineScenario({
    name: 'notifications-lost-by-coin-flip',
    title: 'Each notification attempt is lost with probability 0.5',
    why: 'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): query when the notification does not come.',
    channel: 'alipay',
    faults: [{ match: { api: 'notify', probability: 0.5 }, fault: { type: 'drop' } }],
    steps: orders.flatMap((order) => [
      { step: 'createOrder', order, amount: '10.00' },
      { step: 'pay', order },
      { step: 'buyerPays', order },
    ] as const),
    expect: { orders: Object.fromEntries(orders.map((order) => [order, { status: 'PAID' }])) },
  });
  const [one, two, again] = [await runScenario(coinFlips, { seed: 1 }), await runScenario(coinFlips, { seed: 2 }), await runScenario(coinFlips, { seed: 1 })];
  expect(one.passed && two.passed, [...one.failures, ...two.failures].join('\n')).toBe(true);
  expect(two.traceHash).not.toBe(one.traceHash);
  expect(again.traceHash).toBe(one.traceHash);
  expect(one.reproduce).toBe('npx paysim scenario run notifications-lost-by-coin-flip --seed 1');
});
