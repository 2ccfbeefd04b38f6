// The kill matrix: each mutant against catalogue scenarios. A mutant is killed by a scenario that passes
// on the reference core and fails on the mutant; one no scenario kills is a missing scenario. Scenarios
// that bring their own broken core (the guard-* ones) prove the checks fire and are not used here.
import type { Scenario } from '../define.ts';
import { runScenario } from '../runner/run.ts';
import type { Mutant } from './mutant.ts';

export interface MutantResult {
  readonly name: string;
  readonly breaks: string;
  readonly why: string;
  readonly killedBy: string[];
  /** Scenario → the first failure it reported on this mutant. */
  readonly reasons: Record<string, string>;
}

export interface MatrixReport {
  /** `checked`: how many scenarios the reference ran (all of them, unless stopping at first kills). */
  readonly reference: { readonly passed: boolean; readonly failed: string[]; readonly checked: number };
  readonly killRate: number;
  readonly scenarios: string[];
  readonly mutants: MutantResult[];
}

export interface MatrixOptions {
  /** Stop each mutant at its first kill, trying its `killers` first (the cheap run of `npm test`). */
  readonly firstKill?: boolean;
  readonly onCell?: (cell: { readonly mutant: string; readonly scenario: string; readonly killed: boolean; readonly done: number; readonly total: number }) => void;
}

export function usableScenarios(scenarios: readonly Scenario[]): Scenario[] {
  return scenarios.filter((scenario) => scenario.core === undefined);
}

function ordered(scenarios: readonly Scenario[], mutant: Mutant): Scenario[] {
  const killers = mutant.killers.map((name) => scenarios.find((scenario) => scenario.name === name)).filter((found): found is Scenario => found !== undefined);
  return [...killers, ...scenarios.filter((scenario) => !mutant.killers.includes(scenario.name))];
}

export async function runMatrix(mutants: readonly Mutant[], catalogue: readonly Scenario[], options: MatrixOptions = {}): Promise<MatrixReport> {
  const scenarios = usableScenarios(catalogue);
  const total = mutants.length * scenarios.length + scenarios.length;
  let done = 0;
  const failed: string[] = [];
  // The reference runs a scenario once, the first time a mutant needs it (all of them up front for the full matrix).
  const referencePasses = new Map<string, boolean>();
  const reference = async (scenario: Scenario) => {
    if (!referencePasses.has(scenario.name)) {
      const result = await runScenario(scenario);
      done += 1;
      referencePasses.set(scenario.name, result.passed);
      if (!result.passed) failed.push(scenario.name);
      options.onCell?.({ mutant: 'reference', scenario: scenario.name, killed: !result.passed, done, total });
    }
    return referencePasses.get(scenario.name)!;
  };
  if (!options.firstKill) for (const scenario of scenarios) await reference(scenario);
  const results: MutantResult[] = [];
  for (const mutant of mutants) {
    const killedBy: string[] = [];
    const reasons: Record<string, string> = {};
    const toRun = options.firstKill ? ordered(scenarios, mutant) : scenarios;
    for (const scenario of toRun) {
      if (!(await reference(scenario))) continue; // a scenario the reference fails kills nothing
      const result = await runScenario(scenario, { core: { components: mutant.components } });
      done += 1;
      const killed = !result.passed;
      if (killed) {
        killedBy.push(scenario.name);
        reasons[scenario.name] = result.failures[0] ?? 'failed';
      }
      options.onCell?.({ mutant: mutant.name, scenario: scenario.name, killed, done, total });
      if (killed && options.firstKill) break;
    }
    results.push({ name: mutant.name, breaks: mutant.breaks, why: mutant.why, killedBy, reasons });
  }
  const killRate = results.length === 0 ? 1 : results.filter((result) => result.killedBy.length > 0).length / results.length;
  return { reference: { passed: failed.length === 0, failed, checked: referencePasses.size }, killRate, scenarios: scenarios.map((scenario) => scenario.name), mutants: results };
}
