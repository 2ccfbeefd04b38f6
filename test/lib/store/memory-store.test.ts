import { describe, expect, it } from 'vitest';
import { MemoryStore, openStore, put, remove } from '../../../lib/store/index.ts';

describe('MemoryStore', () => {
  it('applies a commit to reads in the same tick, before its promise resolves', async () => {
    const store = new MemoryStore();
    const committed = store.commit([put('orders', 'o1', { amountFen: 100 }), put('payments', 'p1', { orderNo: 'o1' })]);
    expect(store.get('orders', 'o1')).toEqual({ amountFen: 100 });
    expect(store.count('payments')).toBe(1);
    await committed;
  });

  it('keeps first-insertion order when a record is replaced, and moves it last when deleted and put again', async () => {
    const store = new MemoryStore();
    await store.commit([put('orders', 'a', 1), put('orders', 'b', 2), put('orders', 'c', 3)]);
    await store.commit([put('orders', 'a', 10)]);
    expect(store.all('orders')).toEqual([10, 2, 3]);
    await store.commit([remove('orders', 'b'), put('orders', 'b', 20)]);
    expect(store.all('orders')).toEqual([10, 3, 20]);
  });

  it('refuses commits after close', async () => {
    const store = new MemoryStore();
    await store.close();
    await expect(store.commit([put('orders', 'o1', {})])).rejects.toThrow(/closed/);
  });

  it('is what openStore returns for { memory: true }', async () => {
    const store = await openStore({ memory: true });
    expect(store).toBeInstanceOf(MemoryStore);
  });

  it('is not opened when file options are passed along with { memory: true }', async () => {
    const options = { memory: true, dataDir: '/tmp/x' } as unknown as { memory: true };
    await expect(openStore(options)).rejects.toThrow(/dataDir do not apply to the memory store/);
  });
});
