// Bill faults: the day's bill file disagrees with the trades the channel really made. Each test runs a
// day of business through the official SDK, installs a rule, downloads and parses the GBK zip and
// compares it with the true trades; then the rule is removed and the next day's bill is true again.
// A bill fault belongs to the day's file, decided at its first download, so that day stays faulty.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { formatBeijingDate } from '../../../lib/time-format.ts';
import { billDetailRows, readBillZip } from '../../support/bill-zip.ts';
import { addFault, clearFaults, faultEntries, journalMark, outcome, removeFault } from '../../support/fault-api.ts';
import { barcodeOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
const hourMs = 3_600_000;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
});
afterEach(() => clearFaults(env.url));
afterAll(() => env.close());

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, verified);

interface Day {
  readonly billDate: string;
  readonly outTradeNos: readonly string[];
}

/** Moves the clock to the next 09:00 Beijing time, so that a day's business never spills past midnight. */
async function nextMorning(): Promise<void> {
  const dayMs = 24 * hourMs;
  const msOfDay = (env.clock.now() + 8 * hourMs) % dayMs;
  await env.clock.advance((9 * hourMs - msOfDay + dayMs) % dayMs);
}

/** From 09:00, three payments an hour apart, the first partly refunded (12.50); then the Beijing day ends. */
async function dayOfBusiness(): Promise<Day> {
  await nextMorning();
  const billDate = formatBeijingDate(env.clock.now());
  const outTradeNos: string[] = [];
  for (const totalAmount of ['88.80', '19.99', '100.00']) {
    const outTradeNo = uniqueNo('BF');
    expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo, totalAmount))).toMatchObject({ code: '10000' });
    outTradeNos.push(outTradeNo);
    await env.clock.advance(hourMs);
  }
  await exec('alipay.trade.refund', { outTradeNo: outTradeNos[0], refundAmount: '12.50', outRequestNo: 'BF-R1' });
  await env.clock.advance(env.sim.engine.config.refundDelayMs);
  await env.clock.advance(24 * hourMs);
  expect(formatBeijingDate(env.clock.now())).not.toBe(billDate);
  return { billDate, outTradeNos };
}

/** [业务类型, 商户订单号, 订单金额, 商家实收, 退款批次号] of the true bill of a day. */
function trueRows(day: Day): string[][] {
  const [first, second, third] = day.outTradeNos;
  return [
    ['交易', first!, '88.80', '88.80', ''],
    ['交易', second!, '19.99', '19.99', ''],
    ['交易', third!, '100.00', '100.00', ''],
    ['退款', first!, '88.80', '-12.50', 'BF-R1'],
  ];
}

async function downloadZip(billDate: string): Promise<Buffer> {
  const answer = await exec('alipay.data.dataservice.bill.downloadurl.query', { billType: 'trade', billDate });
  expect(answer).toMatchObject({ code: '10000' });
  const download = await fetch(answer.billDownloadUrl);
  expect(download.status).toBe(200);
  return Buffer.from(await download.arrayBuffer());
}

async function billRows(billDate: string): Promise<string[][]> {
  const [detail] = await readBillZip(await downloadZip(billDate));
  return billDetailRows(detail!.text).map((row) => [row['业务类型']!, row['商户订单号']!, row['订单金额（元）']!, row['商家实收（元）']!, row['退款批次号/请求号']!]);
}

/** Removes the rule and shows that the next day's bill equals the true trades again. */
async function nextDayIsTrue(ruleId: string): Promise<void> {
  await removeFault(env.url, ruleId);
  const day = await dayOfBusiness();
  expect(await billRows(day.billDate)).toEqual(trueRows(day));
}

it('leaves the matched payment out of the bill under bill_missing_row', async () => {
  const day = await dayOfBusiness();
  const missing = day.outTradeNos[1]!;
  const ruleId = await addFault(env.url, { match: { api: 'bill', outTradeNo: `^${missing}$` }, fault: { type: 'bill_missing_row' } });
  const mark = await journalMark(env.url);
  const rows = await billRows(day.billDate);
  expect(rows).toEqual(trueRows(day).filter((row) => row[1] !== missing));
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_missing_row', api: 'bill', detail: missing })]);
  // The day's file keeps its fault: a second download, even after the rule is gone, shows the same rows.
  await removeFault(env.url, ruleId);
  expect(await billRows(day.billDate)).toEqual(rows);
  const again = await addFault(env.url, { match: { api: 'bill', outTradeNo: '^NEVER$' }, fault: { type: 'bill_missing_row' } });
  await nextDayIsTrue(again);
});

