// WeChat Pay's bill files (docs/wechatpay-protocol.md §6.6, §9): UTF-8 with a BOM, a plain header line,
// rows whose every field starts with a backtick, a plain summary header and a backtick summary row,
// then a newline. The SHA1 in `hash_value` covers these uncompressed bytes, BOM included.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import type { Refund, Trade } from '../../engine/types.ts';
import type { WechatpayConfig } from './config.ts';
import { refundStatusOf, tradeTypes, type WechatpayProduct } from './trade-fields.ts';
import { yuan } from './wire.ts';

export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';

const allHeader = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const successHeader = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注';
const refundHeader = allHeader.replace('代金券金额,', '代金券金额,退款申请时间,退款成功时间,');
const allSummaryHeader = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const successSummaryHeader = '总交易单数,应结订单总金额,手续费总金额,订单总金额';

export const tradeBillHeaders: Readonly<Record<TradeBillType, { readonly detail: string; readonly summary: string }>> = {
  ALL: { detail: allHeader, summary: allSummaryHeader },
  SUCCESS: { detail: successHeader, summary: successSummaryHeader },
  REFUND: { detail: refundHeader, summary: allSummaryHeader },
};

/** One row's facts, in fen and epoch ms; rendering picks the columns of the bill type. */
export interface TradeBillRow {
  readonly kind: 'payment' | 'refund';
  readonly atMs: number;
  readonly appid: string;
  readonly mchid: string;
  readonly transactionId: string;
  readonly outTradeNo: string;
  readonly openid: string;
  readonly tradeType: string;
  /** SUCCESS for payments, REFUND for refunds (a bill fault may change it). */
  readonly status: string;
  readonly settlementFen: number;
  readonly refundId: string;
  readonly outRefundNo: string;
  readonly refundFen: number;
  readonly refundStatus: string;
  readonly refundSucceededAtMs?: number;
  readonly description: string;
  readonly attach: string;
  /** Fee in units of 0.00001 yuan (bills show the fee with 5 decimals); negative on refunds. */
  readonly feeUnits: number;
  readonly orderFen: number;
}

/** Fee units of 0.00001 yuan for an amount at `basisPoints`, rounded half up. */
export function feeUnitsOf(amountFen: number, basisPoints: number): number {
  return Math.round((amountFen * basisPoints) / 10);
}

/** A payment's fee in whole fen, rounded half up: what WeChat keeps of it. */
export function paymentFeeFen(amountFen: number, basisPoints: number): number {
  return Math.floor((amountFen * basisPoints + 5_000) / 10_000);
}

/**
 * The fee a refund gives back, in whole fen (config.refundFeeReturn): the refund answer's
 * `amount.refund_fee` and, negative, its bill row's 手续费. `proportional` counts the trade's refunds that
 * were not failed and were taken before this one.
 */
export function refundFeeFen(refund: Refund, trade: Trade, tradeRefunds: readonly Refund[], config: Pick<WechatpayConfig, 'serviceFeeBasisPoints' | 'refundFeeReturn'>): number {
  if (config.refundFeeReturn === 'rate') return paymentFeeFen(refund.amountFen, config.serviceFeeBasisPoints);
  const feeFen = paymentFeeFen(trade.amountFen, config.serviceFeeBasisPoints);
  const before = (other: Refund) => other.createdAtMs < refund.createdAtMs || (other.createdAtMs === refund.createdAtMs && other.refundNo < refund.refundNo);
  const refundedBeforeFen = tradeRefunds.filter((other) => other.key !== refund.key && other.state.kind !== 'failed' && before(other)).reduce((sum, other) => sum + other.amountFen, 0);
  const share = (refundedFen: number) => Math.floor((feeFen * refundedFen * 2 + trade.amountFen) / (2 * trade.amountFen));
  return share(Math.min(trade.amountFen, refundedBeforeFen + refund.amountFen)) - share(Math.min(trade.amountFen, refundedBeforeFen));
}

