// Child process of the crash tests (not a test): commits in a loop from several concurrent writers and
// prints `ack <index>` once each commit has resolved, until the parent SIGKILLs it. Commit <index> puts
// records/r<index> and mirror/r<index> together; every seventh also deletes records/r<index - 6>.
// With CRASH_FREEZE_AT=<phase>, the process blocks at that compaction phase of its
// CRASH_FREEZE_ON_COMPACTION-th compaction, prints `frozen <phase>`, and waits there to be killed.
// CRASH_PRELOAD=<n> first fills a `bulk` collection with n records, so that snapshots take a while.

import { writeSync } from 'node:fs';
import { FileStore, put, remove, type Mutation } from '../../../lib/store/index.ts';

const env = process.env;
const dataDir = env.CRASH_DATA_DIR;
if (!dataDir) throw new Error('CRASH_DATA_DIR is required');
const freezeAt = env.CRASH_FREEZE_AT;
const freezeOnCompaction = Number(env.CRASH_FREEZE_ON_COMPACTION ?? 1);

// Synchronous: a line must be in the pipe before the next instruction, or a kill could swallow it.
const say = (line: string): void => void writeSync(1, `${line}\n`);

let compactions = 0;
const store = await FileStore.open({
  dataDir,
  name: 'crash',
  compactJournalBytes: 16 * 1024,
  lowdbSnapshotRecordsMax: Number(env.CRASH_LOWDB_RECORDS_MAX ?? 0),
  compactOnClose: false,
  onEvent(event) {
    if (event.type === 'compaction.started') say(`compaction ${++compactions}`);
    if (event.type === 'compaction.phase' && event.phase === freezeAt && compactions === freezeOnCompaction) {
      say(`frozen ${event.phase}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
    }
  },
});

// CRASH_PRELOAD records in `bulk` make snapshots large enough to be killed in the middle of one.
const preload = Number(env.CRASH_PRELOAD ?? 0);
for (let start = store.count('bulk'); start < preload; start += 1000) {
  const batchSize = Math.min(1000, preload - start);
  await store.commit(Array.from({ length: batchSize }, (_, offset) => put('bulk', `b${start + offset}`, { pad: 'b'.repeat(200) })));
}

// Continue numbering after what an earlier run left, so rounds never reuse an index.
let next = store.all<number>('mirror').reduce((highest, index) => Math.max(highest, index + 1), 0);
say('ready');

async function writer(): Promise<void> {
  for (;;) {
    const index = next++;
    const mutations: Mutation[] = [put('records', `r${index}`, { index, pad: 'p'.repeat(200) }), put('mirror', `r${index}`, index)];
    if (index % 7 === 6) mutations.push(remove('records', `r${index - 6}`));
    await store.commit(mutations);
    say(`ack ${index}`);
  }
}

await Promise.all(Array.from({ length: 8 }, writer));
