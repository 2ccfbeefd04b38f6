// The result of running one scenario, in the shape every report format writes (SURFACE.md, "Scenario
// reports"). Swarm and mutants reuse it.
export type Actor = 'buyer' | 'business' | 'core' | 'channel';

export const actors: readonly Actor[] = ['buyer', 'business', 'core', 'channel'];

export interface TimelineEntry {
  readonly atMs: number;
  readonly from: Actor;
  readonly to: Actor;
  readonly label: string;
  /** The fault type that changed this exchange, when one did. */
  readonly fault?: string;
}

export interface NamedResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail?: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly title: string;
  readonly channel: string;
  readonly seed: number;
  readonly passed: boolean;
  readonly durationMs: number;
  readonly traceHash: string;
  readonly reproduce: string;
  readonly invariants: readonly NamedResult[];
  readonly checks: readonly { readonly name: string; readonly passed: boolean }[];
  readonly expectations: readonly NamedResult[];
  readonly faults: readonly { readonly type: string; readonly fired: number }[];
  readonly timeline: readonly TimelineEntry[];
  /** What failed, one line each: the invariant, check or expectation and why. */
  readonly failures: readonly string[];
}

export interface RunReport {
  readonly seed: number | null;
  readonly passed: number;
  readonly failed: number;
  readonly durationMs: number;
  readonly scenarios: readonly ScenarioResult[];
}
