// `paysim reconcile --data-dir` and `paysim bill --data-dir`, as after `paysim up --clock virtual`: one
// data dir holds the simulator's and the core's stores and the default app's keys. The commands open
// what is not in use, and say what to do about what is.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createCore } from '../../core/app.ts';
import type { VirtualClock } from '../../lib/clock.ts';
import { formatBeijingDate } from '../../lib/time-format.ts';
import { createSimulator } from '../../simulator/server.ts';

const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
const hourMs = 3_600_000;
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

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

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBeLessThan(300);
  return response.json();
}

it('reconciles a day from a core data dir, and writes its bill from a simulator data dir once no simulator holds it', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-recon-dir-'));
  directories.push(dataDir);
  const sim = await createSimulator({ port: 0, dataDir, clock: 'virtual' });
  const simUrl = await sim.listen();
  const clock = sim.clock as VirtualClock;
  await clock.advance(9 * hourMs); // 09:00 Beijing time on the first day
  const billDate = formatBeijingDate(sim.clock.now());
  const apps = (await (await fetch(`${simUrl}/_sim/apps`)).json()) as { appId: string; sellerId: string; channelPublicKeyPem: string; merchantPrivateKeyPem: string }[];
  const app = apps[0]!;
  const core = await createCore({
    dataDir,
    clock: sim.clock,
    connectors: { alipay: { appId: app.appId, sellerId: app.sellerId, privateKeyPem: app.merchantPrivateKeyPem, alipayPublicKeyPem: app.channelPublicKeyPem, gatewayUrl: `${simUrl}/gateway.do`, endpoint: simUrl } },
    config: { port: 0, checksIntervalMs: 0, reconciliation: { dailyAt: null } },
  });
  const coreUrl = await core.listen();
  const order = await post(`${coreUrl}/api/orders`, { outOrderNo: 'DIR-1', amount: '42.00', currency: 'CNY', subject: 'data dir' });
  const paid = await post(`${coreUrl}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr' });
  await post(`${simUrl}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: paid.paymentNo });
  await clock.advance(0);
  await clock.advance(24 * hourMs + 30 * 60_000); // 09:30 the next morning
  await core.close();

  const reconciled = await run(['reconcile', '--date', billDate, '--data-dir', dataDir, '--channel-url', simUrl, '--json']);
  expect(reconciled.stderr).not.toMatch(/\n\s+at /);
  expect(reconciled.status).toBe(0);
  expect(JSON.parse(reconciled.stdout)).toMatchObject({ billDate, status: 'MATCHED', billRows: 1, localRecords: 1, matched: 1, mismatches: [] });
  // The WeChat Pay merchant's files from the same data dir (a day without WeChat Pay business: nothing to match).
  const wechat = await run(['reconcile', '--channel', 'wechatpay', '--date', billDate, '--data-dir', dataDir, '--channel-url', simUrl, '--json']);
  expect(wechat.stderr).not.toMatch(/\n\s+at /);
  expect(wechat.status).toBe(0);
  expect(JSON.parse(wechat.stdout)).toMatchObject({ channel: 'wechatpay', billDate, status: 'MATCHED', billRows: 0, localRecords: 0 });

  const held = await run(['bill', '--date', billDate, '--data-dir', dataDir, '--out', join(dataDir, 'bill.zip')]);
  expect(held.status).toBe(2);
  expect(held.stderr).toContain('pass --sim-url http://127.0.0.1:4010 instead');

  await sim.close(); // stores its virtual time: the bill command resumes it
  const written = await run(['bill', '--date', billDate, '--data-dir', dataDir, '--clock', 'virtual', '--out', join(dataDir, 'bill.zip')]);
  expect(written.stderr).toBe('');
  expect(written.status).toBe(0);
  expect(written.stdout).toContain('1 rows');
});
