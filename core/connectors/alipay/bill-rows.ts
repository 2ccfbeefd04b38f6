// Reads Alipay's trade bill zip (docs/alipay-protocol.md §10) as a stream of normalised rows: unzip
// (yauzl) → CSV (PapaParse) → GBK decode (iconv-lite) of the cells that hold Chinese → rows. Only the
// compressed zip is in memory; the CSV text, several times larger, is never held whole. Entry names are
// GBK bytes (the zip's UTF-8 flag is clear), so names are decoded here rather than by yauzl (CP437).
//
// Why the CSV is split before it is decoded: GBK is ASCII below 0x80, and the bytes of its two-byte
// characters are 0x81–0xFE then 0x40–0xFE, never a comma, a quote, CR or LF. So the bytes read as latin1
// (one char per byte, no decoding work) split exactly where the GBK text would, and only the header and
// the 业务类型 cell need iconv; every other cell we read is digits. Decoding all 190 MB of a
// million-row day was a third of the reading time.
import type iconvModule from 'iconv-lite';
import type papaModule from 'papaparse';
import { pipeline, type Readable } from 'node:stream';
import type yauzlModule from 'yauzl';
import { lazyRequire } from '../../../lib/lazy-require.ts';
import { parseYuan } from '../../../lib/money.ts';
import { streamBatches } from '../../../lib/stream-batches.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';
import { BillFormatError, type BillRow } from '../channel.ts';

/** The columns reconciliation needs, by their header names in the 业务明细 file. */
const columns = {
  tradeNo: '支付宝交易号',
  outTradeNo: '商户订单号',
  kind: '业务类型',
  finishedAt: '完成时间',
  received: '商家实收（元）',
  outRequestNo: '退款批次号/请求号',
  serviceFee: '服务费（元）',
} as const;

type ColumnIndexes = { readonly [K in keyof typeof columns]: number };

/** A GBK cell read as latin1 (see above), decoded. */
const loadIconv = lazyRequire<typeof iconvModule>('iconv-lite');
const loadPapa = lazyRequire<typeof papaModule>('papaparse');
const loadYauzl = lazyRequire<typeof yauzlModule>('yauzl');

const fromLatin1 = (cell: string) => loadIconv().decode(Buffer.from(cell, 'latin1'), 'gbk');
/** How a GBK text looks when its bytes are read as latin1: what a cell is compared with. */
const asLatin1 = (text: string) => loadIconv().encode(text, 'gbk').toString('latin1');
const paymentKind = asLatin1('交易');
const refundKind = asLatin1('退款');

/** The detail entry, not its 汇总 (summary) sibling. */
const isDetailEntry = (name: string) => name.endsWith('_业务明细.csv');

