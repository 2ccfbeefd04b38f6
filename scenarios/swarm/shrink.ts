// Shrinks a failing case: drop fault rules one at a time, then whole orders, then single steps, keeping
// each removal while the same invariant still breaks. Greedy and bounded: the result is a local minimum
// (no single rule or step can go), small enough to read and to add to the catalogue.
import type { CoreUnderTest, Step } from '../define.ts';
import type { SwarmCase } from './generate.ts';
import { runCase, type CaseResult } from './run-case.ts';

export interface Shrunk {
  readonly swarmCase: SwarmCase;
  readonly result: CaseResult;
  readonly runs: number;
}

const runsMax = 80;

/** Steps of the orders other than `label` (a step without an order, like advance, stays). */
const without = (steps: readonly Step[], label: string) => steps.filter((step) => !('order' in step) || step.order !== label);

export async function shrink(failing: SwarmCase, failed: CaseResult, core?: CoreUnderTest): Promise<Shrunk> {
  let best = failing;
  let bestResult = failed;
  let runs = 0;
  const stillFails = async (candidate: SwarmCase) => {
    if (runs >= runsMax) return false;
    runs += 1;
    const result = await runCase(candidate, core);
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
