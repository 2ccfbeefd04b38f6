// Benchmark, not a test: plain lowdb against the FileStore at 100k records of ~400 bytes, in one run.
// It measures what a service feels: acknowledged (durable) writes per second and the longest
// event-loop stall, which is what delays every other request while a write is being serialised.
// The FileStore run includes at least one background compaction of the full data set.
//
//   node --import tsx bench/store.ts

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { FileStore, put } from '../lib/store/index.ts';

export interface StoreRunFigures {
  readonly writes: number;
  readonly seconds: number;
  readonly writesPerSecond: number;
  readonly stallMsMax: number;
}

export interface StoreBenchFigures {
  readonly records: number;
  readonly recordBytes: number;
  readonly lowdbFileBytes: number;
  readonly lowdb: StoreRunFigures;
  readonly fileStore: StoreRunFigures & { readonly inFlight: number; readonly fsyncs: number; readonly compactions: number };
  readonly ratio: number;
}

const records = 100_000;
const lowdbSecondsMax = 4;
const lowdbWritesMax = 25;
const fileStoreSeconds = 6;
const inFlight = 64;
// Small enough that the 6 s run crosses it at least once, so a full compaction is inside the measurement.
const compactJournalBytes = 8 * 1024 * 1024;

function makeRecord(index: number, version: number): Record<string, unknown> {
  return {
    tradeNo: `2024${String(index).padStart(16, '0')}`,
    outTradeNo: `order-${index}`,
    amountFen: (index * 7919) % 1_000_000,
    status: version % 2 === 0 ? 'TRADE_SUCCESS' : 'WAIT_BUYER_PAY',
    buyerId: `2088${String(index % 99_991).padStart(12, '0')}`,
    version,
    subject: `Order ${index} · ${'paysim bench record '.repeat(11)}`,
  };
}

/** Runs `work` with the event-loop delay monitored; the max is the longest the loop was blocked. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; stallMsMax: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  histogram.enable();
  const startMs = performance.now();
  const result = await work();
  const seconds = (performance.now() - startMs) / 1000;
  histogram.disable();
  return { result, seconds, stallMsMax: histogram.max / 1e6 };
}

async function benchLowdb(dir: string): Promise<{ figures: StoreRunFigures; fileBytes: number }> {
  const path = join(dir, 'lowdb.json');
  const db = new Low<{ records: Record<string, unknown> }>(new JSONFile(path), { records: {} });
  for (let index = 0; index < records; index++) db.data.records[`rec-${index}`] = makeRecord(index, 0);
  await db.write();
  const fileBytes = (await stat(path)).size;
  const { result: writes, seconds, stallMsMax } = await measured(async () => {
    const deadlineMs = performance.now() + lowdbSecondsMax * 1000;
    let writes = 0;
    while (writes < lowdbWritesMax && performance.now() < deadlineMs) {
      db.data.records[`rec-${writes}`] = makeRecord(writes, 1);
      await db.write();
      writes += 1;
    }
    return writes;
  });
  return { figures: { writes, seconds, writesPerSecond: writes / seconds, stallMsMax }, fileBytes };
}

async function benchFileStore(dir: string): Promise<StoreBenchFigures['fileStore']> {
  const store = await FileStore.open({ dataDir: dir, name: 'bench', compactJournalBytes, compactOnClose: false });
  for (let start = 0; start < records; start += 1000) {
    await store.commit(Array.from({ length: 1000 }, (_, offset) => put('records', `rec-${start + offset}`, makeRecord(start + offset, 0))));
  }
  await store.compact();
  const before = store.stats();
  let next = 0;
  const { result: writes, seconds, stallMsMax } = await measured(async () => {
    const deadlineMs = performance.now() + fileStoreSeconds * 1000;
    let acknowledged = 0;
    const writer = async (): Promise<void> => {
      while (performance.now() < deadlineMs) {
        const index = next++;
        await store.commit([put('records', `rec-${index % records}`, makeRecord(index % records, index))]);
        acknowledged += 1;
      }
    };
    const halfwayTimer = setTimeout(() => {
      if (store.stats().compactions === before.compactions) store.compact().catch(() => undefined);
    }, (fileStoreSeconds * 1000) / 2);
    await Promise.all(Array.from({ length: inFlight }, writer));
    clearTimeout(halfwayTimer);
    await store.compact(); // joins a compaction still running, so its stall is inside the measurement
    return acknowledged;
  });
  const after = store.stats();
  await store.close();
  return {
    writes,
    seconds,
    writesPerSecond: writes / seconds,
    stallMsMax,
    inFlight,
    fsyncs: after.fsyncs - before.fsyncs,
    compactions: after.compactions - before.compactions,
  };
}

export async function run(): Promise<StoreBenchFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'paysim-bench-store-'));
  try {
    const lowdb = await benchLowdb(dir);
    const fileStore = await benchFileStore(dir);
    const recordBytes = Buffer.byteLength(JSON.stringify(makeRecord(records - 1, 0)));
    return { records, recordBytes, lowdbFileBytes: lowdb.fileBytes, lowdb: lowdb.figures, fileStore, ratio: fileStore.writesPerSecond / lowdb.figures.writesPerSecond };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatFigures(figures: StoreBenchFigures): string[] {
  const row = (label: string, run: StoreRunFigures, detail: string): string =>
    `${label.padEnd(10)} ${run.writesPerSecond.toFixed(1).padStart(9)} acknowledged writes/s   max event-loop stall ${run.stallMsMax.toFixed(1).padStart(7)} ms   (${detail})`;
  const { lowdb, fileStore } = figures;
  return [
    `store bench: ${figures.records} records of ~${figures.recordBytes} B (lowdb file ${(figures.lowdbFileBytes / 1e6).toFixed(1)} MB)`,
    row('lowdb', lowdb, `${lowdb.writes} writes in ${lowdb.seconds.toFixed(1)} s, one db.write() each`),
    row(
      'file-store',
      fileStore,
      `${fileStore.writes} writes in ${fileStore.seconds.toFixed(1)} s, ${fileStore.inFlight} in flight, ${fileStore.fsyncs} fsyncs, ${fileStore.compactions} compactions`,
    ),
    `file-store / lowdb: ${figures.ratio.toFixed(0)}x the acknowledged writes/s`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of formatFigures(await run())) console.log(line);
}
