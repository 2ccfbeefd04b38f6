// The CLI with WeChat Pay: `paysim up` serves both channels in one process, the core on the simulator's
// default WeChat Pay merchant; `paysim core` reads that merchant's key files from the data dir
// `paysim sim` writes, and names a bad one with exit code 2.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Starts a paysim command and waits until its output matches every pattern; stopped after the test. */
async function start(args: string[], ready: readonly RegExp[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(undefined);
        child.once('exit', resolve);
        child.kill('SIGINT');
      }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`paysim ${args[0]} did not start:\n${output}`)), 25_000);
    const check = () => {
      if (ready.every((pattern) => pattern.test(output))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => reject(new Error(`paysim ${args[0]} exited:\n${output}`)));
  });
  return { child, output: () => output };
}

const json = async (url: string, body?: unknown) => {
  const response = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
};

async function payOnWechat(coreUrl: string, simUrl: string, outOrderNo: string): Promise<string> {
  const order = await json(`${coreUrl}/api/orders`, { outOrderNo, amount: '12.30', currency: 'CNY', subject: 'paysim cli' });
  const payment = await json(`${coreUrl}/api/orders/${order.orderNo}/pay`, { method: 'wechatpay.native' });
  expect(payment).toMatchObject({ channel: 'wechatpay', qrCode: expect.stringContaining(`${simUrl}/cashier/`) });
  expect(await json(`${simUrl}/_sim/buyer/pay`, { channel: 'wechatpay', outTradeNo: payment.paymentNo })).toMatchObject({ outcome: 'paid' });
  let status = '';
  for (let attempt = 0; attempt < 50 && status !== 'PAID'; attempt++) {
    status = (await json(`${coreUrl}/api/orders/${order.orderNo}`)).status as string;
    if (status !== 'PAID') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

it('serves Alipay and WeChat Pay in one process with paysim up: a WeChat Pay order is paid end to end', async () => {
  const up = await start(['up', '--memory', '--port', '0', '--core-port', '0'], [/simulator listening at/, /core listening at/]);
  const simUrl = /simulator listening at (http:\/\/\S+)/.exec(up.output())![1]!;
  const coreUrl = /core listening at (http:\/\/\S+)/.exec(up.output())![1]!;
  expect(up.output()).toMatch(/wechatpay notify\s+http:\/\/\S+\/notify\/wechatpay/);
  expect(up.output()).toMatch(/alipay notify\s+http:\/\/\S+\/notify\/alipay/);
  expect(await payOnWechat(coreUrl, simUrl, 'CLI-UP-WX-1')).toBe('PAID');
});

it('runs paysim core on the WeChat Pay merchant whose key files paysim sim wrote, and names a bad key file', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-wx-cli-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const sim = await start(['sim', '--port', '0', '--data-dir', dataDir], [/listening at/, /apiv3_key/]);
  const simUrl = /listening at (http:\/\/\S+)/.exec(sim.output())![1]!;
  const core = await start(['core', '--channel-url', simUrl, '--data-dir', dataDir, '--memory', '--core-port', '0'], [/core listening at/]);
  const coreUrl = /core listening at (http:\/\/\S+)/.exec(core.output())![1]!;
  expect(core.output()).toMatch(/wechatpay\s+merchant 1900000001, app wx\w+, keys [0-9A-F]{40}, PUB_KEY_ID_\d+/);
  expect(await payOnWechat(coreUrl, simUrl, 'CLI-CORE-WX-1')).toBe('PAID');

  const badKey = join(dataDir, 'short-apiv3.txt');
  await writeFile(badKey, 'too short\n');
  const refused = spawnSync(process.execPath, [bin, 'core', '--channel-url', simUrl, '--data-dir', dataDir, '--memory', '--core-port', '0', '--wechatpay-api-v3-key', badKey], { encoding: 'utf8', timeout: 20_000 });
  expect(refused.status).toBe(2);
  expect(refused.stderr).toMatch(/wechatpay connector: apiV3Key must be the 32-character APIv3 key/);
  expect(refused.stderr).not.toMatch(/\n\s+at /);
});
