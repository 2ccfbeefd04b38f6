// The report as the API and `paysim reconcile --json` show it: amounts as yuan strings, times as
// Beijing ISO strings, the shape fixed by the public surface.
import { formatFen } from '../../lib/money.ts';
import { formatBeijingDateTime } from '../../lib/time-format.ts';
import type { Mismatch, ReconciliationReport, Side } from './types.ts';

const sideView = (side: Side) => ({ status: side.status, amount: formatFen(side.amountFen), ...(side.feeFen !== undefined ? { fee: formatFen(side.feeFen) } : {}) });

function mismatchView(mismatch: Mismatch) {
  return {
    category: mismatch.category,
    kind: mismatch.kind,
    paymentNo: mismatch.paymentNo,
    ...(mismatch.refundNo !== undefined ? { refundNo: mismatch.refundNo } : {}),
    ...(mismatch.channelTradeNo !== undefined ? { channelTradeNo: mismatch.channelTradeNo } : {}),
    ...(mismatch.local ? { local: sideView(mismatch.local) } : {}),
    ...(mismatch.channel ? { channel: sideView(mismatch.channel) } : {}),
    handling: mismatch.handling,
    detail: mismatch.detail,
  };
}

export function reportView(report: ReconciliationReport) {
  return {
    id: report.id,
    channel: report.channel,
    billDate: report.billDate,
    status: report.status,
    ...(report.reason !== undefined ? { reason: report.reason } : {}),
    ranAt: `${formatBeijingDateTime(report.ranAtMs).replace(' ', 'T')}+08:00`,
    ...(report.rerunOf !== undefined ? { rerunOf: report.rerunOf, changes: report.changes ?? [] } : {}),
    billRows: report.billRows,
    localRecords: report.localRecords,
    matched: report.matched,
    counts: report.counts,
    totals: { channelNet: formatFen(report.totals.channelNetFen), localNet: formatFen(report.totals.localNetFen), fees: formatFen(report.totals.feesFen) },
    mismatches: report.mismatches.map(mismatchView),
  };
}

export type ReportView = ReturnType<typeof reportView>;