function feeText(units: number): string {
  const sign = units < 0 ? '-' : '';
  const absolute = Math.abs(units);
  return `${sign}${Math.floor(absolute / 100_000)}.${String(absolute % 100_000).padStart(5, '0')}`;
}

export function paymentRow(trade: Trade, paidAtMs: number, mchid: string, basisPoints: number): TradeBillRow {
  return {
    kind: 'payment', atMs: paidAtMs, appid: trade.echo.appid ?? '', mchid, transactionId: trade.tradeNo, outTradeNo: trade.outTradeNo,
    openid: trade.buyer?.id ?? '', tradeType: tradeTypes[trade.product as WechatpayProduct] ?? 'NATIVE', status: 'SUCCESS',
    settlementFen: trade.amountFen, refundId: '0', outRefundNo: '0', refundFen: 0, refundStatus: '', description: trade.subject,
    attach: trade.echo.attach ?? '', feeUnits: feeUnitsOf(trade.amountFen, basisPoints), orderFen: trade.amountFen,
  };
}

/** A refund's row; `returnedFeeFen` is what refundFeeFen gives back. */
export function refundRow(refund: Refund, trade: Trade, mchid: string, returnedFeeFen: number): TradeBillRow {
  return {
    kind: 'refund', atMs: refund.createdAtMs, appid: trade.echo.appid ?? '', mchid, transactionId: trade.tradeNo, outTradeNo: trade.outTradeNo,
    openid: trade.buyer?.id ?? '', tradeType: tradeTypes[trade.product as WechatpayProduct] ?? 'NATIVE', status: 'REFUND',
    settlementFen: 0, refundId: refund.refundNo, outRefundNo: refund.outRequestNo, refundFen: refund.amountFen, refundStatus: refundStatusOf(refund),
    ...(refund.state.kind === 'succeeded' ? { refundSucceededAtMs: refund.state.succeededAtMs } : {}),
    description: trade.subject, attach: trade.echo.attach ?? '', feeUnits: -returnedFeeFen * 1_000, orderFen: 0,
  };
}

const tick = (value: string) => `\`${value}`;

function detailCells(row: TradeBillRow, billType: TradeBillType): string[] {
  const head = [formatBeijingDateTime(row.atMs), row.appid, row.mchid, '0', '', row.transactionId, row.outTradeNo, row.openid, row.tradeType, row.status, 'OTHERS', 'CNY', yuan(row.settlementFen), '0.00'];
  if (billType === 'SUCCESS') return [...head, row.description, row.attach, feeText(row.feeUnits), '0.60%', yuan(row.orderFen), ''];
  const refundTimes = billType === 'REFUND' ? [formatBeijingDateTime(row.atMs), row.refundSucceededAtMs !== undefined ? formatBeijingDateTime(row.refundSucceededAtMs) : ''] : [];
  const refund = [row.refundId, row.outRefundNo, yuan(row.refundFen), '0.00', row.kind === 'refund' ? 'ORIGINAL' : '', row.refundStatus];
  return [...head, ...refundTimes, ...refund, row.description, row.attach, feeText(row.feeUnits), '0.60%', yuan(row.orderFen), yuan(row.refundFen), ''];
}

