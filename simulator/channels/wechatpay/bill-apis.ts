// Bills: the trade bill and the fund-flow bill (`download_url`, SHA1 `hash_value`, `tar_type=GZIP`) and the
// signed download that redeems their token (docs/wechatpay-protocol.md §6.6, §9). Bill faults change the
// day's rows once per day, so every download of a day shows the same discrepancy.
import { parseYuan } from '../../../lib/money.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';
import { billDayOver } from '../../engine/bills.ts';
import { corruptFile } from '../../faults/bill.ts';
import { failure, json, type ApiCall, type ApiResult, type ApiSpec } from './api.ts';
import { wechatpayApiHost } from './config.ts';
import { wechatpayErrors } from './errors.ts';
import { fundFlowFile, gzipBill, paymentRow, refundFeeFen, refundRow, sha1Hex, tradeBillFile, type TradeBillRow, type TradeBillType } from './bill.ts';

const dayMs = 86_400_000;
/** Bills of the last 3 months only (§6.6). */
const billAgeMsMax = 92 * dayMs;

/** The day's rows in time order: payments that succeeded and refunds initiated that Beijing day (§9). */
function dayRows(call: ApiCall, dayStartMs: number): TradeBillRow[] {
  const within = (atMs: number | undefined) => atMs !== undefined && atMs >= dayStartMs && atMs < dayStartMs + dayMs;
  const mchid = call.app.appId;
  const basisPoints = call.config.serviceFeeBasisPoints;
  const trades = call.engine.trades.all().filter((trade) => trade.channel === 'wechatpay' && trade.appId === mchid);
  const rows: TradeBillRow[] = [];
  for (const trade of trades) {
    const paidAtMs = 'paidAtMs' in trade.state ? trade.state.paidAtMs : undefined;
    if (within(paidAtMs)) rows.push(paymentRow(trade, paidAtMs!, mchid, basisPoints));
  }
  for (const refund of call.engine.refunds.all()) {
    if (refund.channel !== 'wechatpay' || refund.appId !== mchid || !within(refund.createdAtMs)) continue;
    const trade = call.engine.trades.get(refund.tradeKey);
    if (trade) rows.push(refundRow(refund, trade, mchid, refundFeeFen(refund, trade, call.engine.refunds.ofTrade(trade.key), call.config)));
  }
  return rows.sort((a, b) => a.atMs - b.atMs);
}

/** The day's faults applied to its rows (missing, extra, amount, status, duplicate). */
function withBillFaults(call: ApiCall, billDate: string, rows: readonly TradeBillRow[]): { rows: TradeBillRow[]; corrupt: boolean } {
  const plan = call.engine.billFaults.plan('wechatpay', call.app.appId, billDate, rows.map((row) => ({
    outTradeNo: row.outTradeNo, amountFen: row.kind === 'payment' ? row.orderFen : row.refundFen, subject: row.description,
    ...(row.kind === 'refund' ? { outRequestNo: row.outRefundNo } : {}),
  })));
  const result: TradeBillRow[] = [];
  rows.forEach((row, index) => {
    let current: TradeBillRow | undefined = row;
    let copies = 1;
    for (const fault of plan.rowFaults.get(index) ?? []) {
      if (!current) break;
      if (fault.type === 'bill_missing_row') current = undefined;
      else if (fault.type === 'bill_duplicate_row') copies = 2;
      // A payment listed as revoked, a refund as failed (退款状态 ABNORMAL): statuses WeChat's bills really carry.
      else if (fault.type === 'bill_status_mismatch') current = current.kind === 'payment' ? { ...current, status: 'REVOKED' } : { ...current, refundStatus: 'ABNORMAL' };
      else if (fault.type === 'bill_amount_mismatch') {
        const parsed = parseYuan(fault.amount);
        if (parsed.ok) current = current.kind === 'payment' ? { ...current, settlementFen: parsed.fen, orderFen: parsed.fen } : { ...current, refundFen: parsed.fen };
      }
    }
    for (let copy = 0; current && copy < copies; copy++) result.push(current);
  });
  if (plan.extraRow) {
    const atMs = parseBeijingDateTime(billDate)! + 12 * 3_600_000;
    result.push({
      kind: 'payment', atMs, appid: rows[0]?.appid ?? 'wx0000000000000000', mchid: call.app.appId, transactionId: `4200000000${billDate.replaceAll('-', '')}${call.random.digits(10)}`,
      outTradeNo: `PAYSIM-EXTRA-${call.random.digits(8)}`, openid: 'o-paysim-extra-row', tradeType: 'NATIVE', status: 'SUCCESS', settlementFen: 100, refundId: '0', outRefundNo: '0',
      refundFen: 0, refundStatus: '', description: 'paysim extra row', attach: '', feeUnits: 60, orderFen: 100,
    });
  }
  return { rows: result, corrupt: plan.corrupt };
}

