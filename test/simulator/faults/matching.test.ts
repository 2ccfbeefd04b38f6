// Which exchanges a rule fires on: match.nth picks one matching call, timesMax caps the firings, and
// match.outTradeNo (a regular expression), match.api and match.channel narrow the calls that count.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { addFault, clearFaults, faultEntries, journalMark } from '../../support/fault-api.ts';
import { buyerId, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;
let prefix: string;
/** Open trades `<prefix>A0..A2` and `<prefix>B0..B2` to query. */
const names = ['A0', 'A1', 'A2', 'B0', 'B1', 'B2'];

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
  prefix = uniqueNo('MT');
  for (const name of names) {
    await sdk.exec('alipay.trade.create', { bizContent: { outTradeNo: `${prefix}${name}`, totalAmount: '9.00', subject: 'match', buyerId } }, verified);
  }
});
afterEach(() => clearFaults(env.url));
afterAll(() => env.close());

/** Queries each trade in turn; returns the subCode each answer carried ('' when it succeeded). */
async function queryAll(order: readonly string[]): Promise<string[]> {
  const answers: string[] = [];
  for (const name of order) {
    const answer = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: `${prefix}${name}` } }, verified);
    answers.push(answer.code === '10000' ? '' : `${answer.code} ${answer.subCode}`);
  }
  return answers;
}

const systemError = { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' };
const failed = '40004 ACQ.SYSTEM_ERROR';

it('faults only the second matching call under match.nth 2', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.query', nth: 2 }, fault: systemError });
  const mark = await journalMark(env.url);
  expect(await queryAll(names)).toEqual(['', failed, '', '', '', '']);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'business_error', api: 'alipay.trade.query', detail: `${prefix}A1` })]);
});

it('counts only calls that match the other fields towards nth', async () => {
  await addFault(env.url, { match: { api: 'alipay.trade.query', outTradeNo: 'B\\d$', nth: 2 }, fault: systemError });
  expect(await queryAll(['B0', 'A0', 'A1', 'B1', 'B2'])).toEqual(['', '', '', failed, '']);
});

it('stops firing after timesMax firings', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.query' }, fault: systemError, timesMax: 2 });
  expect(await queryAll(names)).toEqual([failed, failed, '', '', '', '']);
  const listed = (await (await fetch(`${env.url}/_sim/faults`)).json()) as { rules: { id: string; seen: number; fired: number }[] };
  expect(listed.rules.find((rule) => rule.id === ruleId)).toMatchObject({ seen: 6, fired: 2 });
});

it('fires only on the trades whose out_trade_no matches match.outTradeNo', async () => {
  const ruleId = await addFault(env.url, { match: { outTradeNo: `^${prefix}B[02]$` }, fault: systemError });
  const mark = await journalMark(env.url);
  expect(await queryAll(names)).toEqual(['', '', '', failed, '', failed]);
  expect((await faultEntries(env.url, mark)).map((entry) => [entry.ruleId, entry.detail])).toEqual([
    [ruleId, `${prefix}B0`],
    [ruleId, `${prefix}B2`],
  ]);
});

/** A v3 query through sdk.curl: 'answered' or the HTTP status it failed with. */
const queryV3 = (name: string) =>
  sdk.curl('POST', '/v3/alipay/trade/query', { body: { out_trade_no: `${prefix}${name}` } }).then(
    () => 'answered',
    (error: { responseHttpStatus?: number }) => error.responseHttpStatus,
  );

it('fires only on the named api: another method is untouched, a v3 path only hits v3 calls, POST /gateway.do only v2 calls', async () => {
  await addFault(env.url, { match: { api: 'alipay.trade.close' }, fault: systemError });
  expect(await queryAll(['A0'])).toEqual(['']);
  expect(await queryV3('A0')).toBe('answered');
  await clearFaults(env.url);

  await addFault(env.url, { match: { api: 'POST /v3/alipay/trade/query' }, fault: { type: 'rate_limit' } });
  expect(await queryAll(['A0'])).toEqual(['']);
  expect(await queryV3('A0')).toBe(429);
  await clearFaults(env.url);

  await addFault(env.url, { match: { api: 'POST /gateway.do' }, fault: { type: 'rate_limit' } });
  expect(await queryAll(['A0'])).toEqual(['40005 aop.call-limited']);
  expect(await queryV3('A0')).toBe('answered');
  await clearFaults(env.url);

  await addFault(env.url, { match: { api: 'alipay.trade.query' }, fault: { type: 'rate_limit' } });
  expect(await queryAll(['A0'])).toEqual(['40005 aop.call-limited']);
  expect(await queryV3('A0')).toBe(429);
});

it('fires on alipay calls under match.channel alipay and never under match.channel wechatpay', async () => {
  const wechat = await addFault(env.url, { match: { channel: 'wechatpay' }, fault: systemError });
  const mark = await journalMark(env.url);
  expect(await queryAll(['A0', 'B0'])).toEqual(['', '']);
  const listed = (await (await fetch(`${env.url}/_sim/faults`)).json()) as { rules: { id: string; seen: number }[] };
  expect(listed.rules.find((rule) => rule.id === wechat)).toMatchObject({ seen: 0 });
  await addFault(env.url, { match: { channel: 'alipay' }, fault: systemError });
  expect(await queryAll(['A0'])).toEqual([failed]);
  expect((await faultEntries(env.url, mark)).map((entry) => entry.channel)).toEqual(['alipay']);
});
