import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeJournalLine } from '../../../lib/store/journal-format.ts';
import { FileStore, put, remove, StoreCorruptError, type FileStoreEvent, type FileStoreOptions } from '../../../lib/store/index.ts';

let dataDir: string;
let journalPath: string;
const open = (options: Partial<FileStoreOptions> = {}): Promise<FileStore> =>
  FileStore.open({ dataDir, name: 'core', compactOnClose: false, ...options });

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-store-'));
  journalPath = join(dataDir, 'core.journal');
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function writeJournal(lines: string[]): Promise<void> {
  await writeFile(journalPath, lines.join(''));
}

describe('FileStore recovery', () => {
  it('drops a torn last journal line, truncates it away and goes on from the last whole commit', async () => {
    const store = await open();
    await store.commit([put('orders', 'o1', 1)]);
    await store.commit([put('orders', 'o2', 2)]);
    await store.close();
    const wholeBytes = (await stat(journalPath)).size;
    const torn = encodeJournalLine(3, [put('orders', 'o3', 3), put('ledger', 'e3', 3)]);
    await appendFile(journalPath, torn.slice(0, torn.length - 20));

    const events: FileStoreEvent[] = [];
    const reopened = await open({ onEvent: (event) => events.push(event) });
    expect(reopened.all('orders')).toEqual([1, 2]);
    expect(reopened.count('ledger')).toBe(0);
    expect((await stat(journalPath)).size).toBe(wholeBytes);
    expect(events).toContainEqual({ type: 'journal.repaired', path: journalPath, tornBytes: torn.length - 20 });
    await reopened.commit([put('orders', 'o3', 'again')]);
    await reopened.close();

    const third = await open();
    expect(third.all('orders')).toEqual([1, 2, 'again']);
    await third.close();
  });

  it.each([
    ['not valid JSON', (line: string) => line.replace('"mutations"', '"mutations')],
    ['checksum mismatch', (line: string) => line.replace('"value":2', '"value":7')],
    ['seq 4 follows seq 1', (line: string) => line.replace('"seq":2', '"seq":4')],
  ])('refuses to start on a damaged middle line (%s), naming the file and the line', async (reason, damage) => {
    const lines = [1, 2, 3].map((seq) => encodeJournalLine(seq, [put('orders', `o${seq}`, seq)]));
    await writeJournal([lines[0] as string, damage(lines[1] as string), lines[2] as string]);
    const opening = open();
    await expect(opening).rejects.toThrow(StoreCorruptError);
    await expect(opening).rejects.toThrow(`${journalPath}: line 2 is corrupt (${reason})`);
  });

  it('refuses to start when a complete last line is damaged, since a crash leaves only unterminated ones', async () => {
    await writeJournal([encodeJournalLine(1, [put('orders', 'o1', 1)]), '{"seq":2,"crc":1,"mutations":[]}\n']);
    await expect(open()).rejects.toThrow(`${journalPath}: line 2 is corrupt (checksum mismatch)`);
  });

  it('refuses to start when the journal begins after the commits the snapshot covers', async () => {
    await writeJournal([encodeJournalLine(5, [put('orders', 'o5', 5)])]);
    await expect(open()).rejects.toThrow(/starts at seq 5 but .*core\.json ends at seq 0: commits 1\.\.4 are missing/);
  });

  it('refuses to start on a snapshot that is not valid JSON, naming the file', async () => {
    await writeFile(join(dataDir, 'core.json'), '{"seq":3,"collections":{"orders":[["o1"');
    await expect(open()).rejects.toThrow(`${join(dataDir, 'core.json')}: the snapshot is not valid JSON`);
  });

  it('replays only the journal lines after the snapshot, as left by a crash before the journal rotation', async () => {
    const snapshot = { seq: 2, collections: { orders: [['o1', 'one'], ['o2', 'two']] } };
    await writeFile(join(dataDir, 'core.json'), JSON.stringify(snapshot));
    await writeJournal([
      encodeJournalLine(1, [put('orders', 'o1', 1)]),
      encodeJournalLine(2, [put('orders', 'o2', 2)]),
      encodeJournalLine(3, [put('orders', 'o3', 'three'), remove('orders', 'o1')]),
    ]);
    const store = await open();
    expect(store.all('orders')).toEqual(['two', 'three']);
    expect(store.stats().seq).toBe(3);
    await store.close();
  });

  it('empties a journal that ends before the snapshot, so the next commit does not leave a gap', async () => {
    await writeFile(join(dataDir, 'core.json'), JSON.stringify({ seq: 3, collections: { orders: [['o3', 3]] } }));
    await writeJournal([encodeJournalLine(1, [put('orders', 'o1', 1)])]);
    const store = await open();
    await store.commit([put('orders', 'o4', 4)]);
    await store.close();
    const reopened = await open();
    expect(reopened.all('orders')).toEqual([3, 4]);
    await reopened.close();
  });

  it('deletes temp files a crash left behind', async () => {
    for (const temp of ['core.json.tmp', '.core.json.tmp.tmp', 'core.journal.tmp']) await writeFile(join(dataDir, temp), 'half');
    const store = await open();
    await store.close();
    expect((await readdir(dataDir)).sort()).toEqual(['core.journal']);
  });

  it.each([
    ['lowdb', 1_000_000],
    ['incremental', 0],
  ])('compaction (%s) keeps every record in order, empties the journal, and lowdb reads the snapshot', async (_path, lowdbSnapshotRecordsMax) => {
    const store = await open({ lowdbSnapshotRecordsMax });
    for (let index = 0; index < 300; index++) await store.commit([put(index % 2 ? 'odd' : 'even', `${1000 - index}`, { index })]);
    await store.commit([remove('odd', '999'), put('even', '1000', { index: 'replaced' })]);
    const expected = { odd: store.all('odd'), even: store.all('even') };
    await store.compact();
    expect((await stat(journalPath)).size).toBe(0);
    expect(store.stats()).toMatchObject({ snapshotSeq: 301, compactions: 1, journalBytes: 0 });
    await store.close();
    const snapshot = JSON.parse(await readFile(join(dataDir, 'core.json'), 'utf8'));
    expect(snapshot.seq).toBe(301);
    const reopened = await open();
    expect({ odd: reopened.all('odd'), even: reopened.all('even') }).toEqual(expected);
    await reopened.close();
  });

  it.each([
    ['lowdb', 1_000_000],
    ['incremental', 0],
  ])('commits made during a compaction (%s) are kept, with the values the snapshot must not show', async (_path, lowdbSnapshotRecordsMax) => {
    const during: Promise<void>[] = [];
    let store: FileStore | undefined;
    const onEvent = (event: FileStoreEvent): void => {
      if (event.type === 'compaction.phase' && event.phase === 'snapshot.synced') {
        during.push(store!.commit([put('orders', 'o-synced', 'synced'), remove('orders', 'o2')]));
      }
      if (event.type === 'compaction.phase' && event.phase === 'journal.synced') during.push(store!.commit([put('orders', 'o-rotating', 'rotating')]));
    };
    store = await open({ lowdbSnapshotRecordsMax, onEvent });
    for (let batch = 0; batch < 20; batch++) {
      await store.commit(Array.from({ length: 100 }, (_, offset) => put('orders', `o${batch * 100 + offset}`, batch * 100 + offset)));
    }
    const compaction = store.compact();
    during.push(store.commit([put('orders', 'o1', 'changed'), put('orders', 'o-new', 'new')]));
    await compaction;
    await Promise.all(during);
    expect(store.stats()).toMatchObject({ snapshotSeq: 20, seq: 23 });
    const snapshot = JSON.parse(await readFile(join(dataDir, 'core.json'), 'utf8'));
    expect(snapshot.collections.orders).toHaveLength(2000);
    expect(snapshot.collections.orders.slice(0, 3)).toEqual([['o0', 0], ['o1', 1], ['o2', 2]]);
    await store.close();

    const reopened = await open();
    expect([reopened.get('orders', 'o1'), reopened.get('orders', 'o2'), reopened.get('orders', 'o-new')]).toEqual(['changed', undefined, 'new']);
    expect([reopened.get('orders', 'o-synced'), reopened.get('orders', 'o-rotating')]).toEqual(['synced', 'rotating']);
    expect(reopened.count('orders')).toBe(2000 + 3 - 1);
    await reopened.close();
  });

  it('compacts in the background once the journal passes compactJournalBytes', async () => {
    const started: number[] = [];
    const store = await open({ compactJournalBytes: 4096, onEvent: (event) => event.type === 'compaction.started' && started.push(event.seq) });
    for (let index = 0; index < 100 && started.length === 0; index++) await store.commit([put('orders', `o${index}`, 'x'.repeat(100))]);
    expect(started).toHaveLength(1);
    expect(started[0]).toBeLessThan(100);
    await store.compact();
    expect(store.stats()).toMatchObject({ compactions: 1, snapshotSeq: started[0] });
    expect(store.stats().journalBytes).toBeLessThan(4096);
    await store.close();
  });
});
