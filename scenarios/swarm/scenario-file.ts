// A shrunk failure as a ready scenario file for the catalogue: the user names it, says why, and commits it.
import type { SwarmCase } from './generate.ts';

export function scenarioFileText(swarmCase: SwarmCase, invariant: string, mutant?: string): string {
  const name = `swarm-seed-${swarmCase.seed}`;
  const body = {
    name,
    title: `Swarm seed ${swarmCase.seed}: invariant ${invariant} broke${mutant ? ` on mutant ${mutant}` : ''}`,
    why: 'TODO: name the rule of payments this guards, citing the seed article. Found by paysim swarm, shrunk to the fewest fault rules and steps that still fail.',
    channel: 'alipay',
    seed: swarmCase.seed,
    faults: swarmCase.faults,
    steps: swarmCase.steps,
    expect: { faultsFire: false },
  };
  return [
    `// scenarios/catalog/alipay/${name}.scenario.ts (written by paysim swarm; rename it and fill in why)`,
    "import { defineScenario } from '../../define.ts';",
    '',
    `export default defineScenario(${JSON.stringify(body, null, 2)});`,
    '',
  ].join('\n');
}
