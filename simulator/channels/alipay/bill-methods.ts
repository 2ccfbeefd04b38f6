// alipay.data.dataservice.bill.downloadurl.query and the download of the file it points to. The URL
// has the real one's shape and a 30-second life; its token is an HMAC, so it survives a restart.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Engine } from '../../engine/engine.ts';
import { billDayOver } from '../../engine/bills.ts';
import type { App } from '../../engine/types.ts';
import { formatBeijingCompactDate, formatBeijingDate, parseBeijingDateTime } from '../../../lib/time-format.ts';
import { alipayBillAccount, alipayTradeBillZipName, buildAlipayTradeBillZip, type AlipayBillTradeRow } from './bill.ts';
import type { AlipayConfig } from './config.ts';
import { alipayErrors } from './errors.ts';
import { failure, readAll, success, type MethodSpec } from './method.ts';
import { paidAtMsOf } from './trade-fields.ts';
import { corruptFile, type BillFaultPlan } from '../../faults/bill.ts';
import { parseYuan } from '../../../lib/money.ts';
import type { Random } from '../../../lib/random.ts';

export const billDownloadPath = '/downloadBillFile.resource';

function downloadToken(app: App, billDate: string, timestampSec: number): string {
  return createHmac('md5', app.channelPrivateKeyPem).update(`${app.appId}|${billDate}|${timestampSec}`).digest('hex');
}

/** Fee in fen for an amount, rounded half up; integer arithmetic only. */
export function serviceFeeFen(amountFen: number, basisPoints: number): number {
  return Math.floor((amountFen * basisPoints + 5_000) / 10_000);
}

/**
 * The fee a refund gives back: the payment fee's share of what has been refunded so far, less the share
 * given back before, so that refunding the whole payment returns exactly the whole fee.
 */
export function refundedServiceFeeFen(input: { amountFen: number; feeFen: number; refundedBeforeFen: number; refundFen: number }): number {
  const share = (refundedFen: number) => Math.floor((input.feeFen * refundedFen * 2 + input.amountFen) / (2 * input.amountFen));
  return share(input.refundedBeforeFen + input.refundFen) - share(input.refundedBeforeFen);
}

/** The rows of one app's bill for one day, built from the engine's records. */
export function billRows(engine: Engine, app: App, billDate: string, config: AlipayConfig): AlipayBillTradeRow[] {
  const records = engine.billRecords('alipay', app.appId, billDate);
  const payments: AlipayBillTradeRow[] = records.payments.map((trade) => ({
    kind: 'payment',
    tradeNo: trade.tradeNo,
    outTradeNo: trade.outTradeNo,
    subject: trade.subject,
    createdAtMs: trade.createdAtMs,
    finishedAtMs: paidAtMsOf(trade)!,
    counterparty: trade.buyer?.logonId ?? '',
    orderFen: trade.amountFen,
    receivedFen: trade.amountFen,
    serviceFeeFen: serviceFeeFen(trade.amountFen, config.serviceFeeBasisPoints),
    ...(trade.echo.store_id ? { storeId: trade.echo.store_id } : {}),
  }));
  const refunds: AlipayBillTradeRow[] = records.refunds.map((refund) => {
    const trade = engine.trades.get(refund.tradeKey)!;
    const succeededAt = (other: typeof refund) => (other.state.kind === 'succeeded' ? other.state.succeededAtMs : Infinity);
    const refundedBeforeFen = engine.refunds
      .ofTrade(refund.tradeKey)
      .filter((other) => other !== refund && other.state.kind === 'succeeded' && (succeededAt(other) < succeededAt(refund) || (succeededAt(other) === succeededAt(refund) && other.createdAtMs < refund.createdAtMs)))
      .reduce((total, other) => total + other.amountFen, 0);
    const paymentFeeFen = serviceFeeFen(trade.amountFen, config.serviceFeeBasisPoints);
    return {
      kind: 'refund',
      tradeNo: refund.tradeNo,
      outTradeNo: refund.outTradeNo,
      subject: trade.subject,
      createdAtMs: trade.createdAtMs,
      finishedAtMs: refund.state.kind === 'succeeded' ? refund.state.succeededAtMs : refund.createdAtMs,
      counterparty: trade.buyer?.logonId ?? '',
      orderFen: trade.amountFen,
      receivedFen: -refund.amountFen,
      outRequestNo: refund.outRequestNo,
      serviceFeeFen: -refundedServiceFeeFen({ amountFen: trade.amountFen, feeFen: paymentFeeFen, refundedBeforeFen, refundFen: refund.amountFen }),
      ...(trade.echo.store_id ? { storeId: trade.echo.store_id } : {}),
    };
  });
  return [...payments, ...refunds].sort((a, b) => a.finishedAtMs - b.finishedAtMs);
}

