// The thread pool's priority (lib/thread-pool.ts): on Linux exactly the pool's threads get the nice
// value, they are the threads that sign, and the event loop's thread keeps its own.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { lowerThreadPoolPriority, threadPoolSize } from '../../lib/thread-pool.ts';

const probe = fileURLToPath(new URL('./thread-pool-probe.ts', import.meta.url));

interface Probe {
  outcome: { threads: number[]; nice: number } | { skipped: string };
  pid: number;
  threads: { tid: number; nice: number; signingCpuNs: number }[];
}

async function runProbe(levels: number, poolSize: number, mainNice = 0): Promise<Probe> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe, String(levels), String(mainNice)], { env: { ...process.env, UV_THREADPOOL_SIZE: String(poolSize) } });
  return JSON.parse(stdout) as Probe;
}

it('reads the pool size as libuv does: UV_THREADPOOL_SIZE when it is a positive number, else 4', () => {
  expect(threadPoolSize({})).toBe(4);
  expect(threadPoolSize({ UV_THREADPOOL_SIZE: '2' })).toBe(2);
  expect(threadPoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(4);
  expect(threadPoolSize({ UV_THREADPOOL_SIZE: 'many' })).toBe(4);
  expect(threadPoolSize({ UV_THREADPOOL_SIZE: '5000' })).toBe(1024);
});

it.each([3, 4])('on Linux gives exactly the %i pool threads the nice value, and they are the ones that sign', async (poolSize) => {
  const result = await runProbe(7, poolSize);
  if (process.platform !== 'linux') {
    expect(result.outcome).toEqual({ skipped: expect.stringContaining('Linux only') });
    return;
  }
  expect(result.outcome).toEqual({ threads: expect.any(Array), nice: 7 });
  const set = 'threads' in result.outcome ? result.outcome.threads : [];
  expect(set).toHaveLength(poolSize);
  expect(set).not.toContain(result.pid);
  const niced = result.threads.filter((thread) => thread.nice === 7).map((thread) => thread.tid);
  expect(niced.sort()).toEqual([...set].sort());
  expect(result.threads.find((thread) => thread.tid === result.pid)?.nice).toBe(0);
  // 64 signatures on the pool: nearly all the CPU they took was on the threads that were set.
  const signing = (tids: readonly number[]) => result.threads.filter((thread) => tids.includes(thread.tid)).reduce((sum, thread) => sum + thread.signingCpuNs, 0);
  const others = result.threads.filter((thread) => thread.tid !== result.pid && !set.includes(thread.tid)).map((thread) => thread.tid);
  expect(signing(set)).toBeGreaterThan(10 * Math.max(1, signing(others)));
});

it.each([
  [4, 7, 11],
  [4, 19, 19],
])('counts from the event loop\'s own nice value (%i), %i levels below it, to at most 19', async (mainNice, levels, expected) => {
  const result = await runProbe(levels, 4, mainNice);
  if (process.platform !== 'linux') return expect(result.outcome).toEqual({ skipped: expect.stringContaining('Linux only') });
  expect(result.outcome).toEqual({ threads: expect.any(Array), nice: expected });
  expect(result.threads.filter((thread) => thread.nice === expected)).toHaveLength(4);
  expect(result.threads.find((thread) => thread.tid === result.pid)?.nice).toBe(mainNice);
});

it('leaves a pool sized far past the cores as it is, saying so', async () => {
  const result = await runProbe(7, 64);
  expect(result.outcome).toEqual({ skipped: process.platform === 'linux' ? 'a pool of 64 threads (UV_THREADPOOL_SIZE) is left as it is: at most 32 are looked for' : expect.stringContaining('Linux only') });
  expect(result.threads.every((thread) => thread.nice === 0)).toBe(true);
});

it('leaves the pool alone at nice 0', async () => {
  expect(await lowerThreadPoolPriority(0)).toEqual({ skipped: 'nice 0 leaves the pool as it is' });
  const result = await runProbe(0, 4);
  expect(result.threads.every((thread) => thread.nice === 0)).toBe(true);
});
