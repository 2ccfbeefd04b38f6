// The priority of libuv's thread pool against the event loop (Linux).
//
// The simulator signs every answer and notification on the thread pool, so that the event loop, which
// every request needs, is free to parse, route and answer. On a machine whose cores are all busy (2
// cores, the pool's 4 threads signing, a load generator or a test suite beside it) the kernel shares
// each core evenly between runnable threads, and the event loop gets about a third of a core while
// four signers get the rest: requests then wait on the one thread they all need. Giving the pool's
// threads a higher nice value keeps their share of an idle core but lets the event loop run first
// when both want the same core (README "Benchmarks": about 13-17% more signed queries a second on 2
// cores). Nice values only change scheduling: no result, journal or trace depends on them.
//
// Linux keeps a nice value per thread, and `os.setPriority(tid, n)` sets one thread's. Node does not
// name the pool's threads, so they are found by what they do: one short job for each of the pool's
// threads at once, and the threads whose CPU time grew by about a job's worth are the pool's.
import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How many nice levels below the event loop `paysim up`, `sim` and `core` put the thread pool unless told otherwise (`--pool-nice`). */
export const defaultPoolNice = 5;

const poolSizeFindMax = 32;
/** The first round's job, about 10 ms of CPU (each later round's twice the last), and how many rounds at most: 10 to 160 ms. */
const firstJobMs = 10;
const findRounds = 5;

/** What `lowerThreadPoolPriority` did: the threads it set, or why it set none. */
export type PoolPriority = { readonly threads: readonly number[]; readonly nice: number } | { readonly skipped: string };

/** libuv's pool size: `UV_THREADPOOL_SIZE` when set (libuv clamps it to 1..1024), else 4. */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked, 1024) : 4;
}

/** Nanoseconds each thread of this process has run (`/proc/self/task/<tid>/schedstat`). */
function threadCpuNs(): Map<number, number> {
  const times = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      times.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times;
}

/**
 * A pbkdf2 job of about `ms` of CPU, calibrated on this thread (a few hundred microseconds of it). By
 * wall time: a thread's own schedstat lags by up to a scheduler tick while it runs. A calibration
 * inflated by a wait for a core only makes the jobs shorter: the threads that ran them are judged
 * against each other, and a round too short to tell gives no answer and the next one's jobs are longer.
 */
function jobOf(ms: number): { iterations: number; expectedNs: number } {
  const probe = 2000;
  pbkdf2Sync('paysim', 'thread-pool', 10, 32, 'sha256');
  const started = process.hrtime.bigint();
  pbkdf2Sync('paysim', 'thread-pool', probe, 32, 'sha256');
  const perIterationNs = Math.max(1, Number(process.hrtime.bigint() - started) / probe);
  const iterations = Math.max(probe, Math.round((ms * 1e6) / perIterationNs));
  return { iterations, expectedNs: iterations * perIterationNs };
}

/**
 * One round: `size` jobs at once; the `size` threads that grew most, if they ran about one job each.
 * Judged against each other, not against the calibration: two threads sharing a core's hyperthreads
 * each take up to 1.6 times the CPU the job took alone on the calibrating thread.
 */
async function oneJobEach(size: number, job: { iterations: number; expectedNs: number }): Promise<number[] | undefined> {
  const before = threadCpuNs();
  await Promise.all(Array.from({ length: size }, () => new Promise<void>((resolve, reject) => pbkdf2('paysim', 'thread-pool', job.iterations, 32, 'sha256', (error) => (error ? reject(error) : resolve())))));
  const after = threadCpuNs();
  const grown = [...after]
    .filter(([tid]) => tid !== process.pid)
    .map(([tid, ns]) => ({ tid, ns: ns - (before.get(tid) ?? ns) }))
    .sort((a, b) => b.ns - a.ns);
  const pool = grown.slice(0, size);
  const most = pool[0]?.ns ?? 0;
  const least = pool.at(-1)?.ns ?? 0;
  const next = grown[size]?.ns ?? 0;
  // No answer when the jobs did not run, when one thread ran two jobs (another of the top ran none, or
  // less than half of what the busiest ran), or when a thread outside the top was nearly as busy.
  if (pool.length < size || least < 0.25 * job.expectedNs || least < 0.5 * most || next > 0.25 * least) return undefined;
  return pool.map(({ tid }) => tid).sort((a, b) => a - b);
}

/**
 * The pool's thread ids, found by giving each of its threads one job at once: a thread that ran one
 * has about a job's CPU more, the others (V8's helpers, the main thread) far less. A round in which
 * one thread took two jobs (it finished its first before another thread woke), or a helper thread was
 * nearly as busy, gives no answer, and the next round's jobs are twice as long, which leaves the scheduler
 * time to wake every pool thread.
 */
export async function findThreadPoolThreads(size = threadPoolSize()): Promise<number[] | undefined> {
  // A kernel without per-thread CPU times (no schedstat) cannot tell the pool apart: no job is run.
  if (threadCpuNs().size === 0) throw new Error('no per-thread CPU times in /proc/self/task/*/schedstat');
  let jobMs = firstJobMs;
  for (let round = 0; round < findRounds; round++, jobMs *= 2) {
    const found = await oneJobEach(size, jobOf(jobMs));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Puts libuv's pool threads `levels` nice levels below the event loop's thread (a process started
 * with `nice -n 10` gets its pool at 15; 19 is the lowest). Linux only; elsewhere, or when the pool
 * cannot be told apart, nothing changes and the reason is returned. Raising a nice value needs no
 * privilege; calling it again sets the same values.
 */
export async function lowerThreadPoolPriority(levels: number): Promise<PoolPriority> {
  if (levels === 0) return { skipped: 'nice 0 leaves the pool as it is' };
  if (process.platform !== 'linux') return { skipped: `per-thread priorities are set on Linux only, not on ${process.platform}` };
  const size = threadPoolSize();
  // Finding the threads costs a job each; a pool sized far past the cores is there for file work anyway.
  if (size > poolSizeFindMax) return { skipped: `a pool of ${size} threads (UV_THREADPOOL_SIZE) is left as it is: at most ${poolSizeFindMax} are looked for` };
  let threads: number[] | undefined;
  try {
    threads = await findThreadPoolThreads(size);
  } catch (error) {
    return { skipped: `cannot read this process's threads: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!threads) return { skipped: 'could not tell the thread pool from the other threads' };
  const nice = Math.min(19, getPriority(process.pid) + levels);
  try {
    for (const tid of threads) setPriority(tid, nice);
  } catch (error) {
    return { skipped: `cannot set the pool threads' priority: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { threads, nice };
}
