// `paysim bill` and `paysim reconcile` as a user runs them, against a real simulator and core on one
// virtual clock in this process: the bill file is the one the channel serves, byte for byte; the
// report is the API's; failures say what to do.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatBeijingDate } from '../../lib/time-format.ts';
import { startPaysim, type Paysim } from '../core/integration/paysim.ts';
import { endDay, paidOrder, startDay } from '../core/recon/support.ts';
import { alipaySdk, verified } from '../support/sdk.ts';

const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
let paysim: Paysim;
let directory: string;
let billDate: string;
let lostPaymentNo: string;

beforeAll(async () => {
  paysim = await startPaysim();
  directory = await mkdtemp(join(tmpdir(), 'paysim-recon-cli-'));
  billDate = await startDay(paysim);
  await paidOrder(paysim, '10.00');
  lostPaymentNo = (await paidOrder(paysim, '20.00')).paymentNo;
  paysim.fault({ match: { api: 'bill', outTradeNo: `^${lostPaymentNo}$` }, fault: { type: 'bill_missing_row' } });
  // A WeChat Pay payment the same day, whose bill is clean.
  const wechat = await paysim.orderAndPay('30.00', { method: 'wechatpay.native' });
  await paysim.buyerPays(wechat.paymentNo, { channel: 'wechatpay' });
  await paysim.advance(0);
  await endDay(paysim, billDate);
});
afterAll(async () => {
  await paysim.close();
  await rm(directory, { recursive: true, force: true });
});

/** Runs paysim in a child process while this process keeps serving the simulator and the core. */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

it('paysim bill writes the file downloadurl.query serves for that day, byte for byte', async () => {
  const out = join(directory, 'bill.csv.zip');
  const written = await run(['bill', '--channel', 'alipay', '--date', billDate, '--sim-url', paysim.sim.url, '--out', out]);
  expect(written.stderr).toBe('');
  expect(written.status).toBe(0);
  expect(written.stdout).toContain(`wrote ${out}`);
  expect(written.stdout).toContain('1 rows');

  const sdk = alipaySdk(paysim.sim.url);
  const answer = await sdk.exec('alipay.data.dataservice.bill.downloadurl.query', { bizContent: { billType: 'trade', billDate } }, verified);
  const served = Buffer.from(await (await fetch(answer.billDownloadUrl)).arrayBuffer());
  expect((await readFile(out)).equals(served)).toBe(true);
});

it('paysim reconcile --json prints the report GET /api/reconciliations/:id gives, and exits 1 on mismatches', async () => {
  const printed = await run(['reconcile', '--channel', 'alipay', '--date', billDate, '--core-url', paysim.core.url, '--json']);
  expect(printed.status).toBe(1);
  const report = JSON.parse(printed.stdout);
  expect(report).toMatchObject({ billDate, status: 'MISMATCHED', counts: { LOCAL_ONLY: 1 } });
  expect(report).toEqual((await paysim.api('GET', `/api/reconciliations/${report.id}`)).body);

  const table = await run(['reconcile', '--date', billDate, '--core-url', paysim.core.url]);
  expect(table.status).toBe(1);
  expect(table.stdout).toContain(`alipay ${billDate}  MISMATCHED`);
  expect(table.stdout).toMatch(new RegExp(`LOCAL_ONLY\\s+payment\\s+${lostPaymentNo}`));
  expect(table.stdout).toContain('AGING');
  expect(table.stdout).toContain('--rerun later');
});

it('paysim reconcile --channel wechatpay reconciles the WeChat Pay day, and exits 0 when it matched', async () => {
  const printed = await run(['reconcile', '--channel', 'wechatpay', '--date', billDate, '--core-url', paysim.core.url, '--json']);
  expect(printed.status).toBe(0);
  expect(JSON.parse(printed.stdout)).toMatchObject({ channel: 'wechatpay', billDate, status: 'MATCHED', billRows: 1, matched: 1 });
  const unknown = await run(['reconcile', '--channel', 'paypal', '--date', billDate, '--core-url', paysim.core.url]);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/channel/);
});

it('says what to do: a malformed date (exit 2), a day not over, no core reachable (exit 1)', async () => {
  const badDate = await run(['reconcile', '--date', '2026-02-30', '--core-url', paysim.core.url]);
  expect(badDate.status).toBe(2);
  expect(badDate.stderr).toContain('--date must be a day that exists, as yyyy-MM-dd');

  const today = formatBeijingDate(paysim.clock.now());
  const notOver = await run(['reconcile', '--date', today, '--core-url', paysim.core.url]);
  expect(notOver.status).toBe(1);
  expect(notOver.stderr).toContain(`${today} has not ended yet in Beijing time`);

  const notReady = await run(['bill', '--date', today, '--sim-url', paysim.sim.url, '--out', join(directory, 'never.zip')]);
  expect(notReady.status).toBe(1);
  expect(notReady.stderr).toContain(`the bill of ${today} is not ready`);

  const noCore = await run(['reconcile', '--date', billDate, '--core-url', 'http://127.0.0.1:9']);
  expect(noCore.status).toBe(1);
  expect(noCore.stderr).toContain('no paysim core answers at http://127.0.0.1:9');
  expect(noCore.stderr).not.toMatch(/\n\s+at /);
});
