// When to ask the channel about a payment whose outcome we do not know (timeout, 5xx, no notify).
// The schedule slows with age and then stops: an old unknown payment goes to a person, because
// assuming it failed would lose the buyer's money if it was in fact paid.
import { assert } from './assert.ts';
import { defaultDomainPolicy, type QueryStep } from './policy.ts';

export type QueryPlan = { readonly outcome: 'queryAt'; readonly atMs: number } | { readonly outcome: 'exhausted' };

/**
 * The next query time after `nowMs`, on a fixed grid measured from the payment's creation (with the
 * default steps: +1m … +10m, +20m … +60m, +2h … +24h), so a late or repeated run of the poller lands
 * on the same times. `attempts` (queries already made) is a second stop: at the number of grid
 * points the schedule is exhausted even if the clock says otherwise.
 */
export function nextQueryAtMs(
  createdAtMs: number,
  attempts: number,
  nowMs: number,
  steps: readonly QueryStep[] = defaultDomainPolicy.payment.querySteps,
): QueryPlan {
  assert(Number.isInteger(attempts) && attempts >= 0, `query attempts must be a count, got ${attempts}`);
  if (attempts >= queryAttemptsMax(steps)) return { outcome: 'exhausted' };
  const ageMs = nowMs - createdAtMs;
  let stepStartAgeMs = 0;
  for (const step of steps) {
    if (ageMs < step.untilAgeMs) {
      const intervals = ageMs < stepStartAgeMs ? 1 : Math.floor((ageMs - stepStartAgeMs) / step.everyMs) + 1;
      const nextAgeMs = stepStartAgeMs + intervals * step.everyMs;
      if (nextAgeMs <= step.untilAgeMs) return { outcome: 'queryAt', atMs: createdAtMs + nextAgeMs };
    }
    stepStartAgeMs = step.untilAgeMs;
  }
  return { outcome: 'exhausted' };
}

/** The number of grid points: the most queries one payment can get. */
export function queryAttemptsMax(steps: readonly QueryStep[] = defaultDomainPolicy.payment.querySteps): number {
  let count = 0;
  let stepStartAgeMs = 0;
  for (const step of steps) {
    count += Math.floor((step.untilAgeMs - stepStartAgeMs) / step.everyMs);
    stepStartAgeMs = step.untilAgeMs;
  }
  return count;
}

/** Problems with a configured schedule; checked at start. */
export function validateQuerySteps(steps: readonly QueryStep[]): string[] {
  const problems: string[] = [];
  if (steps.length === 0) problems.push('the query schedule needs at least one step');
  let previousUntilMs = 0;
  for (const [index, step] of steps.entries()) {
    if (!(Number.isSafeInteger(step.everyMs) && step.everyMs > 0)) problems.push(`query step ${index}: everyMs must be a positive integer`);
    if (!(Number.isSafeInteger(step.untilAgeMs) && step.untilAgeMs > previousUntilMs)) {
      problems.push(`query step ${index}: untilAgeMs must grow, got ${step.untilAgeMs} after ${previousUntilMs}`);
    }
    previousUntilMs = step.untilAgeMs;
  }
  return problems;
}

/**
 * When to ask the channel once more about a payment we closed: at each of `afterMs` (measured from the
 * close) still ahead of `nowMs`. A close the channel confirmed can still be followed by a success (a
 * buyer's payment racing the close, a channel that lets an expired trade be paid), and if every notify
 * of it is lost the core would never hear of money it must give back. `undefined`: no check is left.
 */
export function nextClosedCheckAtMs(closedAtMs: number, nowMs: number, afterMs: readonly number[]): number | undefined {
  for (const offsetMs of afterMs) if (closedAtMs + offsetMs > nowMs) return closedAtMs + offsetMs;
  return undefined;
}

/** Problems with the configured close checks; checked at start. */
export function validateClosedChecks(afterMs: readonly number[]): string[] {
  const problems: string[] = [];
  let previousMs = 0;
  for (const [index, offsetMs] of afterMs.entries()) {
    if (!(Number.isSafeInteger(offsetMs) && offsetMs > previousMs)) problems.push(`close check ${index}: closedCheckAfterMs must be positive integers that grow, got ${offsetMs} after ${previousMs}`);
    previousMs = offsetMs;
  }
  return problems;
}
