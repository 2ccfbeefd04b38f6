// The core reads its state from memory, where a commit is visible before it is on disk. An answer
// derived from that state must wait until it is durable: otherwise a crash can take back what a
// client was told (an order it saw, "already paid", "already closed", a refund replay).
import { afterEach, expect, it } from 'vitest';
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { MemoryStore, type Mutation, type Store } from '../../../lib/store/index.ts';
import { createCore, type Core } from '../../../core/app.ts';

/** A store whose writes become durable only when the test says so (reads see them at once, as in the file store). */
class GatedStore implements Store {
  private readonly inner = new MemoryStore();
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  get<T>(collection: string, key: string): T | undefined {
    return this.inner.get<T>(collection, key);
  }

  all<T>(collection: string): T[] {
    return this.inner.all<T>(collection);
  }

  count(collection: string): number {
    return this.inner.count(collection);
  }

  async commit(mutations: readonly Mutation[]): Promise<void> {
    const gate = this.gate;
    await this.inner.commit(mutations);
    await gate;
  }

  durable(): Promise<void> {
    return this.gate;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

async function start(store: GatedStore): Promise<Core> {
  const core = await createCore({ clock: new VirtualClock(virtualEpochMs), store, channels: new Map(), config: { port: 0, checksIntervalMs: 0 } });
  cores.push(core);
  await core.listen();
  return core;
}

const post = (core: Core, path: string, body: unknown) =>
  fetch(`${core.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Whether `answer` is still unanswered after a while (real time: the HTTP server is real). */
async function stillWaiting(answer: Promise<Response>): Promise<boolean> {
  const timeout = new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 150));
  return (await Promise.race([answer.then(() => 'answered' as const), timeout])) === 'waiting';
}

it('does not show an order, or refuse to pay it as paid, until the order is durable', async () => {
  const store = new GatedStore();
  const core = await start(store);
  store.hold();
  const creating = post(core, '/api/orders', { outOrderNo: 'D-1', amount: '0.00', subject: 'free' });
  await expect.poll(() => core.context.records.orderNoOf('D-1')).toBeDefined();
  const orderNo = core.context.records.orderNoOf('D-1')!;

  const reading = fetch(`${core.url}/api/orders/${orderNo}`);
  const paying = post(core, `/api/orders/${orderNo}/pay`, { method: 'alipay.qr' });
  const replaying = post(core, '/api/orders', { outOrderNo: 'D-1', amount: '0.00', subject: 'free' });
  expect(await stillWaiting(reading)).toBe(true);
  expect(await stillWaiting(paying)).toBe(true);
  expect(await stillWaiting(replaying)).toBe(true);

  store.release();
  expect((await creating).status).toBe(201);
  expect(((await (await reading).json()) as { status: string }).status).toBe('PAID');
  expect(((await (await paying).json()) as { code: string }).code).toBe('ORDER_NOT_PAYABLE');
  expect((await replaying).status).toBe(200);
});

it('does not refuse to close an order as paid until it is durable', async () => {
  const store = new GatedStore();
  const core = await start(store);
  store.hold();
  const creating = post(core, '/api/orders', { outOrderNo: 'D-2', amount: '0.00', subject: 'free' });
  await expect.poll(() => core.context.records.orderNoOf('D-2')).toBeDefined();
  const closing = post(core, `/api/orders/${core.context.records.orderNoOf('D-2')}/close`, {});
  expect(await stillWaiting(closing)).toBe(true);
  store.release();
  expect((await creating).status).toBe(201);
  expect(((await (await closing).json()) as { code: string }).code).toBe('ORDER_NOT_CLOSABLE');
});
