// The scenario language: what a QA engineer writes. A scenario names the rule of payments it guards
// (`why`, citing the seed articles), the channel faults it switches on, the business steps it takes and
// what must be true afterwards. Steps speak the business's language and are carried out only through
// the core's HTTP API and the simulator's buyer API, so another core could be driven the same way.
import type { CoreConfigInput } from '../core/config.ts';
import type { ComponentFactories } from '../core/services/components.ts';
import type { Fault, FaultMatch } from '../simulator/faults/rule.ts';
import type { InvariantName } from './invariants/names.ts';

/** A length of time: ms as a number, or `90s`, `15m`, `2h`, `3d`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/** A fault rule as a scenario writes it: `match.channel` defaults to the scenario's channel. */
export interface ScenarioFault {
  readonly match?: FaultMatch;
  readonly fault: Fault;
  readonly timesMax?: number;
}

/** What the business system's webhook receiver answers the core's notifications. */
export type BusinessSystemMode = 'success' | 'down' | 'wrongBody';

export type BuyerOutcome = 'success' | 'insufficient' | 'cancel';

/**
 * One thing the business system, the buyer or time does. `order`, `payment` and `refund` are labels the
 * scenario chooses ("A", "A-page", "R1"); the runner maps them to the numbers the core hands out.
 * `expectCode` says the step is meant to be refused with that error code (otherwise a refusal fails it).
 */
export type Step =
  /** The business system creates an order: POST /api/orders. */
  | { readonly step: 'createOrder'; readonly order: string; readonly amount: string; readonly subject?: string; readonly expireInSec?: number; readonly expectCode?: string }
  /** The buyer picks a pay method at the business's cashier: POST /api/orders/:no/pay (default: the channel's QR method). */
  | { readonly step: 'pay'; readonly order: string; readonly method?: string; readonly payment?: string; readonly expectCode?: string }
  /** The buyer opens the pay URL or QR code in a browser (the channel then knows the trade): GET of that link. */
  | { readonly step: 'buyerOpens'; readonly order: string; readonly payment?: string; readonly expectCode?: string }
  /** The buyer pays (or fails to) at the channel's cashier: POST /_sim/buyer/pay; default the order's latest payment. */
  | { readonly step: 'buyerPays'; readonly order: string; readonly payment?: string; readonly outcome?: BuyerOutcome; readonly expectCode?: string }
  /** The buyer's browser comes back on the core's return URL (after paying, cancelling, or by typing it): GET /return/:channel. */
  | { readonly step: 'buyerReturns'; readonly order: string; readonly payment?: string; readonly expectCode?: string }
  /** The business system sends several refunds of one order at the same moment (a double click, two operators). */
  | { readonly step: 'refundsAtOnce'; readonly order: string; readonly refunds: readonly { readonly refund: string; readonly amount: string }[] }
  /** The business system closes an unpaid order: POST /api/orders/:no/close. */
  | { readonly step: 'close'; readonly order: string; readonly expectCode?: string }
  /** The business system refunds part or all of an order: POST /api/orders/:no/refunds. */
  | { readonly step: 'refund'; readonly order: string; readonly refund: string; readonly amount: string; readonly reason?: string; readonly expectCode?: string }
  /** Time passes on the shared virtual clock; everything that falls due runs, in order. */
  | { readonly step: 'advance'; readonly by: Duration }
  /** Runs the core's reconciliation of a bill day: POST /api/reconciliations ('yesterday' is the day before now). */
  | { readonly step: 'reconcile'; readonly day?: 'yesterday' | `${number}-${number}-${number}`; readonly rerun?: boolean; readonly expectCode?: string }
  /** The business system's webhook starts answering this way. */
  | { readonly step: 'businessSystem'; readonly answers: BusinessSystemMode }
  /** The business system's operator resends every notification waiting in the core's manual queue. */
  | { readonly step: 'resendManualQueue' }
  /** Records the core's loss-prevention checks now, for `expect.checkpoints[name]`. */
  | { readonly step: 'checkpoint'; readonly name: string }
  /**
   * The core's process dies in the middle of `during`: its disk stops making writes durable, `during`
   * runs (the buyer pays and the notification arrives, a refund is asked for), then the process dies,
   * losing every write not yet durable, and a new one starts on the same port from what was. Whatever the
   * core acknowledged to the channel before it died must still be there (invariant acknowledgedSurvivesCrash).
   */
  | { readonly step: 'coreCrashes'; readonly during: Step };

export type StepName = Step['step'];

/** A check or invariant either holds or, in a scenario built to provoke it, fires (breaks). */
export type CheckExpectation = 'holds' | 'fires';
export type InvariantExpectation = 'holds' | 'breaks';

export type OrderStatus = 'CREATED' | 'PAYING' | 'PAID' | 'CLOSED';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED';
export type BusinessNotificationType = 'order.paid' | 'order.closed' | 'refund.succeeded' | 'refund.failed' | 'payment.refunded_after_close';

export interface OrderExpectation {
  readonly status?: OrderStatus;
  readonly paidAmount?: string;
  readonly refundedAmount?: string;
  /** How many payments the order has. */
  readonly payments?: number;
  /** Alert kinds that must be on the order's payments (e.g. `notify.amountMismatch`). */
  readonly alerts?: readonly string[];
  /** Refund kinds the core made on its own (`afterClose`, `secondPayment` …), each at least once. */
  readonly automaticRefunds?: number;
}

