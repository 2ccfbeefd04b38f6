// Reads Alipay's trade bill zip (docs/alipay-protocol.md §10) as a stream of normalised rows: unzip
// (yauzl) → GBK decode (iconv-lite) → CSV (csv-parse) → rows. Only the compressed zip is in memory; the
// CSV text, several times larger, is never held whole. Entry names are GBK bytes (the zip's UTF-8 flag is
// clear), so names are decoded here rather than by yauzl, which would read them as CP437.
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { parseYuan } from '../../../lib/money.ts';
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

/** The detail entry, not its 汇总 (summary) sibling. */
const isDetailEntry = (name: string) => name.endsWith('_业务明细.csv');

export async function* readAlipayBill(file: Buffer): AsyncGenerator<BillRow> {
  const entryStream = await openDetailEntry(file);
  const records = entryStream.pipe(iconv.decodeStream('gbk')).pipe(
    parse({
      // `#` lines (title, account, period, markers, totals) are comments only where they start a line.
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  let indexes: ColumnIndexes | undefined;
  let line = 0;
  try {
    for await (const record of records as AsyncIterable<string[]>) {
      line += 1;
      const cells = record.map((cell) => cell.replace(/\t$/, ''));
      if (!indexes) {
        indexes = headerIndexes(cells);
        continue;
      }
      yield rowOf(cells, indexes, line);
    }
  } catch (error) {
    if (error instanceof BillFormatError) throw error;
    throw new BillFormatError(`the bill's detail file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    entryStream.destroy();
  }
  if (!indexes) throw new BillFormatError('the bill has no detail header row (支付宝交易号,…): not an Alipay trade bill');
}

async function openDetailEntry(file: Buffer): Promise<Readable> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    throw new BillFormatError(`the bill file is not a readable zip (${error instanceof Error ? error.message : String(error)}): the download is corrupt; it is retried later`);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const name = iconv.decode(entry.fileName as unknown as Buffer, 'gbk');
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

function rowOf(cells: readonly string[], indexes: ColumnIndexes, line: number): BillRow {
  const fail = (why: string): never => {
    throw new BillFormatError(`bill row ${line}: ${why}`);
  };
  const cell = (key: keyof typeof columns) => cells[indexes[key]] ?? fail(`no ${columns[key]} cell`);
  const kindText = cell('kind');
  const kind = kindText === '交易' ? 'payment' : kindText === '退款' ? 'refund' : fail(`业务类型 ${JSON.stringify(kindText.slice(0, 20))} is neither 交易 nor 退款`);
  const amountFen = unsignedFen(cell('received')) ?? fail(`商家实收 ${JSON.stringify(cell('received').slice(0, 20))} is not an amount`);
  const feeFen = signedFen(cell('serviceFee')) ?? fail(`服务费 ${JSON.stringify(cell('serviceFee').slice(0, 20))} is not an amount`);
  const atMs = parseBeijingDateTime(cell('finishedAt')) ?? fail(`完成时间 ${JSON.stringify(cell('finishedAt').slice(0, 30))} is not yyyy-MM-dd HH:mm:ss`);
  const paymentNo = cell('outTradeNo');
  if (paymentNo === '') fail('商户订单号 is empty');
  const refundNo = cell('outRequestNo');
  if (kind === 'refund' && refundNo === '') fail('a refund row without 退款批次号/请求号');
  return {
    kind,
    paymentNo,
    ...(kind === 'refund' ? { refundNo } : {}),
    channelTradeNo: cell('tradeNo'),
    amountFen,
    feeFen,
    atMs,
  };
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
