import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore, openStore, put, remove, type FileStoreOptions } from '../../../lib/store/index.ts';

let dataDir: string;
const open = (options: Partial<FileStoreOptions> = {}): Promise<FileStore> => FileStore.open({ dataDir, name: 'core', ...options });

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-store-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('FileStore', () => {
  it.each([true, false])('reads back every committed record after close and reopen (compactOnClose: %s)', async (compactOnClose) => {
    const store = await open({ compactOnClose });
    for (let index = 0; index < 50; index++) await store.commit([put('orders', `o${index}`, { amountFen: index * 100 })]);
    await store.close();
    const reopened = await open();
    expect(reopened.count('orders')).toBe(50);
    expect(reopened.get('orders', 'o49')).toEqual({ amountFen: 4900 });
    expect(reopened.stats().seq).toBe(50);
    await reopened.close();
  });

  it('keeps insertion order across a restart, integer-like keys included', async () => {
    const store = await open();
    await store.commit([put('refunds', 'r-b', 'b'), put('refunds', '1002', 'n2'), put('refunds', 'r-a', 'a'), put('refunds', '1001', 'n1')]);
    await store.close();
    const reopened = await open();
    expect(reopened.all('refunds')).toEqual(['b', 'n2', 'a', 'n1']);
    await reopened.close();
  });

  it('applies all mutations of one commit together, in memory at once and after a restart', async () => {
    const store = await open({ compactOnClose: false });
    await store.commit([put('payments', 'p1', { status: 'PENDING' }), put('orders', 'o1', { status: 'OPEN' })]);
    const committed = store.commit([put('payments', 'p1', { status: 'PAID' }), put('orders', 'o1', { status: 'PAID' }), put('ledger', 'e1', { debitFen: 100 })]);
    expect([store.get('payments', 'p1'), store.get('orders', 'o1'), store.count('ledger')]).toEqual([{ status: 'PAID' }, { status: 'PAID' }, 1]);
    await committed;
    await store.close();
    const reopened = await open();
    expect([reopened.get('payments', 'p1'), reopened.get('orders', 'o1'), reopened.count('ledger')]).toEqual([{ status: 'PAID' }, { status: 'PAID' }, 1]);
    await reopened.close();
  });

  it('keeps deleted records deleted after a restart, from the journal and from a snapshot', async () => {
    const store = await open({ compactOnClose: false });
    await store.commit([put('orders', 'o1', 1), put('orders', 'o2', 2), put('orders', 'o3', 3)]);
    await store.commit([remove('orders', 'o2')]);
    await store.close();
    const fromJournal = await open();
    expect(fromJournal.all('orders')).toEqual([1, 3]);
    await fromJournal.commit([remove('orders', 'o1')]);
    await fromJournal.compact();
    await fromJournal.close();
    const fromSnapshot = await open();
    expect(fromSnapshot.all('orders')).toEqual([3]);
    expect(fromSnapshot.get('orders', 'o1')).toBeUndefined();
    await fromSnapshot.close();
  });

  it('groups commits made in the same turn into one journal write', async () => {
    const store = await open();
    const before = store.stats().fsyncs;
    await Promise.all(Array.from({ length: 200 }, (_, index) => store.commit([put('orders', `o${index}`, index)])));
    expect(store.stats().fsyncs - before).toBeLessThanOrEqual(2);
    await store.close();
  });

  it('groups the commits of concurrent writers that arrive while a write is in flight', async () => {
    const store = await open();
    const before = store.stats().fsyncs;
    const writer = async (id: number): Promise<void> => {
      for (let round = 0; round < 20; round++) await store.commit([put('orders', `w${id}-${round}`, round)]);
    };
    await Promise.all(Array.from({ length: 64 }, (_, id) => writer(id)));
    expect(store.count('orders')).toBe(64 * 20);
    expect(store.stats().fsyncs - before).toBeLessThanOrEqual((64 * 20) / 16);
    await store.close();
  });

  it('resolves durable() only once every commit applied so far is in the journal file', async () => {
    const store = await open();
    void store.commit([put('orders', 'o-unawaited', { amountFen: 1 })]);
    await store.durable();
    expect(await readFile(join(dataDir, 'core.journal'), 'utf8')).toContain('"key":"o-unawaited"');
    await store.close();
  });

  it('refuses a commit that would exceed recordsPerCollectionMax, and applies none of it', async () => {
    const store = await open({ recordsPerCollectionMax: 2 });
    await store.commit([put('orders', 'o1', 1)]);
    await expect(store.commit([put('ledger', 'e1', 1), put('orders', 'o2', 2), put('orders', 'o3', 3)])).rejects.toThrow(
      /collection "orders" would exceed recordsPerCollectionMax \(2\)/,
    );
    expect([store.count('orders'), store.count('ledger')]).toEqual([1, 0]);
    await store.commit([remove('orders', 'o1'), put('orders', 'o2', 2), put('orders', 'o3', 3)]);
    expect(store.count('orders')).toBe(2);
    await store.close();
  });

  it('refuses commits that would grow the journal past journalBytesMax', async () => {
    const store = await open({ compactJournalBytes: 100, journalBytesMax: 400, compactOnClose: false });
    await expect(store.commit([put('orders', 'big', 'x'.repeat(500))])).rejects.toThrow(/journalBytesMax \(400\)/);
    expect(store.get('orders', 'big')).toBeUndefined();
    await store.close();
  });

  it('refuses to start when a collection on disk holds more records than recordsPerCollectionMax', async () => {
    const store = await open();
    await store.commit([put('orders', 'o1', 1), put('orders', 'o2', 2)]);
    await store.close();
    await expect(open({ recordsPerCollectionMax: 1 })).rejects.toThrow(/"orders" holds 2 records, over recordsPerCollectionMax \(1\)/);
  });

  it('refuses records that are undefined, since JSON could not bring them back', async () => {
    const store = await open();
    await expect(store.commit([put('orders', 'o1', undefined)])).rejects.toThrow(/orders\/o1: a record cannot be undefined/);
    expect(store.stats().seq).toBe(0);
    await store.close();
  });

  it('refuses commits after close', async () => {
    const store = await open();
    await store.close();
    await expect(store.commit([put('orders', 'o1', 1)])).rejects.toThrow(/store core is closed/);
  });

  it('refuses to open a store that a live process holds, naming it', async () => {
    const store = await open();
    await expect(open()).rejects.toThrow(`the store is locked by this process (pid ${process.pid})`);
    await store.close();
    const again = await open();
    await again.close();
  });

  it('takes over the lock of a process that no longer exists', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']);
    await writeFile(join(dataDir, 'core.lock'), `${gone.pid}\n`);
    const store = await open();
    expect((await readFile(join(dataDir, 'core.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
  });

  it('creates a missing data dir', async () => {
    const nested = join(dataDir, 'a', 'b');
    const store = await FileStore.open({ dataDir: nested, name: 'sim' });
    await store.commit([put('trades', 't1', 1)]);
    await store.close();
    expect(JSON.parse(await readFile(join(nested, 'sim.json'), 'utf8')).seq).toBe(1);
  });

  it.each([
    [{ name: '../escape' }, /name "..\/escape" must be/],
    [{ compactJournalBytes: 0 }, /compactJournalBytes must be a positive integer/],
    [{ compactJournalBytes: 1000, journalBytesMax: 1000 }, /must be below journalBytesMax/],
    [{ compactJournalByte: 5 }, /unknown option\(s\) compactJournalByte/],
  ])('rejects bad options %o', async (options, message) => {
    await expect(open(options as Partial<FileStoreOptions>)).rejects.toThrow(message);
  });

  it('is what openStore returns for a dataDir and a name', async () => {
    const store = await openStore({ dataDir, name: 'core', compactJournalBytes: 1024 });
    expect(store).toBeInstanceOf(FileStore);
    await store.close();
  });
});
