// `paysim bill --channel wechatpay` as a user runs it, against a real simulator and core on one virtual
// clock in this process: each WeChat Pay bill (ALL, SUCCESS, REFUND, the fund-flow bill; plain or gzip) is
// the file the channel serves to the official SDK, byte for byte, and bad input fails in one line.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { writeFileWhole } from '../../bin/commands/bill-options.ts';
import { readWechatpayBill } from '../../core/connectors/wechatpay/index.ts';
import { formatBeijingDate } from '../../lib/time-format.ts';
import { startPaysim, type Paysim } from '../core/integration/paysim.ts';
import { endDay, startDay } from '../core/recon/support.ts';

const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
let paysim: Paysim;
let directory: string;
let billDate: string;
let sdk: Wechatpay;

beforeAll(async () => {
  paysim = await startPaysim();
  directory = await mkdtemp(join(tmpdir(), 'paysim-bill-wechatpay-'));
  billDate = await startDay(paysim);
  const paid: string[] = [];
  for (const amount of ['88.80', '19.99']) {
    const numbers = await paysim.orderAndPay(amount, { method: 'wechatpay.native' });
    await paysim.buyerPays(numbers.paymentNo, { channel: 'wechatpay' });
    await paysim.advance(0);
    paid.push(numbers.orderNo);
  }
  expect((await paysim.api('POST', `/api/orders/${paid[0]}/refunds`, { outRefundNo: 'CLI-BILL-1', amount: '10.00', reason: 'returned' })).status).toBe(201);
  await paysim.advance(5_000);
  await endDay(paysim, billDate);
  // The merchant's own client, with the keys the simulator hands out for its default merchant.
  const apps = (await (await fetch(`${paysim.sim.url}/_sim/apps`)).json()) as Record<string, string>[];
  const merchant = apps.find((app) => app.channel === 'wechatpay')!;
  sdk = new Wechatpay({
    mchid: merchant.mchid!, serial: merchant.merchantSerial!, privateKey: merchant.merchantPrivateKeyPem!,
    certs: { [merchant.platformPublicKeyId!]: merchant.platformPublicKeyPem! }, baseURL: `${paysim.sim.url}/`,
  });
});
afterAll(async () => {
  await paysim.close();
  await rm(directory, { recursive: true, force: true });
});

function run(args: string[], cwd = directory, channel = 'wechatpay'): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'bill', '--channel', channel, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** What the SDK itself gets for the bill: the file and the hash_value the answer named. */
async function served(path: string, params: Record<string, string>): Promise<{ file: Buffer; hashValue: string }> {
  const answer = await sdk.chain(path).get({ params });
  const link = new URL(answer.data.download_url as string);
  const download = await sdk.chain('v3/billdownload/file').get({ params: Object.fromEntries(link.searchParams), responseType: 'arraybuffer' });
  return { file: Buffer.from(download.data as ArrayBuffer), hashValue: answer.data.hash_value as string };
}

it('writes the ALL trade bill the channel serves, byte for byte, and says how many rows it holds', async () => {
  const out = join(directory, 'all.csv');
  const written = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--out', out]);
  expect(written.stderr).toBe('');
  expect(written.status).toBe(0);
  expect(written.stdout).toContain(`wrote ${out}`);
  expect(written.stdout).toContain(`3 rows: the WeChat Pay ALL trade bill of ${billDate} for merchant 1900000001; SHA1 matches hash_value`);
  const file = await readFile(out);
  const expected = await served('v3/bill/tradebill', { bill_date: billDate, bill_type: 'ALL' });
  expect(file.equals(expected.file)).toBe(true);
  expect(createHash('sha1').update(file).digest('hex')).toBe(expected.hashValue);
  const rows = [];
  for await (const batch of readWechatpayBill(file)) rows.push(...batch);
  expect(rows.map((row) => [row.kind, row.amountFen])).toEqual([['payment', 8880], ['payment', 1999], ['refund', 1000]]);
});

it('writes the gzip file under the channel-like default name with --gzip, the same bill once unzipped', async () => {
  const folder = join(directory, 'gzip');
  await mkdir(folder);
  const written = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--gzip'], folder);
  expect(written.status).toBe(0);
  expect(await readdir(folder)).toEqual([`${billDate}_ALL.csv.gz`]);
  const file = await readFile(join(folder, `${billDate}_ALL.csv.gz`));
  expect([file[0], file[1]]).toEqual([0x1f, 0x8b]);
  const plain = await served('v3/bill/tradebill', { bill_date: billDate, bill_type: 'ALL' });
  expect(gunzipSync(file).equals(plain.file)).toBe(true);
  expect(written.stdout).toContain('gzip, 3 rows');
});

