// Reads an object-mode stream as batches of mapped items. `for await` over such a stream costs a few
// promises per item, which for a million bill rows is more than the parsing itself; 'data' events into
// batches cost almost nothing per item and keep back-pressure (the stream pauses while batches wait).
import type { Readable } from 'node:stream';

export interface BatchOptions {
  readonly batchSize?: number;
  /** Batches waiting for the reader before the stream is paused. */
  readonly waitingMax?: number;
}

/** Batches of `map(item)` for each item (undefined drops it); an error of `map` or the stream ends the iteration. */
export async function* streamBatches<T, R>(stream: Readable, map: (item: T) => R | undefined, options: BatchOptions = {}): AsyncGenerator<R[]> {
  const batchSize = options.batchSize ?? 64;
  const waitingMax = options.waitingMax ?? 4;
  const waiting: R[][] = [];
  let batch: R[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiter = wake;
    wake = undefined;
    waiter?.();
  };
  const fail = (error: unknown) => {
    failure ??= { error };
    notify();
  };
  stream.on('data', (item: T) => {
    if (failure) return;
    let mapped: R | undefined;
    try {
      mapped = map(item);
    } catch (error) {
      fail(error);
      stream.destroy();
      return;
    }
    if (mapped !== undefined) batch.push(mapped);
    if (batch.length >= batchSize) {
      waiting.push(batch);
      batch = [];
      if (waiting.length >= waitingMax) stream.pause();
      notify();
    }
  });
  stream.once('end', () => {
    if (batch.length > 0) waiting.push(batch);
    batch = [];
    ended = true;
    notify();
  });
  stream.once('error', fail);
  try {
    for (;;) {
      if (failure) throw failure.error;
      const next = waiting.shift();
      if (next) {
        if (stream.isPaused() && waiting.length < waitingMax) stream.resume();
        yield next;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.destroy();
  }
}
