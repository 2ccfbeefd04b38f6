// The journal is bounded twice, in entries and in total size, so a run of large exchanges cannot use
// gigabytes, and GET /_sim/journal answers at most a page (the last 1,000 by default, 10,000 at most)
// that a reader walks forward with sinceSeq.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { EventBus } from '../../lib/events.ts';
import type { SimEvent } from '../../simulator/engine/events.ts';
import { Journal, journalBytesMaxDefault } from '../../simulator/engine/journal.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

const kib = 1024;

function exchange(atMs: number, bodyChars: number): SimEvent {
  const body = 'x'.repeat(bodyChars);
  return {
    type: 'http.exchange', atMs, channel: 'alipay', api: 'alipay.trade.query',
    exchange: { method: 'POST', path: '/gateway.do', requestHeaders: {}, requestBody: body, status: 200, responseHeaders: {}, responseBody: body },
  };
}

it('evicts the oldest entries once the total size passes the byte budget, keeping the newest', () => {
  const events = new EventBus<SimEvent>();
  const journal = new Journal(events, 10_000, 1024 * kib);
  for (let index = 0; index < 100; index++) events.emit(exchange(index, 32 * kib));
  expect(journal.sizeBytes).toBeLessThanOrEqual(1024 * kib);
  expect(JSON.stringify(journal.list()).length).toBeLessThanOrEqual(1024 * kib);
  expect(journal.size).toBeGreaterThan(10);
  expect(journal.size).toBeLessThan(100);
  const seqs = journal.list().map((entry) => entry.seq);
  expect(seqs.at(-1)).toBe(100);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_unused, index) => 101 - seqs.length + index));
});

it('holds at most 64 MiB by default however many 64 KiB bodies arrive', () => {
  const events = new EventBus<SimEvent>();
  const journal = new Journal(events, 10_000);
  // Each entry clips to two 64 KiB bodies: 1,000 of them would be about 128 MiB.
  for (let index = 0; index < 1_000; index++) events.emit(exchange(index, 100 * kib));
  expect(journalBytesMaxDefault).toBe(64 * kib * kib);
  expect(journal.sizeBytes).toBeLessThanOrEqual(64 * kib * kib);
  expect(journal.size).toBeLessThan(1_000);
  expect(journal.list().at(-1)!.seq).toBe(1_000);
});

it('still bounds the journal in entries, and forgets its size on clear', () => {
  const events = new EventBus<SimEvent>();
  const journal = new Journal(events, 50);
  for (let index = 0; index < 3_000; index++) events.emit({ type: 'sim.reset', atMs: index });
  expect(journal.list().map((entry) => entry.seq)).toEqual(Array.from({ length: 50 }, (_unused, index) => 2_951 + index));
  journal.clear();
  expect([journal.size, journal.sizeBytes, journal.list()]).toEqual([0, 0, []]);
});

let env: RunningSimulator;
beforeAll(async () => {
  env = await startSimulator();
  for (let index = 0; index < 1_500; index++) env.sim.engine.events.emit({ type: 'fault.injected', atMs: 0, ruleId: 'test', faultType: 'drop', api: 'notify', detail: `E${index}` });
});
afterAll(() => env.close());

const journalOf = async (query: string) => {
  const response = await fetch(`${env.url}/_sim/journal${query}`);
  return { status: response.status, omitted: response.headers.get('x-paysim-journal-omitted'), body: (await response.json()) as { seq: number; detail?: string; code?: string; message?: string }[] };
};

it('answers GET /_sim/journal without limit with the last 1,000 entries and says how many it left out', async () => {
  const all = env.sim.engine.journal.list({ type: 'fault.injected' });
  const answer = await journalOf('?type=fault.injected');
  expect(answer.status).toBe(200);
  expect(answer.body).toHaveLength(1_000);
  expect(answer.body.at(-1)!.detail).toBe('E1499');
  expect(answer.body[0]!.seq).toBe(all.at(-1_000)!.seq);
  expect(answer.omitted).toBe(String(all.length - 1_000));
});

it('pages forward from sinceSeq, the oldest entries after it first, until nothing is left out', async () => {
  const first = await journalOf('?type=fault.injected&sinceSeq=0&limit=600');
  expect(first.body.map((entry) => entry.detail)).toEqual(Array.from({ length: 600 }, (_unused, index) => `E${index}`));
  expect(first.omitted).toBe('900');
  const rest = await journalOf(`?type=fault.injected&sinceSeq=${first.body.at(-1)!.seq}&limit=10000`);
  expect(rest.body.map((entry) => entry.detail)).toEqual(Array.from({ length: 900 }, (_unused, index) => `E${600 + index}`));
  expect(rest.omitted).toBeNull();
});

it('refuses a limit above 10,000 with 400 INVALID_REQUEST', async () => {
  const answer = await fetch(`${env.url}/_sim/journal?limit=10001`);
  expect(answer.status).toBe(400);
  expect(await answer.json()).toEqual({ code: 'INVALID_REQUEST', message: '"sinceSeq" and "limit" must be integers (limit from 1 to 10000; default 1000)' });
});

it('hands every new entry to its subscribers, and one that throws harms neither the ring nor the others', () => {
  const events = new EventBus<SimEvent>();
  const journal = new Journal(events, 3);
  const seen: number[] = [];
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  try {
    journal.subscribe(() => {
      throw new Error('a broken stream');
    });
    const unsubscribe = journal.subscribe((entry) => seen.push(entry.seq));
    for (let index = 0; index < 5; index++) events.emit({ type: 'sim.reset', atMs: index });
    unsubscribe();
    events.emit({ type: 'sim.reset', atMs: 9 });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(journal.list().map((entry) => entry.seq)).toEqual([4, 5, 6]);
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual(Array.from({ length: 6 }, (_, index) => `journal subscriber failed on entry ${index + 1}: a broken stream`));
  } finally {
    warn.mockRestore();
  }
});
