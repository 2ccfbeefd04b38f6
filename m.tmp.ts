import { runSwarm } from './scenarios/swarm/swarm.ts';
import { mutants } from './scenarios/mutants/index.ts';
for (const m of mutants) {
  const r = await runSwarm({ start: 1, seeds: 30, workers: 2, mutant: m.name, shrinkMax: 1 });
  const f = r.failures[0];
  console.log(m.name, r.failed, r.seedsPerSec, f ? `${f.seed} ${f.invariant} faults=${f.faults.length} steps=${f.workload.length}` : '');
}
