// What `paysim sim` and `paysim up` print about the simulator at start: each channel's entry points, its
// default app and where that app's keys are.
import type { Simulator } from '../../simulator/server.ts';

// Labels longer than the column still get a space before their value.
const pad = (label: string) => `  ${label.length >= 22 ? `${label} ` : label.padEnd(22)}`;

export function channelLines(simulator: Simulator, url: string): string[] {
  const lines: string[] = [];
  for (const module of simulator.modules) {
    for (const endpoint of module.endpoints) lines.push(`${pad(`${module.title} ${endpoint.label}`)}${url}${endpoint.path}`);
  }
  return lines;
}

export function defaultAppLines(simulator: Simulator): string[] {
  const lines: string[] = [];
  for (const module of simulator.modules) {
    const found = simulator.defaultApps.get(module.name);
    if (!found) continue;
    lines.push(`${pad(`default ${module.title} app`)}${found.app.appId} (seller ${found.app.sellerId})`);
    for (const [label, path] of Object.entries(found.keyFiles ?? {})) lines.push(`${pad(label)}${path}`);
  }
  if (simulator.defaultApps.size > 0 && [...simulator.defaultApps.values()].every((found) => found.keyFiles === undefined)) {
    lines.push(`${pad('keys')}in memory: GET /_sim/apps shows them`);
  }
  return lines;
}
