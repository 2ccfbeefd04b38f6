// Input checks shared by order and refund requests. Each returns a reason a person can act on, or
// undefined when the value is acceptable. Lengths count characters (code points), not UTF-16 units.

/** Business numbers (outOrderNo, outRefundNo): letters, digits, `_` and `-`. */
const identifierPattern = /^[0-9A-Za-z_-]+$/;
// C0 and C1 control characters, and Unicode line/paragraph separators.
const controlPattern = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

export function characterCount(text: string): number {
  return [...text].length;
}

export function identifierProblem(value: unknown, field: string, lengthMax: number): string | undefined {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.length === 0) return `${field} must not be empty`;
  if (value.length > lengthMax) return `${field} must be at most ${lengthMax} characters, got ${value.length}`;
  if (!identifierPattern.test(value)) return `${field} may contain only letters, digits, "_" and "-"`;
  return undefined;
}

export function textProblem(value: unknown, field: string, lengthMax: number): string | undefined {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.trim().length === 0) return `${field} must not be empty`;
  const count = characterCount(value);
  if (count > lengthMax) return `${field} must be at most ${lengthMax} characters, got ${count}`;
  if (controlPattern.test(value)) return `${field} must not contain control characters or line breaks`;
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first key of `body` that is not in `allowed`: unknown fields are rejected, never ignored. */
export function unknownField(body: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(body).find((key) => !allowed.includes(key));
}
