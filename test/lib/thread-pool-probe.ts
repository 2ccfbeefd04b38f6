// Run in a child process by thread-pool.test.ts (a process of its own: the priorities it sets are its
// threads' for good): `probe LEVELS [MAIN_NICE]`. Lowers the pool's priority LEVELS below the event loop's, then signs on the pool and prints, as one JSON line,
// what it set and each thread's nice value and CPU time gained while signing.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { lowerThreadPoolPriority } from '../../lib/thread-pool.ts';

const levels = Number(process.argv[2]);
// As if started with `nice -n N`: the event loop's own thread at N (on Linux, 0 names the calling thread).
if (process.platform === 'linux') setPriority(0, Number(process.argv[3] ?? 0));
/** Per thread: [nice (field 19 of stat), CPU ns (schedstat)]. */
function threads(): Map<number, { nice: number; cpuNs: number }> {
  const result = new Map<number, { nice: number; cpuNs: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    result.set(Number(tid), { nice: Number(fields[16]), cpuNs: Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) });
  }
  return result;
}

const outcome = await lowerThreadPoolPriority(levels);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const before = threads();
await Promise.all(Array.from({ length: 64 }, (_, index) => new Promise((resolve, reject) => sign('sha256', Buffer.from(`message ${index}`), privateKey, (error, signature) => (error ? reject(error) : resolve(signature))))));
const after = threads();
process.stdout.write(
  `${JSON.stringify({
    outcome,
    pid: process.pid,
    threads: [...after].map(([tid, { nice: threadNice, cpuNs }]) => ({ tid, nice: threadNice, signingCpuNs: cpuNs - (before.get(tid)?.cpuNs ?? cpuNs) })),
  })}\n`,
);
