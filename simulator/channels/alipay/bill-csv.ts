// The text of Alipay's daily trade bill (bill_type=trade): the 业务明细 detail file and its 业务明细(汇总)
// summary, as in §10 of docs/alipay-protocol.md. Kept as plain strings (not yet GBK, not yet
// zipped) so tests and faults can read or bend them before bill.ts packs them.

import { formatFen } from '../../../lib/money.ts';
import { formatBeijingChineseDateTime, formatBeijingDateTime, parseBeijingDateTime } from '../../../lib/time-format.ts';

export interface AlipayBillTradeRow {
  readonly kind: 'payment' | 'refund';
  readonly tradeNo: string;
  readonly outTradeNo: string;
  readonly subject: string;
  /** A refund row carries the original trade's creation time, as real files do. */
  readonly createdAtMs: number;
  /** When the payment or the refund completed; this decides the bill day. */
  readonly finishedAtMs: number;
  /** Masked buyer account, e.g. `xud***@126.com` or `**博(156******89)`. */
  readonly counterparty: string;
  /**
   * `订单金额（元）`, printed as given. The one real file seen prints a refund row's value negative;
   * the protocol doc says a refund row holds the original order amount [M]. The caller decides.
   */
  readonly orderFen: number;
  /** `商家实收（元）`: positive for a payment, negative (or zero) for a refund. */
  readonly receivedFen: number;
  /** `退款批次号/请求号`: the refund's out_request_no; required on refunds, absent on payments. */
  readonly outRequestNo?: string;
  /** `服务费（元）`: the fee charged on this row (a refund that returns the fee has a negative one). */
  readonly serviceFeeFen: number;
  readonly storeId?: string;
  readonly storeName?: string;
  readonly remark?: string;
}

export interface AlipayBillInput {
  /** The merchant's 16-digit PID (2088…); the bill account is the PID followed by `0156`. */
  readonly accountId: string;
  /** `yyyy-MM-dd`, the Beijing day the bill covers. */
  readonly billDate: string;
  /** 00:00:00 Beijing time of `billDate`, in epoch ms. Must agree with `billDate`. */
  readonly dayStartMs: number;
  /** When the bill was "exported": the `#导出时间` line and the zip entries' dates. */
  readonly exportedAtMs: number;
  readonly rows: readonly AlipayBillTradeRow[];
}

export interface AlipayTradeBillTexts {
  readonly detailName: string;
  readonly detailText: string;
  readonly summaryName: string;
  readonly summaryText: string;
}

/** A guard against a runaway caller, far above any simulated day. */
export const alipayBillRowsMax = 1_000_000;

// CRLF, taken to be the real files' line end (the fixtures we found reproduce real bills but do not settle
// it byte for byte). Parsers that read line by line accept both; one that splits on '\n' alone keeps a
// trailing '\r' here, which is the mistake a real file would punish. The last line ends with CRLF too.
const lineEnd = '\r\n';
const dayMs = 86_400_000;

export const alipayTradeBillDetailColumns = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号',
  '对方账户', '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）',
  '券核销金额（元）', '券名称', '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
] as const;

export const alipayTradeBillSummaryColumns = [
  '门店编号', '门店名称', '交易订单总笔数', '退款订单总笔数', '订单金额（元）', '商家实收（元）', '支付宝优惠（元）',
  '商家优惠（元）', '卡消费金额（元）', '服务费（元）', '分润（元）', '实收净额（元）',
] as const;

/** `{PID}0156`, the 20-digit account that names bill files. */
export function alipayBillAccount(accountId: string): string {
  return `${accountId}0156`;
}

/** Builds both texts of the day's trade bill. Throws on input that can only come from a bug. */
export function alipayTradeBillCsv(input: AlipayBillInput): AlipayTradeBillTexts {
  assertBillInput(input);
  const prefix = `${alipayBillAccount(input.accountId)}_${input.billDate.replaceAll('-', '')}`;
  return {
    detailName: `${prefix}_业务明细.csv`,
    detailText: detailLines(input).map((line) => line + lineEnd).join(''),
    summaryName: `${prefix}_业务明细(汇总).csv`,
    summaryText: summaryLines(input).map((line) => line + lineEnd).join(''),
  };
}

function detailLines(input: AlipayBillInput): string[] {
  const payments = input.rows.filter((row) => row.kind === 'payment');
  const refunds = input.rows.filter((row) => row.kind === 'refund');
  return [
    '#支付宝业务明细查询',
    ...periodLines(input),
    marker(41, '业务明细列表', 40),
    csvLine(alipayTradeBillDetailColumns),
    ...input.rows.map((row) => csvLine(detailCells(row))),
    marker(41, '业务明细列表结束', 36),
    `#交易合计：${payments.length}笔，商家实收共${formatFen(sumFen(payments, 'receivedFen'))}元，商家优惠共0.00元`,
    `#退款合计：${refunds.length}笔，商家实收退款共${formatFen(sumFen(refunds, 'receivedFen'))}元，商家优惠退款共0.00元`,
    exportLine(input),
  ];
}