const downloadUrlQuery: MethodSpec = {
  fields: ['bill_type', 'bill_date', 'smid'],
  async handle(call) {
    const read = readAll({
      billType: call.reader.string('bill_type', { required: true }),
      billDate: call.reader.string('bill_date', { required: true }),
    });
    if (!read.ok) return failure(read.error);
    const { billType, billDate } = read.values;
    if (billType !== 'trade') return failure(alipayErrors.billTypeNotSupported(billType!));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(billDate!) || parseBeijingDateTime(billDate!) === undefined) {
      return failure(alipayErrors.invalidParameter(`bill_date 格式错误 ${billDate}，按日账单应为 yyyy-MM-dd（本模拟器只提供日账单）`));
    }
    const nowMs = call.engine.clock.now();
    if (!billDayOver(billDate!, nowMs)) return failure(alipayErrors.billNotExist());
    // No bill exists for a day before the merchant was registered (BILL_DATE_BEFORE_REGISTRATION).
    if (billDate! < formatBeijingDate(call.app.createdAtMs)) return failure(alipayErrors.billNotExist());
    if (call.engine.billFaults.notReady('alipay', ['alipay.data.dataservice.bill.downloadurl.query'])) return failure(alipayErrors.billNotExist());
    const rows = billRows(call.engine, call.app, billDate!, call.config);
    if (rows.length === 0 && call.config.emptyBill === 'not_exist') return failure(alipayErrors.billNotExist());
    const timestampSec = Math.floor(nowMs / 1000);
    const account = alipayBillAccount(call.app.sellerId);
    const fileName = alipayTradeBillZipName(call.app.sellerId, billDate!);
    const compactDate = formatBeijingCompactDate(parseBeijingDateTime(billDate!)!);
    const query = new URLSearchParams({
      bizType: 'trade',
      userId: account,
      fileType: 'csv.zip',
      bizDates: compactDate,
      downloadFileName: fileName,
      fileId: `/trade/${account}/${compactDate}.csv.zip`,
      timestamp: String(timestampSec),
      appId: call.app.appId,
      token: downloadToken(call.app, billDate!, timestampSec),
    });
    return success({
      bill_download_url: `${call.baseUrl}${billDownloadPath}?${query}`,
      ...(rows.length === 0 ? { bill_file_code: 'EMPTY_DATA_WITH_BILL_FILE' } : {}),
    });
  },
};

export const billMethods: Record<string, MethodSpec> = {
  'alipay.data.dataservice.bill.downloadurl.query': downloadUrlQuery,
};

export type BillDownload =
  | { kind: 'file'; fileName: string; zip: Buffer }
  | { kind: 'expired' }
  | { kind: 'invalid'; reason: string };