it('adds a payment the merchant never made under bill_extra_row', async () => {
  const day = await dayOfBusiness();
  const ruleId = await addFault(env.url, { match: { api: 'bill' }, fault: { type: 'bill_extra_row' } });
  const mark = await journalMark(env.url);
  const rows = await billRows(day.billDate);
  expect(rows.slice(0, 4)).toEqual(trueRows(day));
  expect(rows).toHaveLength(5);
  expect(rows[4]![0]).toBe('交易');
  expect(rows[4]![1]).toMatch(/^UNKNOWN\d{10}$/);
  expect(rows[4]![3]).toBe(rows[4]![2]);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_extra_row', api: 'bill' })]);
  await nextDayIsTrue(ruleId);
});

it('shows another amount for the matched payment under bill_amount_mismatch', async () => {
  const day = await dayOfBusiness();
  const changed = day.outTradeNos[2]!;
  const ruleId = await addFault(env.url, { match: { api: 'bill', outTradeNo: `^${changed}$` }, fault: { type: 'bill_amount_mismatch', amount: '1.00' } });
  const mark = await journalMark(env.url);
  expect(await billRows(day.billDate)).toEqual(trueRows(day).map((row) => (row[1] === changed ? ['交易', changed, '1.00', '1.00', ''] : row)));
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_amount_mismatch', api: 'bill', detail: changed })]);
  await nextDayIsTrue(ruleId);
});

it('shows the matched payment as a refund under bill_status_mismatch', async () => {
  const day = await dayOfBusiness();
  const flipped = day.outTradeNos[1]!;
  const ruleId = await addFault(env.url, { match: { api: 'bill', outTradeNo: `^${flipped}$` }, fault: { type: 'bill_status_mismatch' } });
  const mark = await journalMark(env.url);
  expect(await billRows(day.billDate)).toEqual(trueRows(day).map((row) => (row[1] === flipped ? ['退款', flipped, '19.99', '-19.99', flipped] : row)));
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_status_mismatch', api: 'bill' })]);
  await nextDayIsTrue(ruleId);
});

it('lists the matched payment twice under bill_duplicate_row', async () => {
  const day = await dayOfBusiness();
  const doubled = day.outTradeNos[2]!;
  const ruleId = await addFault(env.url, { match: { api: 'bill', outTradeNo: `^${doubled}$` }, fault: { type: 'bill_duplicate_row' } });
  const mark = await journalMark(env.url);
  const [first, second, third, refund] = trueRows(day);
  expect(await billRows(day.billDate)).toEqual([first, second, third, third, refund]);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_duplicate_row', api: 'bill', detail: doubled })]);
  await nextDayIsTrue(ruleId);
});

it('answers isp.bill_not_exist for a finished day under bill_not_ready, and the URL once the rule is removed', async () => {
  const day = await dayOfBusiness();
  const ruleId = await addFault(env.url, { match: { api: 'alipay.data.dataservice.bill.downloadurl.query' }, fault: { type: 'bill_not_ready' } });
  const mark = await journalMark(env.url);
  expect(await exec('alipay.data.dataservice.bill.downloadurl.query', { billType: 'trade', billDate: day.billDate })).toMatchObject({ code: '40004', subCode: 'isp.bill_not_exist' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_not_ready', api: 'bill' })]);
  await removeFault(env.url, ruleId);
  expect(await billRows(day.billDate)).toEqual(trueRows(day));
});

it('serves a file that no longer unzips under bill_corrupt', async () => {
  const day = await dayOfBusiness();
  const ruleId = await addFault(env.url, { match: { api: 'bill' }, fault: { type: 'bill_corrupt' } });
  const mark = await journalMark(env.url);
  const zip = await downloadZip(day.billDate);
  expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
  const read = await outcome(readBillZip(zip));
  expect(read.ok).toBe(false);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'bill_corrupt', api: 'bill' })]);
  await nextDayIsTrue(ruleId);
});
