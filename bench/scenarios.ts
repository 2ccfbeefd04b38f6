// Benchmark (not a test): the whole scenario catalogue, one scenario after another as `paysim scenario
// run` does, beside a baseline measured in the same run: the same scenarios' steps with no faults (the
// cost of the world itself: two servers, one virtual clock, quiesce and checks). Target: under 20 s on 2 cores.
// Run: node --import tsx bench/scenarios.ts
import { loadCatalog } from '../scenarios/catalog/index.ts';
import { runScenario } from '../scenarios/runner/run.ts';

export interface ScenarioBenchResult {
  readonly scenarios: number;
  readonly catalogueSeconds: number;
  readonly failed: number;
  readonly baselineSeconds: number;
  readonly slowest: readonly { readonly name: string; readonly ms: number }[];
}

export async function runScenarioBench(): Promise<ScenarioBenchResult> {
  const entries = await loadCatalog();
  // Warm up once (key pairs, module loading) so neither side pays for it.
  await runScenario(entries[0]!.scenario);
  const durations: { name: string; ms: number }[] = [];
  const catalogueStartMs = performance.now();
  let failed = 0;
  for (const { scenario } of entries) {
    const result = await runScenario(scenario);
    if (!result.passed) failed++;
    durations.push({ name: scenario.name, ms: result.durationMs });
  }
  const catalogueSeconds = (performance.now() - catalogueStartMs) / 1000;
  const baselineStartMs = performance.now();
  for (const { scenario } of entries) await runScenario({ ...scenario, faults: [], expect: { faultsFire: false } });
  const baselineSeconds = (performance.now() - baselineStartMs) / 1000;
  return { scenarios: entries.length, catalogueSeconds, failed, baselineSeconds, slowest: durations.sort((a, b) => b.ms - a.ms).slice(0, 3) };
}

export function formatScenarioBench(result: ScenarioBenchResult): string[] {
  return [
    `scenario catalogue: ${result.scenarios} scenarios in ${result.catalogueSeconds.toFixed(1)} s (${result.failed} failed); target under 20 s`,
    `baseline, the same steps without faults: ${result.baselineSeconds.toFixed(1)} s; ratio ${(result.catalogueSeconds / result.baselineSeconds).toFixed(2)}×`,
    `slowest: ${result.slowest.map((entry) => `${entry.name} ${entry.ms} ms`).join(', ')}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of formatScenarioBench(await runScenarioBench())) console.log(line);
}
