// The scenario core's disk: durable at once until it stalls; then writes are read back but not durable,
// and a crash loses exactly them, failing every caller still waiting, and hands back the disk as it was.
import { expect, it } from 'vitest';
import { put, StoreUnavailableError } from '../../lib/store/index.ts';
import { CrashableStore } from '../../scenarios/harness/crash-store.ts';

const settledWithin = async (promise: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> =>
  Promise.race([promise.then(() => 'resolved' as const, () => 'rejected' as const), new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);

it('makes writes durable at once until the disk stalls, then holds them; a crash keeps only what was durable', async () => {
  const store = new CrashableStore();
  await store.commit([put('payments', 'P1', { status: 'PENDING' })]);
  expect(await settledWithin(store.durable())).toBe('resolved');

  store.stall();
  expect(await settledWithin(store.durable())).toBe('resolved'); // nothing waits yet: durable up to here
  const write = store.commit([put('payments', 'P1', { status: 'SUCCEEDED' }), put('payments', 'P2', { status: 'PENDING' })]);
  expect(store.get('payments', 'P1')).toEqual({ status: 'SUCCEEDED' }); // applied in memory, as a store does before its sync returns
  expect(store.waitingWrites).toBe(1);
  expect(await settledWithin(write)).toBe('pending');
  const durable = store.durable();
  expect(await settledWithin(durable)).toBe('pending');

  const restarted = store.crash();
  await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(durable).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(store.commit([put('payments', 'P3', {})])).rejects.toThrow(/crashed/);
  expect(restarted.get('payments', 'P1')).toEqual({ status: 'PENDING' });
  expect(restarted.get('payments', 'P2')).toBeUndefined();
  expect(restarted.count('payments')).toBe(1);

  // The restarted disk is healthy: writes are durable again.
  await restarted.commit([put('payments', 'P1', { status: 'SUCCEEDED' })]);
  expect(restarted.crash().get('payments', 'P1')).toEqual({ status: 'SUCCEEDED' });
});
