// Channel-neutral identifiers, drawn from the injected random source so that the same seed gives the
// same ids. A channel's own numbers and shapes (trade and refund numbers, notification ids, app and
// seller ids, buyers) come from its dialect.
import type { Random } from '../../lib/random.ts';

/** An unguessable token for cashier URLs and bill downloads. */
export function token(random: Random): string {
  return random.hex(32);
}

/**
 * Another merchant's id of the same shape: the last character moved on by one (9 → 0, z → a), so that a
 * tampered notification names an app or seller that is not the merchant's and still looks real.
 */
export function anotherIdentifier(id: string): string {
  if (id === '') return '0';
  const last = id.at(-1)!;
  const next = /[0-9]/.test(last) ? String((Number(last) + 1) % 10)
    : /[a-y]/i.test(last) ? String.fromCharCode(last.charCodeAt(0) + 1)
    : last === 'z' ? 'a' : last === 'Z' ? 'A' : '0';
  return `${id.slice(0, -1)}${next}`;
}
