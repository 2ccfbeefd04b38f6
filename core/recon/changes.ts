// What a rerun changed against the run it repeats, one line per mismatch that appeared, went away or
// is handled differently now (an aging record that became a person's, a row a later query confirmed).
import { recordKey, type Mismatch, type ReconciliationReport } from './types.ts';

const keyOf = (mismatch: Mismatch) => `${mismatch.category} ${recordKey(mismatch)}`;

export function describeChanges(previous: ReconciliationReport, mismatches: readonly Mismatch[]): string[] {
  const before = new Map(previous.mismatches.map((mismatch) => [keyOf(mismatch), mismatch]));
  const after = new Map(mismatches.map((mismatch) => [keyOf(mismatch), mismatch]));
  const changes: string[] = [];
  for (const [key, mismatch] of after) {
    const old = before.get(key);
    if (!old) changes.push(`new: ${key} (${mismatch.handling})`);
    else if (old.handling !== mismatch.handling) changes.push(`${key}: ${old.handling} → ${mismatch.handling}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`resolved: ${key}`);
  if (changes.length === 0) changes.push(`no change since ${previous.id}`);
  return changes;
}