/** Serves a download URL handed out by downloadurl.query, if its token is genuine and still alive. */
export async function downloadBill(engine: Engine, config: AlipayConfig, query: URLSearchParams): Promise<BillDownload> {
  const app = engine.apps.get('alipay', query.get('appId') ?? '');
  const timestampSec = Number(query.get('timestamp'));
  const compactDate = query.get('bizDates') ?? '';
  if (!app || !Number.isSafeInteger(timestampSec) || !/^\d{8}$/.test(compactDate)) return { kind: 'invalid', reason: 'malformed download link' };
  const billDate = `${compactDate.slice(0, 4)}-${compactDate.slice(4, 6)}-${compactDate.slice(6)}`;
  const expected = Buffer.from(downloadToken(app, billDate, timestampSec));
  const given = Buffer.from(query.get('token') ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: 'invalid', reason: 'bad token' };
  const nowMs = engine.clock.now();
  if (nowMs > timestampSec * 1000 + config.billUrlTtlMs) return { kind: 'expired' };
  const dayStartMs = parseBeijingDateTime(billDate)!;
  const trueRows = billRows(engine, app, billDate, config);
  const plan = engine.billFaults.plan('alipay', app.sellerId, billDate, trueRows.map((row) => ({
    outTradeNo: row.outTradeNo, amountFen: Math.abs(row.receivedFen), subject: row.subject, ...(row.outRequestNo ? { outRequestNo: row.outRequestNo } : {}),
  })));
  const random = engine.ctx.random.fork(`bill:${app.appId}:${billDate}`);
  const rows = applyBillFaults(trueRows, plan, random, dayStartMs, config);
  const zip = await buildAlipayTradeBillZip({ accountId: app.sellerId, billDate, dayStartMs, exportedAtMs: nowMs, rows });
  return { kind: 'file', fileName: zip.fileName, zip: plan.corrupt ? corruptFile(zip.zip, random) : zip.zip };
}

/** The day's rows as the faulty bill shows them: rows missing, doubled, with another amount or status, or a stranger. */
export function applyBillFaults(rows: readonly AlipayBillTradeRow[], plan: BillFaultPlan, random: Random, dayStartMs: number, config: AlipayConfig): AlipayBillTradeRow[] {
  const result: AlipayBillTradeRow[] = [];
  rows.forEach((row, index) => {
    let shown: AlipayBillTradeRow | undefined = row;
    let copies = 1;
    for (const fault of plan.rowFaults.get(index) ?? []) {
      if (!shown) break;
      switch (fault.type) {
        case 'bill_missing_row':
          shown = undefined;
          break;
        case 'bill_duplicate_row':
          copies = 2;
          break;
        case 'bill_amount_mismatch': {
          const fen = parseYuan(fault.amount);
          if (!fen.ok) break;
          const sign: number = shown.kind === 'refund' ? -1 : 1;
          shown = { ...shown, receivedFen: sign * fen.fen, ...(shown.kind === 'payment' ? { orderFen: fen.fen } : {}), serviceFeeFen: sign * serviceFeeFen(fen.fen, config.serviceFeeBasisPoints) };
          break;
        }
        case 'bill_status_mismatch': {
          // A payment shown as refunded, a refund shown as a payment.
          const { outRequestNo: _outRequestNo, ...withoutRequest } = shown;
          shown = shown.kind === 'payment'
            ? { ...shown, kind: 'refund', receivedFen: -shown.receivedFen, serviceFeeFen: -shown.serviceFeeFen, outRequestNo: shown.outTradeNo }
            : { ...withoutRequest, kind: 'payment', receivedFen: -shown.receivedFen, serviceFeeFen: -shown.serviceFeeFen };
          break;
        }
        default:
          break;
      }
    }
    for (let copy = 0; shown && copy < copies; copy++) result.push(shown);
  });
  if (plan.extraRow) {
    const amountFen = random.int(100, 100_000);
    const atMs = dayStartMs + random.int(1, 86_399) * 1000;
    result.push({
      kind: 'payment', tradeNo: `${random.digits(8)}22001${random.digits(15)}`, outTradeNo: `UNKNOWN${random.digits(10)}`, subject: '未知订单',
      createdAtMs: atMs, finishedAtMs: atMs, counterparty: 'unk***@163.com', orderFen: amountFen, receivedFen: amountFen,
      serviceFeeFen: serviceFeeFen(amountFen, config.serviceFeeBasisPoints),
    });
  }
  return result;
}
