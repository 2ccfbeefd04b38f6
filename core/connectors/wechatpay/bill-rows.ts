// Reads WeChat Pay's trade bill (docs/wechatpay-protocol.md §9) as a stream of normalised rows: gunzip
// when the file is gzip → UTF-8 with a BOM → lines. The detail header is plain; every cell of a data row
// is prefixed with a backtick, so cells are split on ",`" (a comma inside a cell, such as a product name,
// stays in its cell). The detail ends at the plain summary header (总交易单数,…).
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseYuan } from '../../../lib/money.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';
import { divideRounded } from '../../domain/routing.ts';
import { BillFormatError, type BillRow, type IncompleteRow } from '../channel.ts';
import { isGzip } from './bills.ts';

/** The columns reconciliation needs, by their header names in the ALL bill. */
const columns = {
  time: '交易时间',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  state: '交易状态',
  settled: '应结订单金额',
  outRefundNo: '商户退款单号',
  refunded: '退款金额',
  refundStatus: '退款状态',
  fee: '手续费',
} as const;

type ColumnIndexes = { readonly [K in keyof typeof columns]: number };

const summaryHeaderStart = '总交易单数';

/** Rows handed over per batch: a big day has a million rows, and one promise per row would dominate. */
const batchSize = 512;

/** The bill's rows in file order, in batches. */
export async function* readWechatpayBill(file: Buffer): AsyncGenerator<readonly BillRow[]> {
  const source = Readable.from([file]);
  const text = isGzip(file) ? source.pipe(createGunzip()) : source;
  const lines = createInterface({ input: text.setEncoding('utf8'), crlfDelay: Infinity });
  let indexes: ColumnIndexes | undefined;
  let lineNo = 0;
  let batch: BillRow[] = [];
  try {
    for await (const raw of lines) {
      lineNo += 1;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      if (!indexes) {
        indexes = headerIndexes(line.split(','));
        continue;
      }
      if (line.startsWith(summaryHeaderStart)) break;
      batch.push(rowOf(line, indexes, lineNo));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof BillFormatError) throw error;
    throw new BillFormatError(`the bill file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    lines.close();
    source.destroy();
  }
  if (!indexes) throw new BillFormatError('the bill has no header row (交易时间,公众账号ID,…): not a WeChat Pay trade bill');
  if (batch.length > 0) yield batch;
}

function headerIndexes(cells: readonly string[]): ColumnIndexes {
  const found = Object.fromEntries(Object.entries(columns).map(([key, name]) => [key, cells.indexOf(name)])) as Record<keyof typeof columns, number>;
  const missing = Object.entries(found).filter(([, index]) => index < 0).map(([key]) => columns[key as keyof typeof columns]);
  if (missing.length > 0) throw new BillFormatError(`the bill's header lacks ${missing.join(', ')}: not a WeChat Pay ALL trade bill`);
  return found;
}

function rowOf(line: string, indexes: ColumnIndexes, lineNo: number): BillRow {
  const fail = (why: string): never => {
    throw new BillFormatError(`bill line ${lineNo}: ${why}`);
  };
  if (!line.startsWith('`')) fail('a data row whose cells are not backtick-prefixed');
  const cells = line.slice(1).split(',`');
  const cell = (key: keyof typeof columns) => cells[indexes[key]] ?? fail(`no ${columns[key]} cell`);
  const state = cell('state');
  // 交易状态 REFUND is a refund row; any other is a payment row, completed only when SUCCESS (a trade
  // revoked after success is listed under its order as REVOKED, §9). A status this reader does not know
  // is reported against the record, never a reason to drop the whole bill.
  const kind = state === 'REFUND' ? 'refund' : 'payment';
  const incomplete = kind === 'payment' ? paymentIncompleteness(state) : refundIncompleteness(cell('refundStatus'));
  const amountText = kind === 'payment' ? cell('settled') : cell('refunded');
  const amountFen = unsignedFen(amountText) ?? fail(`${kind === 'payment' ? columns.settled : columns.refunded} ${JSON.stringify(amountText.slice(0, 20))} is not an amount`);
  const feeFen = feeFenOf(cell('fee')) ?? fail(`手续费 ${JSON.stringify(cell('fee').slice(0, 20))} is not an amount of at most 5 decimals`);
  const atMs = parseBeijingDateTime(cell('time')) ?? fail(`交易时间 ${JSON.stringify(cell('time').slice(0, 30))} is not yyyy-MM-dd HH:mm:ss`);
  const paymentNo = cell('outTradeNo');
  if (paymentNo === '') fail('商户订单号 is empty');
  const refundNo = cell('outRefundNo');
  if (kind === 'refund' && (refundNo === '' || refundNo === '0')) fail('a refund row without 商户退款单号');
  return {
    kind,
    paymentNo,
    ...(kind === 'refund' ? { refundNo } : {}),
    channelTradeNo: cell('transactionId'),
    amountFen,
    // A refund row gives the fee back: its share is never a charge, whichever sign the file writes.
    feeFen: kind === 'refund' ? -Math.abs(feeFen) : feeFen,
    atMs,
    ...(incomplete ? { incomplete } : {}),
  };
}

function paymentIncompleteness(state: string): IncompleteRow | undefined {
  if (state === 'SUCCESS') return undefined;
  const channelStatus = state.slice(0, 20) || '(empty)';
  return { state: state === 'REVOKED' ? 'reversed' : 'unknown', channelStatus };
}

/** 退款状态 is frozen when the bill is made: SUCCESS, PROCESSING, ABNORMAL or CLOSED (empty in old files: completed). */
function refundIncompleteness(status: string): IncompleteRow | undefined {
  switch (status) {
    case 'SUCCESS':
    case '':
      return undefined;
    case 'PROCESSING':
      return { state: 'processing', channelStatus: status };
    case 'ABNORMAL':
    case 'CLOSED':
      return { state: 'failed', channelStatus: status };
    default:
      return { state: 'unknown', channelStatus: status.slice(0, 20) };
  }
}

/** Amounts are yuan with 2 decimals; a refund may be written negative, and its kind carries the direction. */
function unsignedFen(text: string): number | undefined {
  const parsed = parseYuan(text.startsWith('-') ? text.slice(1) : text);
  return parsed.ok ? parsed.fen : undefined;
}

/** 手续费 has 5 decimals (`0.00600` yuan = 0.6 fen): rounded half up to whole fen, as the core books fees. */
function feeFenOf(text: string): number | undefined {
  const match = /^(-?)(\d{1,10})(?:\.(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const hundredThousandths = BigInt(match[2]!) * 100_000n + BigInt((match[3] ?? '').padEnd(5, '0'));
  const fen = Number(divideRounded(hundredThousandths, 1_000n, 'halfUp'));
  return match[1] === '-' ? -fen : fen;
}