// Real files end many id and text cells with a TAB inside the field so Excel keeps long numbers as text;
// which cells do is copied from real rows (商品名称, times, amounts, 券名称 and 备注 do not; the odd
// 商家红包消费金额 does).
function detailCells(row: AlipayBillTradeRow): string[] {
  const cells = [
    tabbed(row.tradeNo), tabbed(row.outTradeNo), tabbed(row.kind === 'payment' ? '交易' : '退款'), row.subject,
    formatBeijingDateTime(row.createdAtMs), formatBeijingDateTime(row.finishedAtMs),
    tabbed(row.storeId ?? ''), tabbed(row.storeName ?? ''), tabbed(''), tabbed(''), tabbed(row.counterparty),
    formatFen(row.orderFen), formatFen(row.receivedFen), '0.00', '0.00', '0.00', '0.00', '0.00', '',
    tabbed('0.00'), '0.00', tabbed(row.outRequestNo ?? ''), formatFen(row.serviceFeeFen), '0.00', row.remark ?? '',
  ];
  if (cells.length !== alipayTradeBillDetailColumns.length) throw new Error(`bug: ${cells.length} detail cells`);
  return cells;
}

// Header lines by analogy with the detail file [M/L in the protocol doc]; the marker dash counts are the
// ones parsers in the wild match exactly.
function summaryLines(input: AlipayBillInput): string[] {
  const stores = new Map<string, AlipayBillTradeRow[]>();
  for (const row of input.rows) {
    const storeId = row.storeId ?? '';
    const storeRows = stores.get(storeId);
    if (storeRows) storeRows.push(row);
    else stores.set(storeId, [row]);
  }
  const storeLines = [...stores.entries()].map(([storeId, rows]) =>
    csvLine([tabbed(storeId), tabbed(rows.find((row) => row.storeName)?.storeName ?? ''), ...summaryAmounts(rows)]),
  );
  return [
    '#支付宝业务汇总查询',
    ...periodLines(input),
    marker(41, '业务汇总列表', 40),
    csvLine(alipayTradeBillSummaryColumns),
    ...storeLines,
    // The 合计 label is a literal, not an id Excel could mangle, so it carries no TAB.
    csvLine(['合计', '', ...summaryAmounts(input.rows)]),
    marker(40, '业务汇总列表结束', 37),
    exportLine(input),
  ];
}

/** Column sums of the detail rows; 实收净额 = 商家实收 − 服务费. */
function summaryAmounts(rows: readonly AlipayBillTradeRow[]): string[] {
  const receivedFen = sumFen(rows, 'receivedFen');
  const serviceFeeFen = sumFen(rows, 'serviceFeeFen');
  return [
    String(rows.filter((row) => row.kind === 'payment').length),
    String(rows.filter((row) => row.kind === 'refund').length),
    formatFen(sumFen(rows, 'orderFen')), formatFen(receivedFen), '0.00', '0.00', '0.00',
    formatFen(serviceFeeFen), '0.00', formatFen(receivedFen - serviceFeeFen),
  ];
}

function periodLines(input: AlipayBillInput): string[] {
  const start = formatBeijingChineseDateTime(input.dayStartMs);
  const end = formatBeijingChineseDateTime(input.dayStartMs + dayMs); // Beijing has no daylight saving
  return [`#账号：[${alipayBillAccount(input.accountId)}]`, `#起始日期：[${start}]   终止日期：[${end}]`];
}

function exportLine(input: AlipayBillInput): string {
  return `#导出时间：[${formatBeijingChineseDateTime(input.exportedAtMs)}]`;
}

function marker(dashesBefore: number, title: string, dashesAfter: number): string {
  return `#${'-'.repeat(dashesBefore)}${title}${'-'.repeat(dashesAfter)}`;
}

function tabbed(value: string): string {
  return `${value}\t`;
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',');
}

function sumFen(rows: readonly AlipayBillTradeRow[], field: 'orderFen' | 'receivedFen' | 'serviceFeeFen'): number {
  return rows.reduce((total, row) => total + row[field], 0);
}

function assertBillInput(input: AlipayBillInput): void {
  const fail = (why: string): never => {
    throw new RangeError(`cannot build the Alipay bill for ${input.billDate}: ${why}`);
  };
  if (!/^\d{16}$/.test(input.accountId)) fail(`accountId must be the 16-digit PID, got "${input.accountId}"`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.billDate) || parseBeijingDateTime(input.billDate) !== input.dayStartMs) {
    fail(`billDate must be yyyy-MM-dd and dayStartMs its Beijing midnight, got dayStartMs ${input.dayStartMs}`);
  }
  if (!Number.isSafeInteger(input.exportedAtMs)) fail(`exportedAtMs must be epoch ms, got ${input.exportedAtMs}`);
  if (input.rows.length > alipayBillRowsMax) fail(`${input.rows.length} rows exceed ${alipayBillRowsMax}`);
  for (const row of input.rows) {
    const where = `row ${row.kind} ${row.tradeNo}`;
    for (const field of ['orderFen', 'receivedFen', 'serviceFeeFen', 'createdAtMs', 'finishedAtMs'] as const) {
      if (!Number.isSafeInteger(row[field])) fail(`${where}: ${field} must be an integer, got ${row[field]}`);
    }
    if (row.kind === 'payment' && row.receivedFen < 0) fail(`${where}: a payment cannot have a negative receivedFen`);
    if (row.kind === 'payment' && row.outRequestNo !== undefined) fail(`${where}: a payment has no outRequestNo`);
    if (row.kind === 'refund' && row.receivedFen > 0) fail(`${where}: a refund's receivedFen must be negative`);
    if (row.kind === 'refund' && !row.outRequestNo) fail(`${where}: a refund needs its outRequestNo`);
  }
}
