// The reconciliation report as `paysim reconcile` prints it by default: a heading, the totals, and one
// line per mismatch with both sides and its handling, then what to do.
import type { ReportView } from '../../core/recon/view.ts';

const width = (text: string, size: number) => (text.length > size ? `${text.slice(0, size - 1)}…` : text.padEnd(size));
const side = (value: { status: string; amount: string } | undefined) => (value ? `${value.status} ${value.amount}` : '-');

export function reportTable(report: ReportView): string {
  const lines = [
    `${report.channel} ${report.billDate}  ${report.status}  (run ${report.id}, ${report.ranAt})`,
  ];
  if (report.reason) lines.push(`  ${report.reason}`);
  if (report.status === 'MATCHED' || report.status === 'MISMATCHED') {
    lines.push(
      `  bill rows ${report.billRows}, local records ${report.localRecords}, matched ${report.matched}`,
      `  channel net ${report.totals.channelNet}, local net ${report.totals.localNet}, fees ${report.totals.fees}`,
    );
    const counted = Object.entries(report.counts).filter(([, count]) => count > 0);
    if (counted.length > 0) lines.push(`  ${counted.map(([category, count]) => `${category} ${count}`).join(', ')}`);
  }
  if (report.changes) lines.push(`  since ${report.rerunOf}: ${report.changes.join('; ')}`);
  if (report.mismatches.length > 0) {
    lines.push('', `  ${width('CATEGORY', 16)} ${width('KIND', 8)} ${width('NUMBER', 28)} ${width('LOCAL', 18)} ${width('CHANNEL', 18)} ${width('HANDLING', 10)} DETAIL`);
    for (const mismatch of report.mismatches) {
      lines.push(
        `  ${width(mismatch.category, 16)} ${width(mismatch.kind, 8)} ${width(mismatch.refundNo ?? mismatch.paymentNo, 28)} ${width(side(mismatch.local), 18)} ${width(side(mismatch.channel), 18)} ${width(mismatch.handling, 10)} ${mismatch.detail}`,
      );
    }
    const manual = report.mismatches.filter((mismatch) => mismatch.handling === 'MANUAL').length;
    const aging = report.mismatches.filter((mismatch) => mismatch.handling === 'AGING').length;
    lines.push('');
    if (manual > 0) lines.push(`  ${manual} need a person: see each DETAIL; once resolved, run again with --rerun to see what changed.`);
    if (aging > 0) lines.push(`  ${aging} aging: bills lag, so these wait before they count; --rerun later shows them matched or due for a person.`);
  }
  return `${lines.join('\n')}\n`;
}