export interface ReconciliationExpectation {
  readonly status?: 'MATCHED' | 'MISMATCHED' | 'BILL_NOT_READY' | 'FAILED';
  readonly counts?: Partial<Record<'CHANNEL_ONLY' | 'LOCAL_ONLY' | 'STATUS_MISMATCH' | 'AMOUNT_MISMATCH' | 'FEE_MISMATCH' | 'DUPLICATE', number>>;
}

/**
 * What must be true at the end. Checks and invariants not named must hold; name one `fires` / `breaks`
 * only in a scenario built to provoke it. Every fault rule must have fired at least once unless
 * `faultsFire` is false.
 */
export interface Expectations {
  readonly orders?: Readonly<Record<string, OrderExpectation>>;
  readonly refunds?: Readonly<Record<string, { readonly status?: RefundStatus }>>;
  readonly checks?: Readonly<Record<string, CheckExpectation>>;
  /** Checks at a `checkpoint` step, by its name; checks not named there are not judged at that point. */
  readonly checkpoints?: Readonly<Record<string, Readonly<Record<string, CheckExpectation>>>>;
  readonly invariants?: Partial<Readonly<Record<InvariantName, InvariantExpectation>>>;
  /** Distinct business-system notifications delivered, by type (a resent id counts once). */
  readonly businessNotifications?: Partial<Readonly<Record<BusinessNotificationType, number>>>;
  /** The latest reconciliation of a bill day (yyyy-MM-dd, Beijing), by day. */
  readonly reconciliations?: Readonly<Record<string, ReconciliationExpectation>>;
  readonly faultsFire?: boolean;
}

/** A deliberately different core for this scenario: configuration, or a component swapped for a broken one. */
export interface CoreUnderTest {
  readonly config?: CoreConfigInput;
  readonly components?: Partial<ComponentFactories>;
}

export interface Scenario {
  /** kebab-case, unique in the catalogue: `paysim scenario run NAME`. */
  readonly name: string;
  readonly title: string;
  /** The rule of payments this scenario guards, citing the seed article it comes from. */
  readonly why: string;
  readonly channel: string;
  readonly seed?: number;
  readonly faults: readonly ScenarioFault[];
  readonly steps: readonly Step[];
  readonly expect: Expectations;
  readonly core?: CoreUnderTest;
  /**
   * The simulator's magic values act during chaos: an amount from 4000.00 to 4999.99 or a subject tag
   * `[paysim:<fault>]` selects its fault, as in `paysim sim`. Off by default, so that an amount is only an amount.
   */
  readonly magic?: boolean;
}

const namePattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Declares a scenario; checks what can be checked before it runs, so a mistake is named at load time. */
export function defineScenario(scenario: Scenario): Scenario {
  const problems: string[] = [];
  if (!namePattern.test(scenario.name)) problems.push(`name must be kebab-case (a-z, 0-9, -), got ${JSON.stringify(scenario.name)}`);
  if (!scenario.title?.trim()) problems.push('title is empty: say in one line what happens');
  if (!scenario.why?.trim()) problems.push('why is empty: cite the rule of payments it guards');
  if (!scenario.channel?.trim()) problems.push('channel is empty');
  if (scenario.magic !== undefined && typeof scenario.magic !== 'boolean') problems.push(`magic must be true or false, got ${JSON.stringify(scenario.magic)}`);
  if (!Array.isArray(scenario.faults)) problems.push('faults must be an array of fault rules (may be empty)');
  if (!Array.isArray(scenario.steps) || scenario.steps.length === 0) problems.push('steps must list at least one step');
  const orders = new Set<string>();
  for (const [index, outer] of (scenario.steps ?? []).entries()) {
    const step = outer.step === 'coreCrashes' ? outer.during : outer;
    const what = outer.step === 'coreCrashes' ? `coreCrashes during ${step?.step}` : step.step;
    if (outer.step === 'coreCrashes' && (typeof step !== 'object' || step === null || typeof step.step !== 'string')) {
      problems.push(`step ${index + 1} (coreCrashes) needs \`during\`: the step the crash interrupts, e.g. { step: 'buyerPays', order: 'A' }`);
      continue;
    }
    if (step.step === 'coreCrashes') {
      problems.push(`step ${index + 1} (coreCrashes) crashes during another coreCrashes: one crash at a time`);
      continue;
    }
    if (step.step === 'createOrder') orders.add(step.order);
    if ('order' in step && step.step !== 'createOrder' && !orders.has(step.order)) {
      problems.push(`step ${index + 1} (${what}) names order ${JSON.stringify(step.order)} before a createOrder step creates it`);
    }
  }
  for (const label of Object.keys(scenario.expect?.orders ?? {})) {
    if (!orders.has(label)) problems.push(`expect.orders names ${JSON.stringify(label)}, which no createOrder step creates`);
  }
  if (problems.length > 0) throw new ScenarioDefinitionError(`scenario ${scenario.name}: ${problems.join('; ')}`);
  return scenario;
}

export class ScenarioDefinitionError extends Error {
  override readonly name = 'ScenarioDefinitionError';
}

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A Duration in ms; throws naming the value when it is not one. */
export function durationMs(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) throw new RangeError(`a duration must be 0 or more ms, got ${duration}`);
    return duration;
  }
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new RangeError(`a duration is a number of ms or like 90s, 15m, 2h, 3d; got ${JSON.stringify(duration)}`);
  return Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
}