type BillDay = { ok: true; billDate: string; dayStartMs: number; gzip: boolean } | { ok: false; result: ApiResult };

function readBillDay(call: ApiCall, api: string): BillDay {
  const billDate = call.query.get('bill_date');
  if (!billDate) return { ok: false, result: failure(wechatpayErrors.paramError('bill_date', '此字段为必填项', 'query')) };
  const dayStartMs = /^\d{4}-\d{2}-\d{2}$/.test(billDate) ? parseBeijingDateTime(billDate) : undefined;
  if (dayStartMs === undefined) return { ok: false, result: failure(wechatpayErrors.paramError('bill_date', '格式必须是 yyyy-MM-dd', 'query', billDate)) };
  const tarType = call.query.get('tar_type');
  if (tarType !== null && tarType !== 'GZIP') return { ok: false, result: failure(wechatpayErrors.paramError('tar_type', '只支持 GZIP', 'query', tarType)) };
  const nowMs = call.engine.clock.now();
  if (nowMs - dayStartMs > billAgeMsMax) return { ok: false, result: failure(wechatpayErrors.invalidRequest('只能下载三个月以内的账单')) };
  if (!billDayOver(billDate, nowMs) || call.engine.billFaults.notReady('wechatpay', [api])) return { ok: false, result: failure(wechatpayErrors.statementCreating()) };
  return { ok: true, billDate, dayStartMs, gzip: tarType === 'GZIP' };
}

function answerWithLink(call: ApiCall, bytes: Buffer, hashOf: Buffer, gzip: boolean): ApiResult {
  const token = call.billFiles.store(call.app.appId, gzip ? gzipBill(bytes) : bytes, gzip);
  const host = call.config.billDownloadHost === 'real' ? wechatpayApiHost : call.baseUrl;
  return json({ download_url: `${host}/v3/billdownload/file?token=${token}${gzip ? '&tartype=gzip' : ''}`, hash_type: 'SHA1', hash_value: sha1Hex(hashOf) });
}

const tradeBill: ApiSpec = {
  name: 'GET /v3/bill/tradebill',
  method: 'GET',
  path: /^\/v3\/bill\/tradebill$/,
  facts: () => ({}),
  async handle(call) {
    // Parameters first: a malformed request is PARAM_ERROR whatever the day.
    const billType = (call.query.get('bill_type') ?? 'ALL') as TradeBillType;
    if (!['ALL', 'SUCCESS', 'REFUND'].includes(billType)) return failure(wechatpayErrors.paramError('bill_type', '必须是 ALL、SUCCESS 或 REFUND', 'query', billType));
    const day = readBillDay(call, this.name);
    if (!day.ok) return day.result;
    const rows = dayRows(call, day.dayStartMs);
    if (rows.length === 0) return failure(wechatpayErrors.noStatementExist());
    const faulted = withBillFaults(call, day.billDate, rows);
    const lineEnding = call.config.billLineEnding === 'crlf' ? '\r\n' : '\n';
    const file = tradeBillFile(faulted.rows, billType, lineEnding);
    // A corrupt file keeps the true file's hash, so a merchant who checks hash_value finds out.
    return answerWithLink(call, faulted.corrupt ? corruptFile(file, call.random) : file, file, day.gzip);
  },
};

const fundFlowBill: ApiSpec = {
  name: 'GET /v3/bill/fundflowbill',
  method: 'GET',
  path: /^\/v3\/bill\/fundflowbill$/,
  facts: () => ({}),
  async handle(call) {
    const accountType = call.query.get('account_type') ?? 'BASIC';
    if (!['BASIC', 'OPERATION', 'FEES'].includes(accountType)) return failure(wechatpayErrors.paramError('account_type', '必须是 BASIC、OPERATION 或 FEES', 'query', accountType));
    const day = readBillDay(call, this.name);
    if (!day.ok) return day.result;
    // Only the basic account moves in the simulator: the others have no flow, hence no statement.
    const rows = accountType === 'BASIC' ? dayRows(call, day.dayStartMs) : [];
    if (rows.length === 0) return failure(wechatpayErrors.noStatementExist());
    const file = fundFlowFile(rows, call.config.billLineEnding === 'crlf' ? '\r\n' : '\n');
    return answerWithLink(call, file, file, day.gzip);
  },
};

const download: ApiSpec = {
  name: 'GET /v3/billdownload/file',
  method: 'GET',
  path: /^\/v3\/billdownload\/file$/,
  facts: () => ({}),
  async handle(call) {
    const token = call.query.get('token');
    const file = token ? call.billFiles.redeem(call.app.appId, token) : undefined;
    if (!file) return failure(wechatpayErrors.badDownloadToken());
    return { kind: 'file', bytes: file.bytes, contentType: file.gzip ? 'application/x-gzip' : 'text/plain; charset=utf-8' };
  },
};

export const billApis: readonly ApiSpec[] = [tradeBill, fundFlowBill, download];
