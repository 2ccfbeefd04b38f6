// RSA signing off the event loop, on libuv's thread pool, with at most one signature in flight per
// core the event loop leaves free. RSA-2048 signing is CPU-bound: with more signing threads than
// cores (the pool has 4 threads, this machine may have 2), the threads woken to sign preempt the
// event loop inside the very call that queues the work, and a signature then costs the loop as much
// as signing it in line. Queued here instead, the loop keeps a core and the signers keep the rest.
import { availableParallelism } from 'node:os';
import { sign as cryptoSign, type KeyObject } from 'node:crypto';

/** Signatures allowed on the thread pool at once: every core but the event loop's, at least one. */
export const signaturesInFlightMax = Math.max(1, availableParallelism() - 1);

let inFlight = 0;
const waiting: Array<() => void> = [];

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else inFlight--;
}

/** `algorithm` over `data` with `privateKey`, computed on the thread pool. */
export function signOffLoop(algorithm: string, data: Buffer, privateKey: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const start = () =>
      cryptoSign(algorithm, data, privateKey, (error, signature) => {
        release();
        if (error) reject(error);
        else resolve(signature);
      });
    if (inFlight < signaturesInFlightMax) {
      inFlight++;
      start();
    } else {
      waiting.push(start);
    }
  });
}
