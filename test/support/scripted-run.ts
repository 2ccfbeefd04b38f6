// One scripted day against a fresh simulator with faults of every layer, driven with byte-identical
// requests (fixed timestamp and Host, links on http://paysim.test), returning GET /_sim/journal as text.
// Used in-process by the determinism tests, and as a script so that a second process can run it:
//   node --import tsx test/support/scripted-run.ts <seed> <notifyUrl>   (prints the journal)
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { addFault, until } from './fault-api.ts';
import { callGateway, innerOf } from './signed-gateway.ts';
import { startSimulator } from './simulator.ts';

/** A port that was free a moment ago: the simulator's real address, while its links say paysim.test. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`scripted run: expected ${what}`);
}

export const scriptedRules: readonly unknown[] = [
  { match: { api: 'alipay.trade.query', probability: 0.5 }, fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' } },
  { match: { api: 'alipay.trade.query', nth: 5 }, fault: { type: 'bad_signature' } },
  { match: { api: 'alipay.trade.precreate' }, fault: { type: 'delay', distribution: { kind: 'uniform', minMs: 100, maxMs: 5_000 } } },
  { match: { api: 'notify', nth: 2 }, fault: { type: 'duplicate', copies: 2 } },
  { match: { api: 'notify', probability: 0.5 }, fault: { type: 'drop' } },
  { match: { api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'forge_signature' } },
  { match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: 600_000 } },
  { match: { api: 'bill' }, fault: { type: 'bill_extra_row' } },
];

export async function journalOfScriptedRun(seed: number, notifyUrl: string): Promise<string> {
  const port = await freePort();
  const env = await startSimulator({ seed, port, publicBaseUrl: 'http://paysim.test' });
  const url = `http://127.0.0.1:${port}`;
  const call = (method: string, biz: Record<string, unknown>, withNotify = false) => callGateway(url, method, biz, withNotify ? { notifyUrl } : {});
  const firedCount = () => env.sim.engine.journal.list({ type: 'fault.injected' }).length;
  try {
    for (const rule of scriptedRules) await addFault(url, rule);
    // 4000.14 and 4000.24 are magic amounts: duplicated and tampered notifications.
    for (const [index, amount] of ['10.00', '4000.14', '4000.24', '40.00'].entries()) {
      const outTradeNo = `DET${index}`;
      const paid = await call('alipay.trade.pay', { out_trade_no: outTradeNo, total_amount: amount, subject: '确定性', scene: 'bar_code', auth_code: '281234567890123456' }, true);
      check(innerOf(paid, 'alipay.trade.pay').code === '10000', `${outTradeNo} to be paid`);
      await env.clock.advance(1_000);
      for (let query = 0; query < 3; query++) await call('alipay.trade.query', { out_trade_no: outTradeNo });
    }
    const before = firedCount();
    const delayed = call('alipay.trade.precreate', { out_trade_no: 'DETQR', total_amount: '5.00', subject: '扫码' });
    await until(() => firedCount() > before, 'the precreate delay to fire');
    await env.clock.advance(5_000);
    check(String(innerOf(await delayed, 'alipay.trade.precreate').qr_code).startsWith('http://paysim.test/cashier/'), 'a qr_code on paysim.test');
    await call('alipay.trade.refund', { out_trade_no: 'DET0', refund_amount: '4.00', out_request_no: 'DET-R1' });
    await env.clock.advance(24 * 3_600_000);
    const bill = innerOf(await call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: '2026-01-01' }), 'alipay.data.dataservice.bill.downloadurl.query');
    const download = await fetch(String(bill.bill_download_url).replace('http://paysim.test', url));
    check(download.status === 200, 'the bill to download');
    return await (await fetch(`${url}/_sim/journal`)).text();
  } finally {
    await env.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [seed, notifyUrl] = process.argv.slice(2);
  process.stdout.write(await journalOfScriptedRun(Number(seed), notifyUrl!));
}
