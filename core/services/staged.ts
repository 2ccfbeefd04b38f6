// A state change prepared for someone else's commit: its mutations, and the work that may only follow
// once they are durable (events, timers, listeners). A service that stages a change commits it itself
// in its own flow; reconciliation puts many into the one commit of its run.
import type { Mutation } from '../../lib/store/index.ts';

export interface Staged<T> {
  readonly value: T;
  readonly mutations: readonly Mutation[];
  readonly afterCommit: () => void;
}

/** Optional words for the ledger entries of a staged change: why they were written. */
export interface StageOptions {
  readonly ledgerReason?: string;
}
