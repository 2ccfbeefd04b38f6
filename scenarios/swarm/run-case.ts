// Runs one swarm case through the scenario runner (same phases, same invariants) and judges it by the
// invariants alone: a random workload is refused often (a refund of an unpaid order), which is fine; a
// broken invariant, or a run that could not be carried out, is a failure. Also reports what was reached.
import { defineScenario, type Scenario } from '../define.ts';
import type { CoreUnderTest } from '../define.ts';
import { runScenario } from '../runner/run.ts';
import { isMagicFiring } from '../runner/journal-timeline.ts';
import type { Observation } from '../runner/observe.ts';
import type { SwarmCase } from './generate.ts';
import { outcomesOf } from './reach.ts';

export interface CaseResult {
  readonly seed: number;
  readonly passed: boolean;
  /** The first invariant that broke (or `run` when the case could not run). */
  readonly invariant?: string;
  readonly detail?: string;
  readonly traceHash: string;
  /** Fault type → how many times its rules fired. */
  readonly faultsFired: Record<string, number>;
  /** Outcome name → how many times it was reached. */
  readonly outcomes: Record<string, number>;
}

/**
 * Payments the core's reconciliation left for a person: a MANUAL mismatch naming the payment on the latest
 * run of its day. A channel success the core missed (every notify lost, the trade closed when it asked)
 * whose bill row a fault misstated is such a case (late-success-hidden-by-bill): the money is not lost, it
 * is on the manual queue, which is where a payments team wants a contradiction it cannot settle by rule.
 */
function onManualQueue(observation: Observation): Set<string> {
  const named = new Set<string>();
  for (const run of observation.reconciliations) {
    for (const mismatch of run.mismatches) if (mismatch.handling === 'MANUAL' && mismatch.paymentNo) named.add(mismatch.paymentNo);
  }
  return named;
}

/** Whether every trade channelSuccessEndsAsOnePaidOrder names ("… fen on T, yet …", "… fen on trade T, which …") is escalated; a detail cut short ("; and N more") never is. */
function everyTradeEscalated(detail: string, escalated: ReadonlySet<string>): boolean {
  if (/; and \d+ more$/.test(detail)) return false;
  const trades = [...detail.matchAll(/ fen on (?:trade )?([^\s,]+)/g)].map((match) => match[1]!);
  return trades.length > 0 && trades.every((trade) => escalated.has(trade));
}

export function caseScenario(swarmCase: SwarmCase, name = `swarm-${swarmCase.seed}`): Scenario {
  return defineScenario({
    name,
    title: `Swarm seed ${swarmCase.seed}`,
    why: 'Found by paysim swarm: a random workload and fault mix that breaks an invariant of DESIGN.md.',
    channel: swarmCase.channel ?? 'alipay',
    seed: swarmCase.seed,
    faults: swarmCase.faults,
    steps: swarmCase.steps,
    expect: { faultsFire: false },
    ...(swarmCase.magic ? { magic: true } : {}),
  });
}

export async function runCase(swarmCase: SwarmCase, core?: CoreUnderTest): Promise<CaseResult> {
  let observation: Observation | undefined;
  const result = await runScenario(caseScenario(swarmCase), { ...(core ? { core } : {}), scenarioChannelOnly: true, onObservation: (seen) => (observation = seen) });
  const faultsFired: Record<string, number> = {};
  for (const fault of result.faults) if (fault.fired > 0) faultsFired[fault.type] = (faultsFired[fault.type] ?? 0) + fault.fired;
  // A magic amount's faults fire without a rule: the timeline marks them "(magic amount.NN)".
  const magicFirings = result.timeline.filter(isMagicFiring);
  for (const entry of magicFirings) faultsFired[entry.fault!] = (faultsFired[entry.fault!] ?? 0) + 1;
  const outcomes = observation ? outcomesOf(observation, result.timeline) : {};
  if (magicFirings.length > 0) outcomes['magic amount fired'] = magicFirings.length;
  // A bill that differs from the books leaves the difference for a person, by design (the catalogue's bill-*
  // scenarios expect ledgerMatchesBill to break): only bill_not_ready, which a retry heals, keeps it judged.
  const billDiffered = Object.keys(faultsFired).some((type) => type.startsWith('bill_') && type !== 'bill_not_ready');
  const escalated = billDiffered && observation ? onManualQueue(observation) : new Set<string>();
  const broken = result.invariants.find((invariant) => {
    if (invariant.passed) return false;
    if (billDiffered && invariant.name === 'ledgerMatchesBill') return false;
    if (invariant.name === 'channelSuccessEndsAsOnePaidOrder' && escalated.size > 0) return !everyTradeEscalated(invariant.detail ?? '', escalated);
    return true;
  });
  const couldNotRun = result.traceHash === '' ? result.failures[0] : undefined;
  const base = { seed: swarmCase.seed, traceHash: result.traceHash, faultsFired, outcomes };
  if (couldNotRun) return { ...base, passed: false, invariant: 'run', detail: couldNotRun };
  if (broken) return { ...base, passed: false, invariant: broken.name, detail: broken.detail ?? '' };
  return { ...base, passed: true };
}