/** The bill's rows in file order, in batches (a big day has a million rows; per-row promises would dominate). */
export async function* readAlipayBill(file: Buffer): AsyncGenerator<readonly BillRow[]> {
  const entryStream = await openDetailEntry(file);
  entryStream.setEncoding('latin1');
  // `#` lines (title, account, period, markers, totals) are comments: PapaParse skips lines that start so.
  const records = pipeline(entryStream, loadPapa().parse(loadPapa().NODE_STREAM_INPUT, { comments: '#', skipEmptyLines: true }), () => {
    // Errors reach the last stream, and so the reader below.
  });
  let indexes: ColumnIndexes | undefined;
  let line = 0;
  const times = new InstantCache();
  const toRow = (record: string[]): BillRow | undefined => {
    line += 1;
    if (indexes) return rowOf(record, indexes, line, times);
    indexes = headerIndexes(record.map((cell) => untab(fromLatin1(cell))));
    return undefined;
  };
  try {
    yield* streamBatches(records, toRow);
  } catch (error) {
    if (error instanceof BillFormatError) throw error;
    throw new BillFormatError(`the bill's detail file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!indexes) throw new BillFormatError('the bill has no detail header row (支付宝交易号,…): not an Alipay trade bill');
}

async function openDetailEntry(file: Buffer): Promise<Readable> {
  let zip: yauzlModule.ZipFile;
  try {
    zip = await loadYauzl().fromBufferPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    throw new BillFormatError(`the bill file is not a readable zip (${error instanceof Error ? error.message : String(error)}): the download is corrupt; it is retried later`);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const name = loadIconv().decode(entry.fileName as unknown as Buffer, 'gbk');
      if (isDetailEntry(name)) return await zip.openReadStreamPromise(entry);
    }
  } catch (error) {
    zip.close();
    throw new BillFormatError(`the bill zip cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  zip.close();
  throw new BillFormatError('the bill zip holds no …_业务明细.csv entry');
}

function headerIndexes(cells: readonly string[]): ColumnIndexes {
  const found = Object.fromEntries(Object.entries(columns).map(([key, name]) => [key, cells.indexOf(name)])) as Record<keyof typeof columns, number>;
  const missing = Object.entries(found).filter(([, index]) => index < 0).map(([key]) => columns[key as keyof typeof columns]);
  if (missing.length > 0) throw new BillFormatError(`the bill's header lacks ${missing.join(', ')}: not an Alipay trade bill`);
  return found;
}

/** Real files end id cells with a TAB so that Excel keeps long numbers as text. */
function untab(cell: string): string {
  return cell.endsWith('\t') ? cell.slice(0, -1) : cell;
}

/** A day's rows share few distinct seconds in a row: the last time parsed is usually the next one too. */
class InstantCache {
  private text = '';
  private epochMs: number | undefined;

  parse(text: string): number | undefined {
    if (text !== this.text) {
      this.text = text;
      this.epochMs = parseBeijingDateTime(text);
    }
    return this.epochMs;
  }
}

// No closures here: this runs once per row, a million times for a big day.
function rowOf(cells: readonly string[], indexes: ColumnIndexes, line: number, times: InstantCache): BillRow {
  const kindText = cellOf(cells, indexes, 'kind', line);
  const kind = kindText === paymentKind ? 'payment' : kindText === refundKind ? 'refund' : rowError(line, `业务类型 ${JSON.stringify(fromLatin1(kindText).slice(0, 20))} is neither 交易 nor 退款`);
  const receivedText = cellOf(cells, indexes, 'received', line);
  const amountFen = unsignedFen(receivedText) ?? rowError(line, `商家实收 ${JSON.stringify(receivedText.slice(0, 20))} is not an amount`);
  const feeText = cellOf(cells, indexes, 'serviceFee', line);
  const feeFen = signedFen(feeText) ?? rowError(line, `服务费 ${JSON.stringify(feeText.slice(0, 20))} is not an amount`);
  const finishedText = cellOf(cells, indexes, 'finishedAt', line);
  const atMs = times.parse(finishedText) ?? rowError(line, `完成时间 ${JSON.stringify(finishedText.slice(0, 30))} is not yyyy-MM-dd HH:mm:ss`);
  const paymentNo = cellOf(cells, indexes, 'outTradeNo', line);
  if (paymentNo === '') rowError(line, '商户订单号 is empty');
  const channelTradeNo = cellOf(cells, indexes, 'tradeNo', line);
  if (kind === 'payment') return { kind, paymentNo, channelTradeNo, amountFen, feeFen, atMs };
  const refundNo = cellOf(cells, indexes, 'outRequestNo', line);
  if (refundNo === '') rowError(line, 'a refund row without 退款批次号/请求号');
  return { kind, paymentNo, refundNo, channelTradeNo, amountFen, feeFen, atMs };
}

function cellOf(cells: readonly string[], indexes: ColumnIndexes, key: keyof typeof columns, line: number): string {
  const value = cells[indexes[key]];
  return value === undefined ? rowError(line, `no ${columns[key]} cell`) : untab(value);
}

function rowError(line: number, why: string): never {
  throw new BillFormatError(`bill row ${line}: ${why}`);
}

/** 商家实收 is negative on refund rows; the row's kind carries the direction, so the amount is its size. */
function unsignedFen(text: string): number | undefined {
  const parsed = parseYuan(text.startsWith('-') ? text.slice(1) : text);
  return parsed.ok ? parsed.fen : undefined;
}

function signedFen(text: string): number | undefined {
  const magnitude = unsignedFen(text);
  return magnitude === undefined ? undefined : text.startsWith('-') ? -magnitude : magnitude;
}
