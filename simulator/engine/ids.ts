// Channel-neutral identifiers, drawn from the injected random source so that the same seed gives the
// same ids. A channel's own numbers and shapes (trade and refund numbers, notification ids, app and
// seller ids, buyers) come from its dialect.
import type { Random } from '../../lib/random.ts';

/** An unguessable token for cashier URLs and bill downloads. */
export function token(random: Random): string {
  return random.hex(32);
}
