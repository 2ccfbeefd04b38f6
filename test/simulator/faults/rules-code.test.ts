// A rule written in code (`sim.engine.faults.add`, `createSimulator({faults})`) is decoded exactly as
// one posted to the control API: a malformed rule is refused with an error naming the problem, nothing
// is installed, and the gateway keeps answering. Sampled delays stay inside their bounds.
import { expect, it } from 'vitest';
import { VirtualClock } from '../../../lib/clock.ts';
import { EventBus } from '../../../lib/events.ts';
import { Random } from '../../../lib/random.ts';
import type { SimEvent } from '../../../simulator/engine/events.ts';
import { FaultBook, FaultRuleError } from '../../../simulator/faults/book.ts';
import type { FaultRule } from '../../../simulator/faults/rule.ts';
import { delaySampleMsMax, sampleDelayMs } from '../../../simulator/faults/transport.ts';
import { uniqueNo } from '../../support/orders.ts';
import { callGateway } from '../../support/signed-gateway.ts';
import { startSimulator } from '../../support/simulator.ts';

const dayMs = 86_400_000;

it('refuses a malformed rule added from code, naming the problem, installs nothing, and the gateway keeps answering', async () => {
  const env = await startSimulator();
  try {
    const faults = env.sim.engine.faults;
    expect(() => faults.add({ match: { outTradeNo: 'T-(00' }, fault: { type: 'delay', ms: 5 } })).toThrow(FaultRuleError);
    expect(() => faults.add({ match: { outTradeNo: 'T-(00' }, fault: { type: 'delay', ms: 5 } })).toThrow(/^fault rule refused: match\.outTradeNo is not a valid regular expression: .*T-\(00/);
    expect(() => faults.add({ fault: { type: 'delay', ms: -5 }, match: {} })).toThrow(/^fault rule refused: fault\.ms must be an integer from 0 to 86400000, got -5$/);
    expect(() => faults.add({ match: { api: 'alipay.trade.qeury' }, fault: { type: 'reset' } })).toThrow(/did you mean alipay\.trade\.query\?/);
    expect(() => faults.add({ match: { api: 'notify' }, fault: { type: 'http_error', status: 502 } })).toThrow(/^fault rule refused: match\.api "notify" never meets "http_error"/);
    expect(() => faults.add({ match: { outTradeNo: '^T(?=-)' }, fault: { type: 'reset' } })).toThrow(/patterns use RE2 syntax: no lookahead/);
    expect(faults.list()).toEqual([]);

    const answer = await callGateway(env.url, 'alipay.trade.precreate', { out_trade_no: uniqueNo('T-00'), total_amount: '1.00', subject: 'after a refused rule' });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('"code":"10000"');
  } finally {
    await env.close();
  }
});

it('installs the decoded rule from code and fires it on the numbers its pattern matches', async () => {
  const env = await startSimulator();
  try {
    const rule = env.sim.engine.faults.add({ match: { api: 'alipay.trade.precreate', outTradeNo: '^CODE-' }, fault: { type: 'http_error', status: 503 } });
    expect(rule).toMatchObject({ id: expect.stringMatching(/^rule-\d+$/), source: 'api', seen: 0, fired: 0 });
    const hit = await callGateway(env.url, 'alipay.trade.precreate', { out_trade_no: uniqueNo('CODE-'), total_amount: '1.00', subject: 'hit' });
    const miss = await callGateway(env.url, 'alipay.trade.precreate', { out_trade_no: uniqueNo('OTHER-'), total_amount: '1.00', subject: 'miss' });
    expect([hit.status, miss.status]).toEqual([503, 200]);
    expect(env.sim.engine.faults.list()).toEqual([expect.objectContaining({ id: rule.id, seen: 1, fired: 1 })]);
  } finally {
    await env.close();
  }
});

it('refuses to start a simulator whose faults option holds a malformed rule', async () => {
  const faults = [{ match: { outTradeNo: 'T-(00' }, fault: { type: 'reset' } }] as FaultRule[];
  await expect(startSimulator({ faults })).rejects.toThrow(/^fault rule refused: match\.outTradeNo is not a valid regular expression/);
});

it('checks match.api against the names given to setKnownApis, besides the layer names', () => {
  const book = new FaultBook(new Random(1), new EventBus<SimEvent>(), new VirtualClock(0));
  book.setKnownApis(new Set(['POST /v3/pay/transactions/native']));
  expect(book.add({ match: { api: 'POST /v3/pay/transactions/native' }, fault: { type: 'reset' } }).match.api).toBe('POST /v3/pay/transactions/native');
  expect(book.add({ match: { api: 'refund' }, fault: { type: 'refund_fail' } }).match.api).toBe('refund');
  expect(() => book.add({ match: { api: 'POST /v3/pay/transactions/nativ' }, fault: { type: 'reset' } })).toThrow(/did you mean POST \/v3\/pay\/transactions\/native\?/);
  expect(() => book.add({ match: { api: 'alipay.trade.query' }, fault: { type: 'reset' } })).toThrow(/match\.api "alipay\.trade\.query" is not an exchange paysim decides faults for/);
  expect(book.list()).toHaveLength(2);
});

it('keeps every lognormal delay sample between 0 and one day, even at the widest sigma', () => {
  const random = new Random(3);
  const fault = { type: 'delay', distribution: { kind: 'lognormal', medianMs: dayMs, sigma: 10 } } as const;
  const samples = Array.from({ length: 2_000 }, () => sampleDelayMs(fault, random));
  expect(delaySampleMsMax).toBe(dayMs);
  expect(samples.every((sampleMs) => Number.isSafeInteger(sampleMs) && sampleMs >= 0 && sampleMs <= dayMs)).toBe(true);
  expect(samples).toContain(dayMs);
});
