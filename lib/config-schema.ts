// Strict decoding of configuration objects: every key known, every value of its kind and range, so a
// misspelt name or a negative delay is refused at start with a message that names it and says the fix,
// rather than silently keeping a default. Each side describes its own config with these field specs.
import { nearNames } from './near-names.ts';

export type FieldSpec =
  | { readonly kind: 'integer'; readonly min: number; readonly max?: number; readonly unit?: string }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'choice'; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly fields: Schema };

export type Schema = Readonly<Record<string, FieldSpec>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const integer = (min: number, max?: number, unit?: string): FieldSpec => ({ kind: 'integer', min, ...(max !== undefined ? { max } : {}), ...(unit ? { unit } : {}) });
export const boolean: FieldSpec = { kind: 'boolean' };
export const choice = (...values: string[]): FieldSpec => ({ kind: 'choice', values });
export const object = (fields: Schema): FieldSpec => ({ kind: 'object', fields });

/**
 * Checks `input` (a partial config) against `schema` and returns every problem, each naming its key
 * path (`engine.refundDelayMs`); an empty list means the input is good. `undefined` values are skipped.
 */
export function configProblems(input: unknown, schema: Schema, path: string): string[] {
  if (input === undefined) return [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [`${path} must be an object, got ${describe(input)}`];
  const problems: string[] = [];
  const known = Object.keys(schema);
  for (const [key, value] of Object.entries(input)) {
    const keyPath = `${path}.${key}`;
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (spec === undefined) {
      const near = nearNames(key, known);
      problems.push(`unknown key ${keyPath}${near.length > 0 ? ` (did you mean ${near.map((name) => `${path}.${name}`).join(' or ')}?)` : ''}; known: ${known.join(', ')}`);
      continue;
    }
    if (value === undefined) continue;
    problems.push(...valueProblems(value, spec, keyPath));
  }
  return problems;
}

function valueProblems(value: unknown, spec: FieldSpec, path: string): string[] {
  switch (spec.kind) {
    case 'integer': {
      const range = spec.max === undefined ? `${spec.min} or more` : `${spec.min}..${spec.max}`;
      const ok = typeof value === 'number' && Number.isSafeInteger(value) && value >= spec.min && (spec.max === undefined || value <= spec.max);
      return ok ? [] : [`${path} must be an integer ${range}${spec.unit ? ` (${spec.unit})` : ''}, got ${describe(value)}`];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path} must be true or false, got ${describe(value)}`];
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value) ? [] : [`${path} must be one of ${spec.values.map((item) => JSON.stringify(item)).join(', ')}, got ${describe(value)}`];
    case 'object':
      return configProblems(value, spec.fields, path);
  }
}

/** Throws a ConfigError listing every problem of `input`, prefixed with what is being configured. */
export function assertConfig(input: unknown, schema: Schema, path: string, what: string): void {
  const problems = configProblems(input, schema, path);
  if (problems.length > 0) throw new ConfigError(`${what}: ${problems.join('; ')}`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
