// Benchmark (not a test): reconciling a one-million-row Alipay trade bill against one million local
// records, beside the bare cost of decompressing the same zip and splitting it into lines, in one run.
// Each phase runs in a fresh child process, so its peak RSS is its own:
//   generate   the simulator's own bill writer builds the zip (GBK CSV, deflate) from 1M rows
//   split      baseline: unzip the detail entry, decode it (GBK, iconv-lite) and split it into lines
//              (node:readline), nothing else: the text lines a CSV reader of this file starts from
//   bytes      for reference: unzip and split into lines without decoding (each byte a char)
//   reconcile  the core's path: unzip → GBK decode → csv-parse → rows → two-way match against an index
//              of 1M local records (a few rows disagree, so every category of finding is exercised)
// Run: node --import tsx bench/recon.ts [--rows 1000000]
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { readAlipayBill } from '../core/connectors/alipay/bill-rows.ts';
import { LocalIndex } from '../core/recon/local-index.ts';
import { matchBill } from '../core/recon/match.ts';
import type { LocalRecord } from '../core/recon/types.ts';
import { parseBeijingDateTime } from '../lib/time-format.ts';
import { buildAlipayTradeBillZip, type AlipayBillTradeRow } from '../simulator/channels/alipay/bill.ts';
import { serviceFeeFen } from '../simulator/channels/alipay/bill-methods.ts';

const billDate = '2026-03-01';
const dayStartMs = parseBeijingDateTime(billDate)!;
/** Rows whose local record disagrees, so the matcher takes every path, not only the happy one. */
const disagreeEvery = 100_000;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const amountOf = (index: number) => 100 + ((index * 7919) % 100_000);
const paymentNoOf = (index: number) => `P2026030100${String(index).padStart(12, '0')}`;

function billRow(index: number): AlipayBillTradeRow {
  const atMs = dayStartMs + Math.floor((index / 1_000_000) * 86_000_000);
  const amountFen = amountOf(index);
  return {
    kind: 'payment', tradeNo: `2026030122001${String(index).padStart(15, '0')}`, outTradeNo: paymentNoOf(index), subject: `商品 ${index % 977}`,
    createdAtMs: atMs, finishedAtMs: atMs, counterparty: 'xud***@126.com', orderFen: amountFen, receivedFen: amountFen, serviceFeeFen: serviceFeeFen(amountFen, 60),
  };
}

function* localRecords(rows: number): Generator<LocalRecord> {
  for (let index = 0; index < rows; index++) {
    const amountFen = amountOf(index) + (index % disagreeEvery === 1 ? 1 : 0);
    // Every 100,000th record is missing from the books (the bill has it), and one more is only local.
    if (index % disagreeEvery === 2) continue;
    yield { kind: 'payment', paymentNo: paymentNoOf(index), amountFen, feeFen: serviceFeeFen(amountFen, 60) };
  }
  yield { kind: 'payment', paymentNo: 'P-ONLY-LOCAL', amountFen: 500, feeFen: 3 };
}

async function generate(file: string, rows: number): Promise<void> {
  const zip = await buildAlipayTradeBillZip({
    accountId: '2088102177846880', billDate, dayStartMs, exportedAtMs: dayStartMs + 86_400_000 + 3_600_000,
    rows: Array.from({ length: rows }, (_, index) => billRow(index)),
  });
  await writeFile(file, zip.zip);
}

async function split(file: string, decode: 'gbk' | 'bytes'): Promise<Record<string, number>> {
  const zip = await yauzl.fromBufferPromise(await readFile(file), { lazyEntries: true, decodeStrings: false });
  let lines = 0;
  for await (const entry of zip.eachEntry()) {
    // The first entry is the detail file.
    const unzipped = await zip.openReadStreamPromise(entry);
    const input = decode === 'gbk' ? unzipped.pipe(iconv.decodeStream('gbk')) : unzipped.setEncoding('latin1');
    for await (const _line of createInterface({ input, crlfDelay: Infinity })) lines += 1;
    break;
  }
  zip.close();
  return { lines };
}

async function reconcile(file: string, rows: number): Promise<Record<string, number>> {
  const local = LocalIndex.of(localRecords(rows));
  const result = await matchBill(readAlipayBill(await readFile(file)), local);
  const byCategory: Record<string, number> = {};
  for (const finding of result.findings) byCategory[finding.category] = (byCategory[finding.category] ?? 0) + 1;
  return { billRows: result.billRows, localRecords: result.localRecords, matched: result.matched, ...byCategory };
}

interface PhaseFigures {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly result: Record<string, number>;
}

/** Runs one phase in a fresh process and reads back its figures. */
function phase(name: string, file: string, rows: number): PhaseFigures {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', name, '--file', file, '--rows', String(rows)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`phase ${name} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as PhaseFigures;
}

async function runPhase(name: string, file: string, rows: number): Promise<void> {
  const startedMs = performance.now();
  const result =
    name === 'generate' ? (await generate(file, rows), {}) : name === 'split' ? await split(file, 'gbk') : name === 'bytes' ? await split(file, 'bytes') : await reconcile(file, rows);
  const seconds = (performance.now() - startedMs) / 1000;
  // maxRSS is in kilobytes: the peak of this process, start-up included.
  console.log(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, result }));
}

const rounds = 3;

function median(figures: readonly PhaseFigures[]): PhaseFigures {
  return [...figures].sort((a, b) => a.seconds - b.seconds)[Math.floor(figures.length / 2)]!;
}

export async function run(rows = argument('rows', 1_000_000)): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'paysim-recon-bench-'));
  const file = join(directory, 'bill.csv.zip');
  try {
    const generated = phase('generate', file, rows);
    const bytes = (await readFile(file)).length;
    // Alternating rounds, medians: the machine is shared, and a single run can land on a busy moment.
    const bares: PhaseFigures[] = [];
    const matches: PhaseFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      bares.push(phase('split', file, rows));
      matches.push(phase('reconcile', file, rows));
    }
    const bare = median(bares);
    const matched = median(matches);
    const bytesOnly = phase('bytes', file, rows);
    console.log(`reconciliation: ${rows.toLocaleString('en')}-row Alipay bill (${(bytes / 1024 / 1024).toFixed(1)} MiB zip, built in ${generated.seconds.toFixed(1)} s) against ${matched.result.localRecords!.toLocaleString('en')} local records`);
    console.log(`  reconcile (unzip, PapaParse, GBK cells, match): ${matched.seconds.toFixed(2)} s, peak RSS ${matched.peakRssMb.toFixed(0)} MB, ${JSON.stringify(matched.result)}`);
    console.log(`  baseline, unzip, GBK-decode, split into lines: ${bare.seconds.toFixed(2)} s, peak RSS ${bare.peakRssMb.toFixed(0)} MB, ${bare.result.lines!.toLocaleString('en')} lines`);
    console.log(`  (unzip and split the bytes, no decoding:       ${bytesOnly.seconds.toFixed(2)} s)`);
    console.log(`  ratio ${(matched.seconds / bare.seconds).toFixed(2)}× the bare split, medians of ${rounds} alternating rounds (reconcile: ${matches.map((figures) => figures.seconds.toFixed(2)).join(', ')} s; targets: < 5 s, < 256 MB, ≤ 3×)`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const phaseIndex = process.argv.indexOf('--phase');
if (phaseIndex > 0) {
  await runPhase(process.argv[phaseIndex + 1]!, process.argv[process.argv.indexOf('--file') + 1]!, argument('rows', 1_000_000));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
