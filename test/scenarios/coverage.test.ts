// The catalogue covers the fault catalogue and the checks: every fault type of the Fault union is used by
// some scenario (a new fault type without a scenario fails here), and every check of the core is expected
// to fire in a scenario built to provoke it and to hold in the others. The catalogue run (npm run
// scenarios) proves each expectation on the reference core.
import { expect, it } from 'vitest';
import { faultTypes } from '../../simulator/faults/rule.ts';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { runScenario } from '../../scenarios/runner/run.ts';

it('uses every fault type of the fault catalogue in at least one scenario', async () => {
  const used = new Set((await loadCatalog()).flatMap((entry) => entry.scenario.faults.map((rule) => rule.fault.type)));
  expect(faultTypes.filter((type) => !used.has(type))).toEqual([]);
});

it('sees each of the core\'s checks firing in a scenario built for it and holding in another', async () => {
  const entries = await loadCatalog();
  // The check names come from a real core's GET /api/checks, not from a list kept here.
  const happy = await runScenario(entries.find((entry) => entry.scenario.name === 'happy-path')!.scenario);
  const checkNames = happy.checks.map((check) => check.name);
  expect(checkNames.length).toBeGreaterThanOrEqual(13);
  const fires = new Set<string>();
  const holdsAtEnd = new Set(checkNames);
  const holdsSomewhere = new Set<string>();
  for (const { scenario } of entries) {
    for (const [name, want] of Object.entries(scenario.expect.checks ?? {})) if (want === 'fires') fires.add(name);
    for (const point of Object.values(scenario.expect.checkpoints ?? {})) for (const [name, want] of Object.entries(point)) if (want === 'fires') fires.add(name);
    for (const name of checkNames) if (scenario.expect.checks?.[name] !== 'fires') holdsSomewhere.add(name);
  }
  expect(checkNames.filter((name) => !fires.has(name))).toEqual([]);
  expect(checkNames.filter((name) => !holdsSomewhere.has(name) || !holdsAtEnd.has(name))).toEqual([]);
});

it('has at least 30 scenarios, one per file, each citing a seed article in why', async () => {
  const entries = await loadCatalog();
  expect(entries.length).toBeGreaterThanOrEqual(30);
  for (const { scenario, file } of entries) {
    expect(file).toBe(`${scenario.channel}/${scenario.name}.scenario.ts`);
    expect(scenario.why).toMatch(/seed 00[012] \(/);
  }
});
