// The catalogue has teeth: every deliberately buggy core in scenarios/mutants is killed by at least one
// scenario that the reference core passes. The cheap run (its expected killers first, stop at the first
// kill); `paysim mutants` prints the full matrix.
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { mutants } from '../../scenarios/mutants/index.ts';
import { runMatrix } from '../../scenarios/mutants/matrix.ts';

const mutantFiles = readdirSync(new URL('../../scenarios/mutants/', import.meta.url)).filter((file) => !['index.ts', 'mutant.ts', 'matrix.ts'].includes(file));

it('lists every mutant file once, each named after its file, each with a rule it breaks and why', () => {
  expect(mutants.map((mutant) => `${mutant.name}.ts`).sort()).toEqual([...mutantFiles].sort());
  expect(mutants.length).toBeGreaterThanOrEqual(16);
  for (const mutant of mutants) {
    expect(mutant.breaks.length, mutant.name).toBeGreaterThan(20);
    expect(mutant.why, mutant.name).toMatch(/Seed 00[012]/);
  }
});

it('kills every mutant with a catalogue scenario the reference core passes', { timeout: 240_000 }, async () => {
  const catalogue = (await loadCatalog()).map((entry) => entry.scenario);
  const report = await runMatrix(mutants, catalogue, { firstKill: true });
  expect(report.reference.failed).toEqual([]);
  expect(report.reference.checked).toBeGreaterThan(0);
  const survivors = report.mutants.filter((mutant) => mutant.killedBy.length === 0).map((mutant) => mutant.name);
  expect(survivors).toEqual([]);
  expect(report.killRate).toBe(1);
  // Each kill names what failed, so a reader sees the rule at work.
  for (const mutant of report.mutants) expect(mutant.reasons[mutant.killedBy[0]!], mutant.name).toMatch(/\S/);
});
