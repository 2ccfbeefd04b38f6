// engine.reset() forgets every trade, including the ways to find one: an old trade_no or cashier token
// must not lead to a new trade that reuses the forgotten trade's out_trade_no.
import { expect, it } from 'vitest';
import { MemoryStore } from '../../../lib/store/store.ts';
import { appId, createTrade, startEngine } from './support.ts';

it('forgets the trade_no and cashier token of the trades it removes', async () => {
  const { engine } = await startEngine(new MemoryStore());
  const forgotten = await createTrade(engine, 'RESET-1');
  await engine.reset();
  const fresh = await createTrade(engine, 'RESET-1');
  expect(fresh.tradeNo).not.toBe(forgotten.tradeNo);
  expect(engine.trades.find('alipay', appId, { tradeNo: forgotten.tradeNo })).toBeUndefined();
  expect(engine.trades.byToken(forgotten.cashierToken)).toBeUndefined();
  expect(engine.trades.find('alipay', appId, { tradeNo: fresh.tradeNo })?.key).toBe(fresh.key);
  expect(engine.trades.byToken(fresh.cashierToken)?.key).toBe(fresh.key);
  engine.stop();
});
