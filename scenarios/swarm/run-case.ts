// Runs one swarm case through the scenario runner (same phases, same invariants) and judges it by the
// invariants alone: a random workload is refused often (a refund of an unpaid order), which is fine; a
// broken invariant, or a run that could not be carried out, is a failure. Also reports what was reached.
import { defineScenario, type Scenario } from '../define.ts';
import type { CoreUnderTest } from '../define.ts';
import { runScenario } from '../runner/run.ts';
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

export function caseScenario(swarmCase: SwarmCase, name = `swarm-${swarmCase.seed}`): Scenario {
  return defineScenario({
    name,
    title: `Swarm seed ${swarmCase.seed}`,
    why: 'Found by paysim swarm: a random workload and fault mix that breaks an invariant of DESIGN.md.',
    channel: 'alipay',
    seed: swarmCase.seed,
    faults: swarmCase.faults,
    steps: swarmCase.steps,
    expect: { faultsFire: false },
  });
}

export async function runCase(swarmCase: SwarmCase, core?: CoreUnderTest): Promise<CaseResult> {
  let observation: Observation | undefined;
  const result = await runScenario(caseScenario(swarmCase), { ...(core ? { core } : {}), scenarioChannelOnly: true, onObservation: (seen) => (observation = seen) });
  const faultsFired: Record<string, number> = {};
  for (const fault of result.faults) if (fault.fired > 0) faultsFired[fault.type] = (faultsFired[fault.type] ?? 0) + fault.fired;
  const outcomes = observation ? outcomesOf(observation, result.timeline) : {};
  // A bill that differs from the books leaves the difference for a person, by design (the catalogue's bill-*
  // scenarios expect ledgerMatchesBill to break): only bill_not_ready, which a retry heals, keeps it judged.
  const billDiffered = Object.keys(faultsFired).some((type) => type.startsWith('bill_') && type !== 'bill_not_ready');
  const broken = result.invariants.find((invariant) => !invariant.passed && !(billDiffered && invariant.name === 'ledgerMatchesBill'));
  const couldNotRun = result.traceHash === '' ? result.failures[0] : undefined;
  const base = { seed: swarmCase.seed, traceHash: result.traceHash, faultsFired, outcomes };
  if (couldNotRun) return { ...base, passed: false, invariant: 'run', detail: couldNotRun };
  if (broken) return { ...base, passed: false, invariant: broken.name, detail: broken.detail ?? '' };
  return { ...base, passed: true };
}
