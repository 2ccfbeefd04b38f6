// A shrunk failure as a ready scenario file: the user names it, says why, and keeps it. In a clone of
// paysim it is written for the catalogue (importing the sources); where paysim is an installed package it
// is written for the user's own project, importing the package's public entry paysim/scenario.
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../lib/package-files.ts';
import type { SwarmCase } from './generate.ts';

/** Whether this paysim runs from node_modules (an installed package) rather than from a clone. */
export const runsInstalled = /[\\/]node_modules[\\/]/.test(fileURLToPath(packageRoot));

export function scenarioFileText(swarmCase: SwarmCase, invariant: string, mutant?: string, installed = runsInstalled): string {
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
  const header = installed
    ? [`// ./${name}.scenario.mjs (written by paysim swarm; rename it, fill in why, run it with npx paysim scenario run ./${name}.scenario.mjs)`, "import { defineScenario } from 'paysim/scenario';"]
    : [`// scenarios/catalog/alipay/${name}.scenario.ts (written by paysim swarm; rename it and fill in why)`, "import { defineScenario } from '../../define.ts';"];
  return [...header, '', `export default defineScenario(${JSON.stringify(body, null, 2)});`, ''].join('\n');
}
