// A reset forgets trades, so it must forget what faults decided for them: a trade created again with
// the same number after POST /_sim/reset starts clean, with no lag, hold or bill plan of the old one.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryStore } from '../../../lib/store/store.ts';
import { startEngine } from '../engine/support.ts';
import { addFault, clearFaults } from '../../support/fault-api.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
});
afterAll(() => env.close());

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, verified);

it('forgets an early_notify lag on reset: the same trade number paid again queries as paid at once', async () => {
  const outTradeNo = uniqueNo('RST');
  await addFault(env.url, { match: { api: 'notify', outTradeNo: `^${outTradeNo}$` }, fault: { type: 'early_notify', ms: 600_000 } });
  expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '20.00'))).toMatchObject({ code: '10000' });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY' });

  await clearFaults(env.url);
  expect((await fetch(`${env.url}/_sim/reset`, { method: 'POST' })).status).toBe(200);
  expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '20.00'))).toMatchObject({ code: '10000' });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
});

it('decides a day\'s bill faults afresh after a reset', async () => {
  const { engine } = await startEngine(new MemoryStore());
  const bills = engine.billFaults;
  const rule = engine.faults.add({ match: { api: 'bill' }, fault: { type: 'bill_missing_row' }, timesMax: 1 });
  const rows = [{ outTradeNo: 'A', amountFen: 100, subject: 'a' }];
  expect(bills.plan('alipay', 'acct', '2026-01-01', rows).rowFaults.size).toBe(1);
  engine.faults.remove(rule.id);
  // Decided once: the same day's plan is kept while nothing is reset.
  expect(bills.plan('alipay', 'acct', '2026-01-01', rows).rowFaults.size).toBe(1);
  await engine.reset();
  expect(bills.plan('alipay', 'acct', '2026-01-01', rows).rowFaults.size).toBe(0);
  engine.stop();
});
