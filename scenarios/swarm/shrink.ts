// Shrinks a failing case: drop fault rules one at a time, then whole orders, then single steps, keeping
// each removal while the same invariant still breaks. Greedy and bounded: the result is a local minimum
// (no single rule or step can go), small enough to read and to add to the catalogue.
import { ScenarioDefinitionError, type CoreUnderTest, type Step } from '../define.ts';
import type { SwarmCase } from './generate.ts';
import { runCase, type CaseResult } from './run-case.ts';

export interface Shrunk {
  readonly swarmCase: SwarmCase;
  readonly result: CaseResult;
  readonly runs: number;
}

const runsMax = 80;

/** The order a step acts on, looking inside a crash at the step it interrupts. */
const orderOf = (step: Step): string | undefined => {
  const acting = step.step === 'coreCrashes' ? step.during : step;
  return 'order' in acting ? acting.order : undefined;
};

/** Steps of the orders other than `label` (a step without an order, like advance, stays). */
const without = (steps: readonly Step[], label: string) => steps.filter((step) => orderOf(step) !== label);

export async function shrink(failing: SwarmCase, failed: CaseResult, core?: CoreUnderTest): Promise<Shrunk> {
  let best = failing;
  let bestResult = failed;
  let runs = 0;
  const stillFails = async (candidate: SwarmCase) => {
    if (runs >= runsMax) return false;
    runs += 1;
    let result: CaseResult;
    try {
      result = await runCase(candidate, core);
    } catch (error) {
      // A candidate the scenario language refuses is no smaller case of this failure.
      if (error instanceof ScenarioDefinitionError) return false;
      throw error;
    }
    if (!result.passed && result.invariant === failed.invariant) {
      best = candidate;
      bestResult = result;
      return true;
    }
    return false;
  };
  for (let index = best.faults.length - 1; index >= 0; index--) {
    await stillFails({ ...best, faults: best.faults.filter((_, other) => other !== index) });
  }
  const labels = [...new Set(best.steps.flatMap((step) => (step.step === 'createOrder' ? [step.order] : [])))];
  for (const label of labels) if (labels.length > 1) await stillFails({ ...best, steps: without(best.steps, label) });
  for (let index = best.steps.length - 1; index >= 0; index--) {
    const step = best.steps[index]!;
    if (step.step === 'createOrder' || best.steps.length === 1) continue;
    await stillFails({ ...best, steps: best.steps.filter((_, other) => other !== index) });
  }
  return { swarmCase: best, result: bestResult, runs };
}