it('writes the SUCCESS and REFUND trade bills and the fund-flow bill with --type', async () => {
  const success = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--type', 'success', '--out', join(directory, 'success.csv')]);
  expect(success.stdout).toContain('2 rows: the WeChat Pay SUCCESS trade bill');
  expect((await readFile(join(directory, 'success.csv'))).equals((await served('v3/bill/tradebill', { bill_date: billDate, bill_type: 'SUCCESS' })).file)).toBe(true);
  const refund = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--type', 'REFUND', '--out', join(directory, 'refund.csv')]);
  expect(refund.stdout).toContain('1 rows: the WeChat Pay REFUND trade bill');
  expect((await readFile(join(directory, 'refund.csv'), 'utf8'))).toContain('退款申请时间,退款成功时间');
  const flow = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--type', 'FUNDFLOW', '--out', join(directory, 'flow.csv')]);
  expect(flow.status).toBe(0);
  expect(flow.stdout).toContain('the WeChat Pay fund-flow bill (BASIC account)');
  expect((await readFile(join(directory, 'flow.csv'))).equals((await served('v3/bill/fundflowbill', { bill_date: billDate, account_type: 'BASIC' })).file)).toBe(true);
  const operation = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--type', 'FUNDFLOW', '--account-type', 'OPERATION', '--out', join(directory, 'operation.csv')]);
  expect(operation.status).toBe(1);
  expect(operation.stderr).toBe(`paysim: there is no WeChat Pay fund-flow bill (OPERATION account) of ${billDate} (NO_STATEMENT_EXIST): the merchant had no trades, or no flow on that account, that day\n`);
  expect(await readdir(directory)).not.toContain('operation.csv');
});

it('refuses bad input in one line, exit 2, and writes nothing', async () => {
  const before = await readdir(directory);
  const cases: [string[], string][] = [
    [['--date', billDate, '--sim-url', paysim.sim.url, '--mchid', '1900009999'], `the simulator at ${paysim.sim.url} has no WeChat Pay merchant 1900009999; it has 1900000001: pass one of them as --mchid`],
    [['--date', '2026-02-30', '--sim-url', paysim.sim.url], '--date must be a day that exists, as yyyy-MM-dd (e.g. 2026-01-01), got "2026-02-30"'],
    [['--date', billDate, '--sim-url', paysim.sim.url, '--type', 'trade'], '--type "trade" is not a WeChat Pay bill: use ALL, SUCCESS or REFUND (trade bills) or FUNDFLOW (the fund-flow bill)'],
    [['--date', billDate, '--sim-url', paysim.sim.url, '--account-type', 'BASIC'], '--account-type is for the fund-flow bill: add --type FUNDFLOW'],
    [['--date', billDate, '--sim-url', paysim.sim.url, '--out', join(directory, 'no-such-folder', 'bill.csv')], `--out ${join(directory, 'no-such-folder', 'bill.csv')}: the folder ${join(directory, 'no-such-folder')} does not exist; create it first or choose another --out`],
    [['--date', billDate, '--sim-url', paysim.sim.url, '--out', directory], `--out ${directory} is a folder; give a file name, e.g. --out ${directory}/bill.csv`],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    expect(result.stderr).toBe(`paysim: ${message}\n`);
    expect(result.status).toBe(2);
  }
  const alipayOnly = await run(['--date', billDate, '--sim-url', paysim.sim.url, '--gzip'], directory, 'alipay');
  expect(alipayOnly.stderr).toBe("paysim: --gzip is for WeChat Pay bills (--channel wechatpay); Alipay's bill is a zip of its own\n");
  expect(await readdir(directory)).toEqual(before);
});

it('fails in one line, exit 1, on a day not over yet or a simulator that does not answer, leaving no file', async () => {
  const today = formatBeijingDate(paysim.clock.now());
  const out = join(directory, 'today.csv');
  const notReady = await run(['--date', today, '--sim-url', paysim.sim.url, '--out', out]);
  expect(notReady.status).toBe(1);
  expect(notReady.stderr).toMatch(new RegExp(`^paysim: the bill of ${today} is not ready: .*ask again after ${today} has ended\n$`));
  // A day long over but before the app existed: waiting would not help, and the message does not say to.
  const beforeApp = await run(['--date', '2025-06-01', '--sim-url', paysim.sim.url, '--out', out], directory, 'alipay');
  expect(beforeApp.status).toBe(1);
  expect(beforeApp.stderr).toMatch(/^paysim: there is no bill of 2025-06-01: that day is over \(the simulator's virtual clock says .*\), but it is before the app was registered at the simulator/);
  const down = await run(['--date', billDate, '--sim-url', 'http://127.0.0.1:9', '--out', out]);
  expect(down.status).toBe(1);
  expect(down.stderr).toMatch(/^paysim: no paysim simulator answers at http:\/\/127\.0\.0\.1:9 \(.*\): start one with `paysim sim` or `paysim up`, or pass --sim-url\n$/);
  expect(await readdir(directory)).not.toContain('today.csv');
});

it('writes a bill file whole or not at all: a failed write leaves neither a partial file nor a changed target', async () => {
  const folder = join(directory, 'atomic');
  await mkdir(join(folder, 'taken'), { recursive: true });
  await writeFile(join(folder, 'taken', 'keep'), 'x');
  // Renaming a file over a non-empty folder fails after the bytes were written: the temporary file goes.
  await expect(writeFileWhole(join(folder, 'taken'), Buffer.from('bill'))).rejects.toThrow(/^cannot write .*taken \(E[A-Z]+: .*\); nothing was written: choose another --out$/);
  expect((await readdir(folder)).sort()).toEqual(['taken']);
  await writeFile(join(folder, 'old.csv'), 'old');
  await writeFileWhole(join(folder, 'old.csv'), Buffer.from('new'));
  expect(await readFile(join(folder, 'old.csv'), 'utf8')).toBe('new');
  expect((await readdir(folder)).sort()).toEqual(['old.csv', 'taken']);
});
