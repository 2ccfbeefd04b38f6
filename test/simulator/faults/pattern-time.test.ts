// Fault-rule patterns cannot stall the simulator: they run on a linear-time engine (RE2), within limits
// on the pattern's size and the number's length. Patterns that take a backtracking engine seconds on a
// near-miss are accepted, matched with the right answer, and the simulator keeps answering meanwhile.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addFault, removeFault } from '../../support/fault-api.ts';
import { callGateway } from '../../support/signed-gateway.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
beforeAll(async () => {
  env = await startSimulator();
});
afterAll(() => env.close());

const nearMiss = `${'a'.repeat(28)}!`;

/** Times one request while another is in flight: the event loop must be free to answer it. */
async function healthDuringOneQuery(outTradeNo: string) {
  const query = callGateway(env.url, 'alipay.trade.query', { out_trade_no: outTradeNo });
  const startedMs = performance.now();
  const health = await fetch(`${env.url}/_sim/health`);
  const healthMs = performance.now() - startedMs;
  return { healthStatus: health.status, healthMs, query: await query, queryMs: performance.now() - startedMs };
}

/**
 * Three runs, each checked, and the fastest health answer: a stalling pattern stalls every run alike,
 * while a busy machine (other test files, other processes) only slows some.
 */
async function healthDuringQuery(outTradeNo: string) {
  const runs = [];
  for (let attempt = 0; attempt < 3; attempt++) runs.push(await healthDuringOneQuery(outTradeNo));
  for (const run of runs) {
    expect(run.healthStatus).toBe(200);
    expect(run.queryMs).toBeLessThan(1_000);
    expect(run.query.status).toBe(runs[0]!.query.status);
  }
  return { ...runs[0]!, healthMs: Math.min(...runs.map((run) => run.healthMs)) };
}

// Expected answers are the patterns' true meaning on 28 × "a" + "!" (unanchored search, as RegExp.test).
it.each([
  ['(a+)+', true],
  ['(a*)*b', false],
  ['([a-z]+)*$', true],
  ['(a|a)*$', true],
  ['^(a?){25}a{25}$', false],
  ['(.*a){12}', true],
])('accepts %s and matches it on a near-miss number in bounded time, health answering within 100 ms meanwhile', async (pattern, matches) => {
  const id = await addFault(env.url, { match: { api: 'alipay.trade.query', outTradeNo: pattern }, fault: { type: 'http_error', status: 503 } });
  try {
    const run = await healthDuringQuery(nearMiss);
    expect(run.healthStatus).toBe(200);
    expect(run.healthMs).toBeLessThan(100);
    expect(run.queryMs).toBeLessThan(1_000);
    // A match fires the 503; a miss lets the gateway refuse the number itself ("!" is not allowed in it).
    expect(run.query.status).toBe(matches ? 503 : 200);
    if (!matches) expect(run.query.text).toContain('isv.invalid-parameter');
  } finally {
    await removeFault(env.url, id);
  }
});

it('matches a nested repetition on the longest numbers it considers, still within 100 ms of health', async () => {
  const id = await addFault(env.url, { match: { api: 'alipay.trade.query', outTradeNo: '((a|aa)+|(a?){20}){1,10}b$' }, fault: { type: 'http_error', status: 503 } });
  try {
    const run = await healthDuringQuery(`${'a'.repeat(255)}!`);
    expect(run.healthMs).toBeLessThan(100);
    expect(run.query.status).toBe(200);
  } finally {
    await removeFault(env.url, id);
  }
});

it('never matches a number longer than 256 characters, so the match time stays bounded', async () => {
  const id = await addFault(env.url, { match: { api: 'alipay.trade.query', outTradeNo: 'a' }, fault: { type: 'http_error', status: 503 } });
  try {
    expect((await callGateway(env.url, 'alipay.trade.query', { out_trade_no: 'a'.repeat(256) })).status).toBe(503);
    expect((await callGateway(env.url, 'alipay.trade.query', { out_trade_no: 'a'.repeat(257) })).status).toBe(200);
  } finally {
    await removeFault(env.url, id);
  }
});

async function postRule(rule: unknown) {
  const response = await fetch(`${env.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  return { status: response.status, body: (await response.json()) as { code: string; message: string } };
}

it.each([
  ['a lookahead, which RE2 does not have', '^T(?=-)', /^match\.outTradeNo is not a valid regular expression: .*\(\?=.*patterns use RE2 syntax/],
  ['a backreference', '(a)\\1', /^match\.outTradeNo is not a valid regular expression: .*\\1/],
  ['a pattern that compiles to over 1,000 instructions', '(.{100}){10}', /^match\.outTradeNo "\(\.\{100\}\)\{10\}" compiles to \d+ instructions, over the limit of 1000/],
  ['a repeat count over 1,000', 'a{1001}', /^match\.outTradeNo is not a valid regular expression: .*invalid repeat count/],
  ['a pattern over 256 characters', 'a'.repeat(257), /^match\.outTradeNo is 257 characters long; a pattern may have at most 256$/],
])('refuses %s with 400 INVALID_FAULT and installs nothing', async (_label, pattern, message) => {
  const before = await (await fetch(`${env.url}/_sim/faults`)).text();
  const answer = await postRule({ match: { outTradeNo: pattern }, fault: { type: 'reset' } });
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe('INVALID_FAULT');
  expect(answer.body.message).toMatch(message);
  expect(await (await fetch(`${env.url}/_sim/faults`)).text()).toBe(before);
});
