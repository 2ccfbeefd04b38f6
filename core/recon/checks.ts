// Reconciliation's two loss-prevention checks (资损防控): two-way consistency with each channel (every
// day's latest run left nothing for a person, and nothing waited past its aging), and the sum check of
// the ledger's channel clearing account against each reconciled day's bill net total.
import { formatFen } from '../../lib/money.ts';
import type { Store } from '../../lib/store/index.ts';
import { formatBeijingDate } from '../../lib/time-format.ts';
import type { Finding, JournalEntry } from '../domain/index.ts';
import { collections } from '../services/records.ts';
import { poolCollection, type PoolEntry } from './pool.ts';
import { daysCollection, reportsCollection, type ReconciliationDay } from './service.ts';
import { netFen, type ReconciliationReport } from './types.ts';

export interface ReconciliationCheckResult {
  readonly name: 'twoWayConsistency' | 'clearingMatchesBill';
  readonly category: 'reconciliation';
  readonly passed: boolean;
  readonly findings: readonly Finding[];
}

export function reconciliationChecks(store: Store): ReconciliationCheckResult[] {
  const latest = store
    .all<ReconciliationDay>(daysCollection)
    .map((day) => store.get<ReconciliationReport>(reportsCollection, day.latestId))
    .filter((report): report is ReconciliationReport => report !== undefined);
  return [twoWayConsistency(store, latest), clearingMatchesBill(store, latest)];
}

function result(name: ReconciliationCheckResult['name'], findings: Finding[]): ReconciliationCheckResult {
  return { name, category: 'reconciliation', passed: findings.length === 0, findings };
}

function twoWayConsistency(store: Store, latest: readonly ReconciliationReport[]): ReconciliationCheckResult {
  const findings: Finding[] = [];
  for (const report of latest) {
    const day = `${report.channel} ${report.billDate}`;
    if (report.status === 'FAILED' || report.status === 'BILL_NOT_READY') findings.push({ subject: `reconciliation:${report.id}`, detail: `${day} is not reconciled: ${report.reason ?? report.status}` });
    for (const mismatch of report.mismatches) {
      // A local-only record's fate is the pool's, below: it may have been matched late since.
      if (mismatch.handling !== 'MANUAL' || mismatch.category === 'LOCAL_ONLY') continue;
      findings.push({ subject: `${mismatch.kind}:${mismatch.refundNo ?? mismatch.paymentNo}`, detail: `${day} ${mismatch.category}: ${mismatch.detail}` });
    }
  }
  for (const entry of store.all<PoolEntry>(poolCollection)) {
    if (entry.handling !== 'MANUAL') continue;
    findings.push({ subject: `${entry.kind}:${entry.refundNo ?? entry.paymentNo}`, detail: `${entry.channel} ${entry.billDate} LOCAL_ONLY: in our books, in no bill after the aging days` });
  }
  return result('twoWayConsistency', findings);
}

/**
 * Each reconciled day: what the ledger moved through the channel's clearing account that day (with the
 * fixes booked for that day) must equal the bill's net, once the day's records still aging (bills lag)
 * are set aside.
 */
function clearingMatchesBill(store: Store, latest: readonly ReconciliationReport[]): ReconciliationCheckResult {
  const days = latest.filter((report) => report.status === 'MATCHED' || report.status === 'MISMATCHED');
  if (days.length === 0) return result('clearingMatchesBill', []);
  const wanted = new Set(days.map((report) => `${report.channel}|${report.billDate}`));
  const movedFen = new Map<string, number>();
  for (const entry of store.all<JournalEntry>(collections.ledger)) {
    const fixDay = entry.kind === 'reconciliationFix' ? /^recon:([a-z]+):(\d{4}-\d{2}-\d{2}):/.exec(entry.id) : null;
    for (const posting of entry.postings) {
      if (!posting.account.startsWith('channel_clearing:')) continue;
      const channel = posting.account.slice('channel_clearing:'.length);
      const key = fixDay ? `${fixDay[1]}|${fixDay[2]}` : `${channel}|${formatBeijingDate(entry.atMs)}`;
      if (!wanted.has(key)) continue;
      movedFen.set(key, (movedFen.get(key) ?? 0) + (posting.side === 'debit' ? posting.amountFen : -posting.amountFen));
    }
  }
  const findings: Finding[] = [];
  for (const report of days) {
    const key = `${report.channel}|${report.billDate}`;
    const agingFen = report.mismatches
      .filter((mismatch) => mismatch.category === 'LOCAL_ONLY' && mismatch.handling === 'AGING' && mismatch.local)
      .reduce((total, mismatch) => total + netFen({ kind: mismatch.kind, amountFen: mismatch.local!.amountFen, feeFen: mismatch.local!.feeFen ?? 0 }), 0);
    const ledgerFen = (movedFen.get(key) ?? 0) - agingFen;
    if (ledgerFen !== report.totals.channelNetFen) {
      findings.push({ subject: `reconciliation:${report.id}`, detail: `${report.channel} ${report.billDate}: the ledger's clearing account moved ${formatFen(ledgerFen)} (aging records aside), the bill's net is ${formatFen(report.totals.channelNetFen)}` });
    }
  }
  return result('clearingMatchesBill', findings);
}
