// Benchmark (not a test): seeds per second of the swarm on the reference core over two worker processes,
// and the violations found. Target: at least 100 seeds/s on 2 cores, 0 violations in 10,000 seeds.
// Run: node --import tsx bench/swarm.ts [SEEDS]   (default 10000; CI nightly runs the default)
import { runSwarm } from '../scenarios/swarm/swarm.ts';

export interface SwarmBenchResult {
  readonly seeds: number;
  readonly seconds: number;
  readonly seedsPerSec: number;
  readonly failed: number;
  readonly failingSeeds: readonly number[];
}

export async function runSwarmBench(seeds = 10_000): Promise<SwarmBenchResult> {
  const startedMs = performance.now();
  const report = await runSwarm({ start: 1, seeds, workers: 2, shrinkMax: 0, onProgress: (done, total) => { if (done % 500 === 0 || done === total) process.stderr.write(`${done}/${total} seeds\n`); } });
  return { seeds, seconds: (performance.now() - startedMs) / 1000, seedsPerSec: report.seedsPerSec, failed: report.failed, failingSeeds: report.failures.map((failure) => failure.seed) };
}

export function formatSwarmBench(result: SwarmBenchResult): string[] {
  return [
    `swarm on the reference core: ${result.seeds} seeds in ${result.seconds.toFixed(1)} s over 2 workers, ${result.seedsPerSec} seeds/s (target at least 100)`,
    `violations: ${result.failed}${result.failed > 0 ? ` (seeds ${result.failingSeeds.slice(0, 10).join(', ')}; replay with npx paysim swarm --replay SEED)` : ''}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = process.argv[2] === undefined ? 10_000 : Number(process.argv[2]);
  if (!Number.isSafeInteger(seeds) || seeds < 1) throw new RangeError(`SEEDS must be a whole number 1 or more, got ${process.argv[2]}`);
  for (const line of formatSwarmBench(await runSwarmBench(seeds))) console.log(line);
}