function summaryCells(rows: readonly TradeBillRow[], billType: TradeBillType): string[] {
  const sum = (pick: (row: TradeBillRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const count = String(rows.length);
  if (billType === 'SUCCESS') return [count, yuan(sum((row) => row.settlementFen)), feeText(sum((row) => row.feeUnits)), yuan(sum((row) => row.orderFen))];
  return [count, yuan(sum((row) => row.settlementFen)), yuan(sum((row) => row.refundFen)), '0.00', feeText(sum((row) => row.feeUnits)), yuan(sum((row) => row.orderFen)), yuan(sum((row) => row.refundFen))];
}

/** Which rows a bill type holds. */
export function rowsOfType(rows: readonly TradeBillRow[], billType: TradeBillType): TradeBillRow[] {
  if (billType === 'ALL') return [...rows];
  return rows.filter((row) => (billType === 'SUCCESS' ? row.kind === 'payment' : row.kind === 'refund'));
}

export function billText(detailHeader: string, cells: readonly (readonly string[])[], summaryHeader: string, summary: readonly string[], lineEnding: string): Buffer {
  const lines = [detailHeader, ...cells.map((row) => row.map(tick).join(',')), summaryHeader, summary.map(tick).join(',')];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join(lineEnding)}${lineEnding}`, 'utf8')]);
}

/** The trade bill's bytes for a type, rows in time order. */
export function tradeBillFile(rows: readonly TradeBillRow[], billType: TradeBillType, lineEnding: string): Buffer {
  const selected = rowsOfType(rows, billType);
  const headers = tradeBillHeaders[billType];
  return billText(headers.detail, selected.map((row) => detailCells(row, billType)), headers.summary, summaryCells(selected, billType), lineEnding);
}

export const fundFlowHeader = '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号';
export const fundFlowSummaryHeader = '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额';

/** The basic account's fund flow: each payment credited, its fee and each refund debited, the fee a refund returns credited, with the running balance. [M] */
export function fundFlowFile(rows: readonly TradeBillRow[], lineEnding: string): Buffer {
  const entries: { atMs: number; businessNo: string; flowNo: string; name: string; direction: '收入' | '支出'; fen: number; voucher: string }[] = [];
  for (const row of rows) {
    if (row.kind === 'payment') {
      entries.push({ atMs: row.atMs, businessNo: row.transactionId, flowNo: `${row.transactionId}01`, name: '交易', direction: '收入', fen: row.orderFen, voucher: row.transactionId });
      const feeFen = Math.round(row.feeUnits / 1_000);
      if (feeFen > 0) entries.push({ atMs: row.atMs, businessNo: row.transactionId, flowNo: `${row.transactionId}02`, name: '扣除交易手续费', direction: '支出', fen: feeFen, voucher: row.transactionId });
    } else {
      entries.push({ atMs: row.atMs, businessNo: row.refundId, flowNo: `${row.refundId}01`, name: '退款', direction: '支出', fen: row.refundFen, voucher: row.outRefundNo });
      // The fee the refund gives back (its row's negative 手续费, the answer's refund_fee) comes back to the account.
      const returnedFeeFen = Math.round(-row.feeUnits / 1_000);
      if (returnedFeeFen > 0) entries.push({ atMs: row.atMs, businessNo: row.refundId, flowNo: `${row.refundId}02`, name: '退还交易手续费', direction: '收入', fen: returnedFeeFen, voucher: row.outRefundNo });
    }
  }
  let balanceFen = 0;
  const cells = entries.map((entry) => {
    balanceFen += entry.direction === '收入' ? entry.fen : -entry.fen;
    return [formatBeijingDateTime(entry.atMs), entry.businessNo, entry.flowNo, entry.name, entry.name, entry.direction, yuan(entry.fen), yuan(balanceFen), '系统', '', entry.voucher];
  });
  const income = entries.filter((entry) => entry.direction === '收入');
  const spending = entries.filter((entry) => entry.direction === '支出');
  const total = (list: typeof entries) => yuan(list.reduce((sum, entry) => sum + entry.fen, 0));
  return billText(fundFlowHeader, cells, fundFlowSummaryHeader, [String(entries.length), String(income.length), total(income), String(spending.length), total(spending)], lineEnding);
}

/** `hash_value`: SHA1 hex of the uncompressed file. */
export function sha1Hex(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** GZIP at a fixed level, so the same file gives the same bytes. */
export function gzipBill(bytes: Buffer): Buffer {
  return gzipSync(bytes, { level: 9 });
}
