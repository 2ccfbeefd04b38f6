// Assertions are for what can only be a bug in paysim itself. Domain outcomes a caller can cause
// (a bad amount, a replayed refund, a late success) are returned values, never thrown.

/** Throws when `condition` is false: the code reached a state its own rules forbid. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DomainInvariantError(message);
}

/** Ends an exhaustive `switch`: the compiler proves it unreachable; at run time it is a bug. */
export function assertNever(value: never, what = 'value'): never {
  throw new DomainInvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** A broken domain invariant. Never shown on the wire: the HTTP layer answers INTERNAL_ERROR. */
export class DomainInvariantError extends Error {
  override readonly name = 'DomainInvariantError';
}
