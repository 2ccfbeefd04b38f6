// Runs scenarios one after another (each has its own simulator, core and clock) and gathers the report.
import type { Scenario } from '../define.ts';
import type { RunReport, ScenarioResult } from '../report/types.ts';
import { runScenario, type RunOptions } from './run.ts';

export interface ScenarioToRun {
  readonly scenario: Scenario;
  /** How the reproduction command names it: the catalogue name or the user's file. */
  readonly source: string;
}

export async function runScenarios(
  toRun: readonly ScenarioToRun[],
  options: Omit<RunOptions, 'source'> = {},
  onResult: (result: ScenarioResult, index: number, total: number) => void = () => undefined,
): Promise<RunReport> {
  const startedMs = performance.now();
  const results: ScenarioResult[] = [];
  for (const [index, { scenario, source }] of toRun.entries()) {
    const result = await runScenario(scenario, { ...options, source });
    results.push(result);
    onResult(result, index, toRun.length);
  }
  const passed = results.filter((result) => result.passed).length;
  return { seed: options.seed ?? null, passed, failed: results.length - passed, durationMs: Math.round(performance.now() - startedMs), scenarios: results };
}
