// The rules API refuses what it cannot decode, loudly and without side effects: every malformed rule
// gets a 400 whose message names the field and what it accepts, and the installed rules stay as they
// were. A malformed per-request fault header is refused the same way before anything is processed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addFault, journalMark, removeFault } from '../../support/fault-api.ts';
import { uniqueNo } from '../../support/orders.ts';
import { callGateway } from '../../support/signed-gateway.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
/** A rule that stays installed, so "unchanged" means something. */
let keptRuleId: string;

beforeAll(async () => {
  env = await startSimulator();
  keptRuleId = await addFault(env.url, { match: { api: 'alipay.trade.query', outTradeNo: '^KEEP' }, fault: { type: 'http_error', status: 503 }, timesMax: 2 });
});
afterAll(() => env.close());

const faultsNow = async () => (await fetch(`${env.url}/_sim/faults`)).text();

async function postRaw(body: string): Promise<{ status: number; body: { code: string; message: string } }> {
  const response = await fetch(`${env.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: await response.json() };
}

it.each([
  ['an unknown fault type', { fault: { type: 'explode' } }, /^fault\.type "explode" is not a fault; one of: delay, hang, reset, .*abandon$/],
  ['an unknown field in match', { match: { api: 'notify', order: 'T1' }, fault: { type: 'drop' } }, /^match: unknown field "order" \(allowed: channel, api, outTradeNo, outRequestNo, notifyKind, nth, probability\)$/],
  ['an unknown field in fault', { fault: { type: 'reset', status: 502 } }, /^fault "reset": unknown field "status" \(allowed: type\)$/],
  ['an unknown field in the rule', { fault: { type: 'reset' }, probability: 0.5 }, /^rule: unknown field "probability" \(allowed: match, fault, timesMax\)$/],
  ['probability 0', { match: { probability: 0 }, fault: { type: 'reset' } }, /^match\.probability must be a number in \(0, 1\], got 0$/],
  ['probability 1.5', { match: { probability: 1.5 }, fault: { type: 'reset' } }, /^match\.probability must be a number in \(0, 1\], got 1\.5$/],
  ['probability "x"', { match: { probability: 'x' }, fault: { type: 'reset' } }, /^match\.probability must be a number in \(0, 1\], got "x"$/],
  ['a negative delay', { fault: { type: 'delay', ms: -5 } }, /^fault\.ms must be an integer from 0 to 86400000, got -5$/],
  ['a bad outTradeNo regular expression', { match: { outTradeNo: 'T-(00' }, fault: { type: 'reset' } }, /^match\.outTradeNo is not a valid regular expression: .*T-\(00/],
  ['http_error status 200', { fault: { type: 'http_error', status: 200 } }, /^fault\.status must be an integer from 400 to 599, got 200$/],
  ['http_error without status', { fault: { type: 'http_error' } }, /^fault\.status must be an integer from 400 to 599, got undefined$/],
  ['a missing fault', { match: { api: 'notify' } }, /^rule: "fault" is required$/],
  ['nth 0', { match: { nth: 0 }, fault: { type: 'reset' } }, /^match\.nth must be an integer from 1 up, got 0$/],
  ['timesMax 0', { fault: { type: 'reset' }, timesMax: 0 }, /^timesMax must be an integer from 1 up, got 0$/],
  ['an unknown channel', { match: { channel: 'paypal' }, fault: { type: 'reset' } }, /^match\.channel must be alipay or wechatpay, got "paypal"$/],
  ['a delay with both ms and distribution', { fault: { type: 'delay', ms: 5, distribution: { kind: 'uniform', minMs: 1, maxMs: 2 } } }, /^fault "delay" takes either "ms" or "distribution"$/],
  ['a uniform delay with maxMs below minMs', { fault: { type: 'delay', distribution: { kind: 'uniform', minMs: 50, maxMs: 10 } } }, /^fault\.distribution\.maxMs must be an integer from 50 to 86400000, got 10$/],
  ['a tamper identity with an empty appId', { fault: { type: 'tamper_identity', appId: '' } }, /^fault\.appId must be a non-empty string, got ""$/],
  ['a tamper amount that is not yuan', { fault: { type: 'tamper_amount', amount: '1.234' } }, /^fault\.amount must be a yuan amount such as "88.80", got "1.234"$/],
  ['a rule that is an array', [{ fault: { type: 'reset' } }], /^a fault rule must be an object \{match, fault, timesMax\?\}$/],
  ['a misspelt method', { match: { api: 'alipay.trade.qeury' }, fault: { type: 'reset' } }, /^match\.api "alipay\.trade\.qeury" is not an exchange paysim decides faults for \(did you mean alipay\.trade\.query\?\); it takes a layer \(notify, refund, bill, buyer\), a method such as alipay\.trade\.query, or a path such as POST \/v3\/alipay\/trade\/query$/],
  ['a misspelt v3 path', { match: { api: 'POST /v3/alipay/trade/refnd' }, fault: { type: 'reset' } }, /^match\.api "POST \/v3\/alipay\/trade\/refnd" is not an exchange paysim decides faults for \(did you mean POST \/v3\/alipay\/trade\/refund\?\)/],
  ['an api of another channel', { match: { channel: 'alipay', api: 'POST /v3/pay/transactions/native' }, fault: { type: 'reset' } }, /^match\.api "POST \/v3\/pay\/transactions\/native" is not an exchange paysim decides faults for; it takes a layer/],
  ['an Alipay method on the wechatpay channel', { match: { channel: 'wechatpay', api: 'alipay.trade.query' }, fault: { type: 'reset' } }, /^match\.api "alipay\.trade\.query" is not an exchange paysim decides faults for; it takes a layer \(notify, refund, bill, buyer\), a method or path of wechatpay such as POST \/v3\/pay\/transactions\/native/],
  ['a misspelt WeChat Pay path', { match: { channel: 'wechatpay', api: 'POST /v3/pay/transactions/nativ' }, fault: { type: 'reset' } }, /^match\.api "POST \/v3\/pay\/transactions\/nativ" is not an exchange paysim decides faults for \(did you mean POST \/v3\/pay\/transactions\/native/],
  ['a layer api that a gateway fault never meets', { match: { api: 'notify' }, fault: { type: 'http_error', status: 502 } }, /^match\.api "notify" never meets "http_error", which acts on gateway calls \(a method or path\): name such an api, or leave match\.api out$/],
  ['a layer api of another layer', { match: { api: 'bill' }, fault: { type: 'refund_fail' } }, /^match\.api "bill" never meets "refund_fail", which acts on refunds \("refund"\)/],
  ['a gateway api on a notification fault', { match: { api: 'alipay.trade.pay' }, fault: { type: 'drop' } }, /^match\.api "alipay\.trade\.pay" is a gateway call, but "drop" acts on notifications \("notify"\): use "api": "notify", or leave it out$/],
  ['notifyKind on a gateway fault', { match: { notifyKind: 'trade_paid' }, fault: { type: 'reset' } }, /^match\.notifyKind only narrows notification faults; "reset" acts on gateway calls \(a method or path\): remove notifyKind$/],
  ['notifyKind refund_succeeded on early_notify', { match: { notifyKind: 'refund_succeeded' }, fault: { type: 'early_notify' } }, /^match\.notifyKind "refund_succeeded" never meets "early_notify", which changes only the trade_paid notification$/],
  ['a lognormal median over a day', { fault: { type: 'delay', distribution: { kind: 'lognormal', medianMs: 86_400_001, sigma: 0.5 } } }, /^fault\.distribution\.medianMs must be a number above 0, at most 86400000, got 86400001$/],
  ['a lognormal sigma over 10', { fault: { type: 'delay', distribution: { kind: 'lognormal', medianMs: 200, sigma: 10.5 } } }, /^fault\.distribution\.sigma must be a number above 0, at most 10, got 10\.5$/],
  ['a numeric business_error code without subCode', { fault: { type: 'business_error', code: '40004' } }, /^fault "business_error" with the numeric code "40004" needs "subCode" \(e\.g\. \{"code":"40004","subCode":"ACQ\.SYSTEM_ERROR"\}\), or give the reason alone as "code"$/],
])('refuses %s with 400 INVALID_FAULT naming the problem, and changes no rule', async (_label, rule, message) => {
  const before = await faultsNow();
  const answer = await postRaw(JSON.stringify(rule));
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe('INVALID_FAULT');
  expect(answer.body.message).toMatch(message);
  expect(await faultsNow()).toBe(before);
});

it.each([
  ['a v2 method', { match: { api: 'alipay.trade.query' }, fault: { type: 'reset' } }],
  ['every v2 call', { match: { api: 'POST /gateway.do' }, fault: { type: 'reset' } }],
  ['a v3 path', { match: { api: 'POST /v3/alipay/trade/fastpay/refund/query' }, fault: { type: 'reset' } }],
  ['the v3 bill query', { match: { api: 'GET /v3/alipay/data/dataservice/bill/downloadurl/query' }, fault: { type: 'bill_not_ready' } }],
  ['the refund method on a refund fault', { match: { api: 'alipay.trade.refund' }, fault: { type: 'refund_stuck', ms: 1_000 } }],
  ['notify on a trade-timeline fault', { match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'early_notify' } }],
  ['a numeric business_error code with subCode', { fault: { type: 'business_error', code: '40004', subCode: 'ACQ.SYSTEM_ERROR' } }],
  ['a lognormal delay at its bounds', { fault: { type: 'delay', distribution: { kind: 'lognormal', medianMs: 86_400_000, sigma: 10 } } }],
  ['patterns that repeat only once or only literals', { match: { outTradeNo: '^T-\\d+(-\\d+)?$|[(a+)+]|\\(a+\\)+', outRequestNo: '^(R\\d+|X)-(\\d{3})$' }, fault: { type: 'reset' } }],
  ['nested repetitions, which the linear-time engine matches safely', { match: { outTradeNo: '^(a+)+$|((ab)*c)+', outRequestNo: '(R\\d{2,})*$' }, fault: { type: 'refund_fail' } }],
])('accepts a rule with %s', async (_label, rule) => {
  const id = await addFault(env.url, rule);
  await removeFault(env.url, id);
});

it('refuses a body that is not JSON with 400 INVALID_JSON, and changes no rule', async () => {
  const before = await faultsNow();
  const answer = await postRaw('{"fault": {"type": "reset"');
  expect(answer).toEqual({ status: 400, body: { code: 'INVALID_JSON', message: 'the request body is not valid JSON: send one rule {match, fault, timesMax?}' } });
  expect(await faultsNow()).toBe(before);
});

it('lists an accepted rule with its id, source and counters, and removes it by id', async () => {
  const id = await addFault(env.url, { match: { channel: 'alipay', api: 'alipay.trade.refund', nth: 2 }, fault: { type: 'http_error', status: 502 }, timesMax: 1 });
  const listed = (await (await fetch(`${env.url}/_sim/faults`)).json()) as { magicValues: boolean; rules: { id: string }[] };
  expect(listed.magicValues).toBe(true);
  expect(listed.rules.find((rule) => rule.id === id)).toEqual({
    id, source: 'api', seen: 0, fired: 0, match: { channel: 'alipay', api: 'alipay.trade.refund', nth: 2 }, fault: { type: 'http_error', status: 502 }, timesMax: 1,
  });
  const removed = await fetch(`${env.url}/_sim/faults/${id}`, { method: 'DELETE' });
  expect(await removed.json()).toEqual({ removed: id });
  const after = (await (await fetch(`${env.url}/_sim/faults`)).json()) as { rules: { id: string }[] };
  expect(after.rules.map((rule) => rule.id)).toEqual([keptRuleId]);
});

it('answers DELETE of an unknown rule id with 404 NOT_FOUND, and changes no rule', async () => {
  const before = await faultsNow();
  const response = await fetch(`${env.url}/_sim/faults/rule-999`, { method: 'DELETE' });
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ code: 'NOT_FOUND', message: 'no fault rule "rule-999"; GET /_sim/faults lists them' });
  expect(await faultsNow()).toBe(before);
});

it('refuses PUT /_sim/faults/magic without a boolean "enabled"', async () => {
  const response = await fetch(`${env.url}/_sim/faults/magic`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":"no"}' });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ code: 'INVALID_REQUEST', message: '"enabled" must be true or false' });
});

it.each([
  ['not JSON', '{type: http_error}', /^x-paysim-fault must be a JSON fault such as \{"type":"http_error","status":502\}$/],
  ['an unknown fault type', '{"type":"explode"}', /^x-paysim-fault: fault\.type "explode" is not a fault/],
  ['an http_error without status', '{"type":"http_error"}', /^x-paysim-fault: fault\.status must be an integer from 400 to 599/],
  ['a fault that does not act on a gateway call', '{"type":"drop"}', /^x-paysim-fault: "drop" does not act on a gateway call; the header takes one of delay, hang, reset, http_error, malformed_body, response_lost, bad_signature, business_error, rate_limit\. Install other faults with POST \/_sim\/faults$/],
])('refuses an x-paysim-fault header that is %s with 400 INVALID_FAULT_HEADER and processes nothing', async (_label, header, message) => {
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('BADHDR');
  const answer = await callGateway(env.url, 'alipay.trade.precreate', { out_trade_no: outTradeNo, total_amount: '1.00', subject: 'header' }, { headers: { 'x-paysim-fault': header } });
  expect(answer.status).toBe(400);
  const body = JSON.parse(answer.text) as { code: string; message: string };
  expect(body.code).toBe('INVALID_FAULT_HEADER');
  expect(body.message).toMatch(message);
  expect((await fetch(`${env.url}/_sim/trades/alipay/${outTradeNo}`)).status).toBe(404);
  expect(await journalMark(env.url)).toBe(mark);
});
