// POST /_sim/clock/advance is bounded: an advance past the dates the simulator can write used to
// answer 500 and leave /_sim/health, /_sim/clock and every trade number broken for good.
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

const running: RunningSimulator[] = [];
afterEach(async () => {
  for (const env of running.splice(0)) await env.close();
});

async function start(startMs?: number): Promise<RunningSimulator> {
  const env = await startSimulator(startMs !== undefined ? { startMs } : {});
  running.push(env);
  return env;
}

async function call(env: RunningSimulator, method: string, path: string, body?: string) {
  const response = await fetch(`${env.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const tenYearsMs = 10 * 365 * 24 * 60 * 60 * 1000;

it('refuses an advance of more than ten years with 400 INVALID_REQUEST naming the limit, and keeps working', async () => {
  const env = await start();
  const before = env.clock.now();
  const refused = await call(env, 'POST', '/_sim/clock/advance', '{"ms":9007199254740991}');
  expect(refused).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', message: expect.stringContaining(`at most ${tenYearsMs} (10 years)`) } });
  expect(await call(env, 'POST', '/_sim/clock/advance', JSON.stringify({ ms: tenYearsMs + 1 }))).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  expect(env.clock.now()).toBe(before);
  expect(await call(env, 'GET', '/_sim/health')).toMatchObject({ status: 200, body: { status: 'ok', nowMs: before } });
  expect(await call(env, 'GET', '/_sim/clock')).toMatchObject({ status: 200, body: { kind: 'virtual', nowMs: before } });
});

it('advances exactly ten years', async () => {
  const env = await start();
  const before = env.clock.now();
  expect(await call(env, 'POST', '/_sim/clock/advance', JSON.stringify({ ms: tenYearsMs }))).toMatchObject({ status: 200, body: { nowMs: before + tenYearsMs } });
});

it('refuses an advance past the end of the year 9999, naming that limit', async () => {
  const env = await start(Date.UTC(9999, 0, 1));
  const refused = await call(env, 'POST', '/_sim/clock/advance', JSON.stringify({ ms: 366 * 24 * 60 * 60 * 1000 }));
  expect(refused).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', message: expect.stringContaining('9999-12-31') } });
  expect(env.clock.now()).toBe(Date.UTC(9999, 0, 1));
  expect(await call(env, 'POST', '/_sim/clock/advance', JSON.stringify({ ms: 24 * 60 * 60 * 1000 }))).toMatchObject({ status: 200 });
});
