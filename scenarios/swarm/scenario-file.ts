// A shrunk failure as a ready scenario file: the user names it, says why, and keeps it. In a clone of
// paysim it is written for the catalogue (importing the sources); where paysim is an installed package it
// is written for the user's own project, importing the package's public entry paysim/scenario.
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../lib/package-files.ts';
import type { SwarmCase } from './generate.ts';

/** Whether this paysim runs from node_modules (an installed package) rather than from a clone. */
export const runsInstalled = /[\\/]node_modules[\\/]/.test(fileURLToPath(packageRoot));

export function scenarioFileText(swarmCase: SwarmCase, invariant: string, mutant?: string, installed = runsInstalled): string {
  const channel = swarmCase.channel ?? 'alipay';
  const name = `swarm-seed-${swarmCase.seed}${channel === 'alipay' ? '' : `-${channel}`}`;
  const body = {
    name,
    title: `Swarm seed ${swarmCase.seed}: invariant ${invariant} broke${mutant ? ` on mutant ${mutant}` : ''}`,
    why: 'TODO: name the rule of payments this guards, citing the seed article. Found by paysim swarm, shrunk to the fewest fault rules and steps that still fail.',
    channel,
    seed: swarmCase.seed,
    faults: swarmCase.faults,
    steps: swarmCase.steps,
    expect: { faultsFire: false },
    ...(swarmCase.magic ? { magic: true } : {}),
  };
  const header = installed
    ? [`// ./${name}.scenario.mjs (written by paysim swarm; rename it, fill in why, run it with npx paysim scenario run ./${name}.scenario.mjs)`, "import { defineScenario } from 'paysim/scenario';"]
    : [`// scenarios/catalog/${channel}/${name}.scenario.ts (written by paysim swarm; rename it and fill in why)`, "import { defineScenario } from '../../define.ts';"];
  return [...header, '', `export default defineScenario(${source(body)});`, ''].join('\n');
}

const lineWidthMax = 110;
const keyOf = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : quoted(key));
const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** A value as JavaScript source in the catalogue's style: bare keys, single quotes, one line when it fits, a step a line. */
export function source(value: unknown, indent = ''): string {
  if (typeof value === 'string') return quoted(value);
  if (value === null || typeof value !== 'object') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((item) => source(item, inner)).join(', ')}]`;
    if (!flat.includes('\n') && indent.length + flat.length <= lineWidthMax && value.length === 1) return flat;
    return `[\n${value.map((item) => `${inner}${source(item, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, field]) => field !== undefined);
  if (entries.length === 0) return '{}';
  const flat = `{ ${entries.map(([key, field]) => `${keyOf(key)}: ${source(field, inner)}`).join(', ')} }`;
  if (!flat.includes('\n') && indent.length + flat.length <= lineWidthMax) return flat;
  return `{\n${entries.map(([key, field]) => `${inner}${keyOf(key)}: ${source(field, inner)},`).join('\n')}\n${indent}}`;
}
