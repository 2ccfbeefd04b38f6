// defineScenario refuses what a runner could only misread, naming each problem; durations read as QA write them.
import { expect, it } from 'vitest';
import { defineScenario, durationMs, ScenarioDefinitionError } from '../../scenarios/define.ts';

const base = {
  name: 'a-scenario',
  title: 'A title',
  why: 'seed 000 (支付系统设计: 支付、通知、查询、退款、对账)',
  channel: 'alipay',
  faults: [],
  steps: [{ step: 'createOrder', order: 'A', amount: '1.00' }],
  expect: {},
} as const;

it('returns a valid scenario as it is', () => {
  expect(defineScenario(base)).toBe(base);
});

it('names an order used before a createOrder step creates it, and one expected but never created', () => {
  const call = () => defineScenario({ ...base, steps: [{ step: 'pay', order: 'B' }], expect: { orders: { C: { status: 'PAID' } } } });
  expect(call).toThrow(ScenarioDefinitionError);
  expect(call).toThrow(/step 1 \(pay\) names order "B" before a createOrder step creates it; expect.orders names "C", which no createOrder step creates/);
});

it('reads durations in ms, s, m, h and d, and refuses anything else', () => {
  expect([durationMs(250), durationMs('90s'), durationMs('15m'), durationMs('2h'), durationMs('1.5d')]).toEqual([250, 90_000, 900_000, 7_200_000, 129_600_000]);
  expect(() => durationMs('2 hours' as never)).toThrow(/like 90s, 15m, 2h, 3d; got "2 hours"/);
  expect(() => durationMs(-1)).toThrow(RangeError);
});

it('refuses a coreCrashes step without the step it interrupts, or during another crash, and checks the order it names', () => {
  const crash = (during: unknown) => () => defineScenario({ ...base, steps: [...base.steps, { step: 'coreCrashes', during } as never] });
  expect(crash(undefined)).toThrow(/step 2 \(coreCrashes\) needs `during`: the step the crash interrupts/);
  expect(crash({ step: 'coreCrashes', during: { step: 'buyerPays', order: 'A' } })).toThrow(/step 2 \(coreCrashes\) crashes during another coreCrashes: one crash at a time/);
  expect(crash({ step: 'buyerPays', order: 'B' })).toThrow(/step 2 \(coreCrashes during buyerPays\) names order "B" before a createOrder step creates it/);
  expect(defineScenario({ ...base, steps: [...base.steps, { step: 'coreCrashes', during: { step: 'buyerPays', order: 'A' } }] }).steps).toHaveLength(2);
});
