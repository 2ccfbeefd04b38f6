// alipay.data.dataservice.bill.downloadurl.query and the file behind the URL (§5, §10): a day's bill is
// ready once the Beijing day is over, its URL lives 30 s, and the zip (GBK names and contents) holds
// exactly the payments and refunds the simulator recorded that day.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { billDetailRows, billLine, readBillZip } from '../../support/bill-zip.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let sellerId: string;
/** The Beijing day the trades below are paid on: the virtual clock's first day. */
let billDate: string;
const payments: { outTradeNo: string; tradeNo: string; totalAmount: string }[] = [];
const refund = { outRequestNo: 'BILL-R1', refundAmount: '12.50' };

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, verified);
const downloadUrlQuery = (date: string) => exec('alipay.data.dataservice.bill.downloadurl.query', { billType: 'trade', billDate: date });

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  const apps = (await (await fetch(`${env.url}/_sim/apps`)).json()) as { appId: string; sellerId: string }[];
  sellerId = apps.find((app) => app.appId === env.appId)!.sellerId;
  billDate = formatBeijingDate(env.clock.now());

  // A day of business: three payments an hour apart, one partly refunded in the afternoon.
  for (const totalAmount of ['88.80', '19.99', '100.00']) {
    const outTradeNo = uniqueNo('BILL');
    const paid = await exec('alipay.trade.pay', barcodeOrder(outTradeNo, totalAmount));
    payments.push({ outTradeNo, tradeNo: paid.tradeNo, totalAmount });
    await env.clock.advance(60 * 60_000);
  }
  await exec('alipay.trade.refund', { outTradeNo: payments[0]!.outTradeNo, ...refund });
  await env.clock.advance(env.sim.engine.config.refundDelayMs);
  // Past the end of that Beijing day: the bill is T+1.
  await env.clock.advance(24 * 60 * 60_000);
});
afterAll(() => env.close());

it('refuses the bill of today with isp.bill_not_exist', async () => {
  const today = formatBeijingDate(env.clock.now());
  expect(await downloadUrlQuery(today)).toMatchObject({ code: '40004', subCode: 'isp.bill_not_exist' });
});

it('refuses the bill of a future day with isp.bill_not_exist', async () => {
  const tomorrow = formatBeijingDate(env.clock.now() + 24 * 60 * 60_000);
  expect(await downloadUrlQuery(tomorrow)).toMatchObject({ code: '40004', subCode: 'isp.bill_not_exist' });
});

it('refuses a bill_date that is not yyyy-MM-dd with 40002 isv.invalid-parameter', async () => {
  expect(await downloadUrlQuery('2026/01/01')).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
});

it('hands out a download URL of the real shape for a finished day', async () => {
  const answer = await downloadUrlQuery(billDate);
  expect(answer.code).toBe('10000');
  expect(answer).not.toHaveProperty('billFileCode');
  const url = new URL(answer.billDownloadUrl);
  expect(url.pathname).toBe('/downloadBillFile.resource');
  expect(url.searchParams.get('downloadFileName')).toBe(`${sellerId}0156_${billDate.replaceAll('-', '')}.csv.zip`);
  expect(url.searchParams.get('fileType')).toBe('csv.zip');
});

it('serves a GBK zip whose rows and totals equal the simulated trades of that day', async () => {
  const { billDownloadUrl } = await downloadUrlQuery(billDate);
  const download = await fetch(billDownloadUrl);
  expect(download.status).toBe(200);
  const entries = await readBillZip(Buffer.from(await download.arrayBuffer()));

  const prefix = `${sellerId}0156_${billDate.replaceAll('-', '')}`;
  expect(entries.map((entry) => entry.name)).toEqual([`${prefix}_业务明细.csv`, `${prefix}_业务明细(汇总).csv`]);
  expect(entries.every((entry) => !entry.utf8Flag)).toBe(true);

  const detail = entries[0]!.text;
  expect(detail.startsWith('#支付宝业务明细查询\r\n')).toBe(true);
  const rows = billDetailRows(detail);
  expect(rows.map((row) => [row['业务类型'], row['支付宝交易号'], row['商户订单号'], row['订单金额（元）'], row['商家实收（元）'], row['退款批次号/请求号']])).toEqual([
    ['交易', payments[0]!.tradeNo, payments[0]!.outTradeNo, '88.80', '88.80', ''],
    ['交易', payments[1]!.tradeNo, payments[1]!.outTradeNo, '19.99', '19.99', ''],
    ['交易', payments[2]!.tradeNo, payments[2]!.outTradeNo, '100.00', '100.00', ''],
    ['退款', payments[0]!.tradeNo, payments[0]!.outTradeNo, '88.80', '-12.50', refund.outRequestNo],
  ]);
  for (const row of rows) expect(row['完成时间']!.startsWith(billDate)).toBe(true);
  expect(billLine(detail, '#交易合计：')).toBe('#交易合计：3笔，商家实收共208.79元，商家优惠共0.00元');
  expect(billLine(detail, '#退款合计：')).toBe('#退款合计：1笔，商家实收退款共-12.50元，商家优惠退款共0.00元');
  expect(entries[1]!.text).toContain('交易订单总笔数');
});

it('expires the download URL after 30 s of virtual time with 410', async () => {
  const { billDownloadUrl } = await downloadUrlQuery(billDate);
  await env.clock.advance(30_000);
  expect((await fetch(billDownloadUrl)).status).toBe(200);
  await env.clock.advance(1_000);
  const expired = await fetch(billDownloadUrl);
  expect(expired.status).toBe(410);
  expect(await expired.text()).toContain('expired');
});

it('refuses a download URL whose token was altered', async () => {
  const { billDownloadUrl } = await downloadUrlQuery(billDate);
  const forged = new URL(billDownloadUrl);
  forged.searchParams.set('bizDates', '20251231');
  expect((await fetch(forged)).status).toBe(404);
});

it('marks a finished day without trades EMPTY_DATA_WITH_BILL_FILE and still serves a file', async () => {
  // The day after the trading day had no business; wait until it is over too.
  const quietDay = formatBeijingDate(env.clock.now());
  await env.clock.advance(24 * 60 * 60_000);
  const answer = await downloadUrlQuery(quietDay);
  expect(answer).toMatchObject({ code: '10000', billFileCode: 'EMPTY_DATA_WITH_BILL_FILE' });
  const entries = await readBillZip(Buffer.from(await (await fetch(answer.billDownloadUrl)).arrayBuffer()));
  expect(billDetailRows(entries[0]!.text)).toEqual([]);
  expect(billLine(entries[0]!.text, '#交易合计：')).toBe('#交易合计：0笔，商家实收共0.00元，商家优惠共0.00元');
});
