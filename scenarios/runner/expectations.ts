// A scenario's own `expect`, judged against the observation: every outcome that can go either way is a
// named result (a check that should fire and did not is as much a failure as one that fired unasked).
import { yuanToFen } from '../../lib/money.ts';
import type { CheckExpectation, Scenario } from '../define.ts';
import { invariantNames } from '../invariants/names.ts';
import type { NamedResult } from '../report/types.ts';
import type { Labels } from './labels.ts';
import type { Observation } from './observe.ts';
import type { CheckSnapshot, StepRecord } from './steps.ts';

export interface Judged {
  readonly expectations: NamedResult[];
  /** Invariants after the scenario's own expectation of them: a broken one it expected is not a failure. */
  readonly invariantFailures: string[];
  readonly checkFailures: string[];
}

const describeStep = (record: StepRecord) => {
  const step = record.step as unknown as Record<string, unknown>;
  const subject = step.order ?? step.refund ?? step.name ?? step.by ?? step.day ?? step.answers ?? '';
  return `step ${record.index + 1} ${record.step.step}${subject ? ` ${String(subject)}` : ''}`;
};

function judgeChecks(prefix: string, observed: readonly { name: string; passed: boolean; findings?: readonly { subject: string; detail: string }[] }[], expected: Readonly<Record<string, CheckExpectation>>, all: boolean): NamedResult[] {
  const results: NamedResult[] = [];
  const known = new Set(observed.map((check) => check.name));
  for (const name of Object.keys(expected)) {
    if (!known.has(name)) results.push({ name: `${prefix}check ${name} ${expected[name]}`, passed: false, detail: `the core has no check ${name}; it has ${[...known].join(', ')}` });
  }
  for (const check of observed) {
    const want = expected[check.name] ?? (all ? 'holds' : undefined);
    if (want === undefined) continue;
    const fired = !check.passed;
    const passed = want === 'fires' ? fired : !fired;
    const findings = check.findings?.slice(0, 3).map((finding) => `${finding.subject}: ${finding.detail}`).join('; ');
    results.push({ name: `${prefix}check ${check.name} ${want}`, passed, ...(passed ? {} : { detail: fired ? `it fired: ${findings ?? ''}` : 'it held' }) });
  }
  return results;
}

export function judge(input: {
  readonly scenario: Scenario;
  readonly observation: Observation;
  readonly invariants: readonly NamedResult[];
  readonly steps: readonly StepRecord[];
  readonly checkpoints: readonly CheckSnapshot[];
  readonly faults: readonly { readonly type: string; readonly fired: number }[];
  readonly labels: Labels;
}): Judged {
  const { scenario, observation, labels } = input;
  const expect = scenario.expect;
  const results: NamedResult[] = [];
  const add = (name: string, passed: boolean, detail?: string) => results.push({ name, passed, ...(passed || detail === undefined ? {} : { detail }) });

  for (const record of input.steps) if (record.problem) add(describeStep(record), false, record.problem);

  for (const [label, want] of Object.entries(expect.orders ?? {})) {
    const view = observation.orders.find((order) => order.label === label)?.view;
    if (!view) {
      add(`order ${label}`, false, 'the order was never created');
      continue;
    }
    if (want.status !== undefined) add(`order ${label} is ${want.status}`, view.status === want.status, `it is ${view.status}`);
    if (want.paidAmount !== undefined) add(`order ${label} paid ${want.paidAmount}`, yuanToFen(view.paidAmount) === yuanToFen(want.paidAmount), `paid ${view.paidAmount}`);
    if (want.refundedAmount !== undefined) add(`order ${label} refunded ${want.refundedAmount}`, yuanToFen(view.refundedAmount) === yuanToFen(want.refundedAmount), `refunded ${view.refundedAmount}`);
    if (want.payments !== undefined) add(`order ${label} has ${want.payments} payments`, view.payments.length === want.payments, `it has ${view.payments.length}`);
    for (const kind of want.alerts ?? []) {
      const kinds = view.payments.flatMap((payment) => payment.alerts.map((alert) => alert.kind));
      add(`order ${label} raised alert ${kind}`, kinds.includes(kind), `its alerts: ${kinds.join(', ') || 'none'}`);
    }
    if (want.automaticRefunds !== undefined) {
      const automatic = view.refunds.filter((refund) => refund.kind !== 'merchant').length;
      add(`order ${label} has ${want.automaticRefunds} automatic refunds`, automatic === want.automaticRefunds, `it has ${automatic}`);
    }
  }

  for (const [label, want] of Object.entries(expect.refunds ?? {})) {
    const refundNo = labels.refundNo(label);
    const refund = observation.orders.flatMap((order) => order.view.refunds).find((candidate) => candidate.refundNo === refundNo);
    if (!refund) add(`refund ${label}`, false, 'the refund was never created');
    else if (want.status !== undefined) add(`refund ${label} is ${want.status}`, refund.status === want.status, `it is ${refund.status}`);
  }

  for (const [type, count] of Object.entries(expect.businessNotifications ?? {})) {
    const ids = new Set(observation.deliveries.filter((delivery) => delivery.type === type && delivery.answered === 'success').map((delivery) => delivery.id));
    add(`business system acknowledged ${count} ${type}`, ids.size === count, `it acknowledged ${ids.size}`);
  }

  for (const [billDate, want] of Object.entries(expect.reconciliations ?? {})) {
    const run = observation.reconciliations.find((candidate) => candidate.billDate === billDate);
    if (!run) {
      add(`reconciliation of ${billDate}`, false, 'the day was never reconciled');
      continue;
    }
    if (want.status !== undefined) add(`reconciliation of ${billDate} is ${want.status}`, run.status === want.status, `it is ${run.status}`);
    for (const [category, count] of Object.entries(want.counts ?? {})) {
      add(`reconciliation of ${billDate} has ${count} ${category}`, (run.counts[category] ?? 0) === count, `it has ${run.counts[category] ?? 0}`);
    }
  }

  for (const [name, wanted] of Object.entries(expect.checkpoints ?? {})) {
    const snapshot = input.checkpoints.find((candidate) => candidate.name === name);
    if (!snapshot) add(`checkpoint ${name}`, false, 'no checkpoint step of this name ran');
    else results.push(...judgeChecks(`at ${name}: `, snapshot.checks, wanted, false));
  }

  const finalChecks = judgeChecks('', observation.checks, expect.checks ?? {}, true);
  results.push(...finalChecks);

  if (expect.faultsFire !== false) {
    for (const [index, fault] of input.faults.entries()) add(`fault ${index + 1} (${fault.type}) fired`, fault.fired > 0, 'it never fired: the scenario does not exercise it');
  }

  const invariantFailures: string[] = [];
  for (const invariant of input.invariants) {
    const want = expect.invariants?.[invariant.name as (typeof invariantNames)[number]] ?? 'holds';
    if (want === 'breaks') add(`invariant ${invariant.name} breaks`, !invariant.passed, 'it held');
    else if (!invariant.passed) invariantFailures.push(`invariant ${invariant.name} broke: ${invariant.detail ?? ''}`);
  }
  for (const name of Object.keys(expect.invariants ?? {})) {
    if (!invariantNames.includes(name as (typeof invariantNames)[number])) add(`invariant ${name}`, false, `no such invariant; invariants: ${invariantNames.join(', ')}`);
  }
  const checkFailures = finalChecks.filter((result) => !result.passed).map((result) => `${result.name}: ${result.detail ?? ''}`);
  return { expectations: results, invariantFailures, checkFailures };
}
