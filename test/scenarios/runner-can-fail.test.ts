// The safety net can fail: a wrong expectation, and a core with a component swapped for a broken one
// through the composition root, each fail the run, naming what failed and the command that reproduces it.
import { expect, it } from 'vitest';
import { brokenCores } from '../../scenarios/broken/corrupting-notifier.ts';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { defineScenario } from '../../scenarios/define.ts';
import { mutantNamed } from '../../scenarios/mutants/index.ts';
import { runScenario } from '../../scenarios/runner/run.ts';

async function scenario(name: string) {
  return (await loadCatalog()).find((entry) => entry.scenario.name === name)!.scenario;
}

it('fails a scenario whose expectation is wrong, naming the expectation and the reproduction command', async () => {
  const happy = await scenario('happy-path');
  const wrong = defineScenario({ ...happy, name: 'happy-path-expects-closed', expect: { orders: { A: { status: 'CLOSED' } } } });
  const result = await runScenario(wrong, { seed: 5 });
  expect(result.passed).toBe(false);
  expect(result.failures).toEqual(['order A is CLOSED: it is PAID']);
  expect(result.reproduce).toBe('npx paysim scenario run happy-path-expects-closed --seed 5');
});

it('fails the catalogue scenario on a core that books a duplicated notification twice, naming the invariant and the check', async () => {
  const duplicated = await scenario('notification-ten-copies-at-once');
  const result = await runScenario(duplicated, { core: { components: brokenCores.booksPaymentTwice.components } });
  expect(result.passed).toBe(false);
  expect(result.failures.some((failure) => failure.startsWith('invariant duplicatesChangeNothing broke: payment ') && failure.includes('booked 2 times'))).toBe(true);
  expect(result.failures.some((failure) => failure.startsWith('check noDoubleCredit holds: it fired'))).toBe(true);
  expect(result.invariants.find((invariant) => invariant.name === 'duplicatesChangeNothing')?.passed).toBe(false);
  expect(result.reproduce).toBe('npx paysim scenario run notification-ten-copies-at-once --seed 1');
});

it('fails on a core that overstates refunds, naming refundsWithinPaid', async () => {
  const refunds = await scenario('refund-stuck-two-days');
  const result = await runScenario(refunds, { core: { components: brokenCores.overstatesRefunded.components } });
  expect(result.passed).toBe(false);
  expect(result.failures.some((failure) => failure.startsWith('invariant refundsWithinPaid broke: order A shows'))).toBe(true);
});

it('fails a scenario that expects a check to fire when it holds', async () => {
  const happy = await scenario('happy-path');
  const result = await runScenario(defineScenario({ ...happy, expect: { checks: { refundsNotStuck: 'fires' } } }));
  expect(result.failures).toEqual(['check refundsNotStuck fires: it held']);
});

it('fails a scenario whose fault never fires, and one whose step is refused unexpectedly', async () => {
  const happy = await scenario('happy-path');
  const result = await runScenario(
    defineScenario({
      ...happy,
      faults: [{ match: { api: 'alipay.trade.close' }, fault: { type: 'http_error', status: 502 } }],
      steps: [...happy.steps, { step: 'refund', order: 'A', refund: 'R1', amount: '100.00' }],
    }),
  );
  expect(result.passed).toBe(false);
  expect(result.failures).toContain('fault 1 (http_error) fired: it never fired: the scenario does not exercise it');
  expect(result.failures.some((failure) => failure.startsWith('step 5 refund A: answered 409 REFUND_EXCEEDS_PAID'))).toBe(true);
});

it('fails the crash scenario on a core that acknowledges a notify before its write is durable, naming acknowledgedSurvivesCrash', async () => {
  const crash = await scenario('core-crashes-as-notification-arrives');
  const reference = await runScenario(crash);
  expect(reference.failures).toEqual([]);
  expect(reference.invariants.find((invariant) => invariant.name === 'acknowledgedSurvivesCrash')).toEqual({ name: 'acknowledgedSurvivesCrash', passed: true });
  const result = await runScenario(crash, { core: { components: mutantNamed('acknowledges-before-persisting')!.components } });
  expect(result.passed).toBe(false);
  expect(result.failures).toContain('invariant acknowledgedSurvivesCrash broke: trade_paid of payment A was acknowledged, yet after the crash the core shows it PENDING (want SUCCEEDED)');
  // The restarted core's query still finds the payment: only the invariant sees that the acknowledgement came first.
  expect(result.failures).toHaveLength(1);
});
