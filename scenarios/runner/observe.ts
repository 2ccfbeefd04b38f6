// What is true at the end of a run, read over HTTP from both sides (the core's orders, checks and
// reconciliations; the channel's trades, refunds and fault counts), plus the core's ledger, which has
// no API. Invariants and expectations are pure functions of this.
import type { JournalEntry } from '../../core/domain/index.ts';
import type { Delivery } from '../harness/business-system.ts';
import { call } from '../harness/http.ts';
import type { CrashRecord } from './crash.ts';
import type { Labels } from './labels.ts';

export interface OrderView {
  readonly orderNo: string;
  readonly status: string;
  readonly amount: string;
  readonly paidAmount: string;
  readonly refundedAmount: string;
  readonly paidPaymentNo?: string;
  readonly payments: readonly { readonly paymentNo: string; readonly status: string; readonly amount: string; readonly alerts: readonly { readonly kind: string }[] }[];
  readonly refunds: readonly { readonly refundNo: string; readonly paymentNo: string; readonly outRefundNo: string; readonly kind: string; readonly status: string; readonly amount: string }[];
}

export interface ChannelTrade {
  readonly outTradeNo: string;
  readonly amountFen: number;
  readonly refundedFen: number;
  readonly refundAcceptedFen: number;
  readonly state: { readonly kind: string; readonly paidAtMs?: number };
}

export interface ChannelRefund {
  readonly outTradeNo: string;
  readonly outRequestNo: string;
  readonly amountFen: number;
  readonly state: { readonly kind: string };
}

export interface ReconciliationView {
  readonly id: string;
  readonly billDate: string;
  readonly ranAt: string;
  readonly status: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly mismatches: readonly { readonly category: string; readonly handling: string; readonly detail: string; readonly paymentNo?: string }[];
}

export interface Observation {
  readonly orders: readonly { readonly label: string; readonly view: OrderView }[];
  readonly trades: readonly ChannelTrade[];
  readonly channelRefunds: readonly ChannelRefund[];
  readonly checks: readonly { readonly name: string; readonly passed: boolean; readonly findings: readonly { subject: string; detail: string }[] }[];
  /** The latest run of each bill day; empty when the core has no reconciliation. */
  readonly reconciliations: readonly ReconciliationView[];
  readonly ledger: readonly JournalEntry[] | undefined;
  readonly deliveries: readonly Delivery[];
  /** Labels of work still scheduled that is not recurring. */
  readonly pendingWork: readonly string[];
  /** Each crash of the core, and what it had acknowledged that the restarted core did not hold. */
  readonly crashes: readonly CrashRecord[];
}

async function ok<T>(method: string, url: string, body?: unknown): Promise<T> {
  const answer = await call<T>(method, url, body);
  if (answer.status !== 200) throw new Error(`${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
  return answer.body;
}

export async function observe(input: {
  /** The scenario's channel: a core reconciles every channel it has, and the scenario judges its own. */
  readonly channel: string;
  readonly coreUrl: string;
  readonly simulatorUrl: string;
  readonly labels: Labels;
  readonly ledger: (() => readonly JournalEntry[]) | undefined;
  readonly deliveries: readonly Delivery[];
  readonly pendingWork: readonly string[];
  readonly crashes: readonly CrashRecord[];
}): Promise<Observation> {
  const orders = [];
  for (const [label, orderNo] of input.labels.orderLabels()) orders.push({ label, view: await ok<OrderView>('GET', `${input.coreUrl}/api/orders/${orderNo}`) });
  const checks = (await ok<{ checks: Observation['checks'] }>('POST', `${input.coreUrl}/api/checks/run`, {})).checks;
  const reconciliationAnswer = await call<{ reconciliations: ReconciliationView[] }>('GET', `${input.coreUrl}/api/reconciliations?channel=${encodeURIComponent(input.channel)}`);
  const runs = reconciliationAnswer.status === 200 ? reconciliationAnswer.body.reconciliations : [];
  // The latest run per bill day: list order is the core's, so keep the last one seen of each day.
  const latest = new Map<string, ReconciliationView>();
  for (const run of [...runs].sort((a, b) => (a.ranAt < b.ranAt ? -1 : a.ranAt > b.ranAt ? 1 : 0))) latest.set(run.billDate, run);
  return {
    orders,
    trades: await ok<ChannelTrade[]>('GET', `${input.simulatorUrl}/_sim/trades`),
    channelRefunds: await ok<ChannelRefund[]>('GET', `${input.simulatorUrl}/_sim/refunds`),
    checks,
    reconciliations: [...latest.values()],
    ledger: input.ledger?.(),
    deliveries: input.deliveries,
    pendingWork: input.pendingWork,
    crashes: input.crashes,
  };
}
