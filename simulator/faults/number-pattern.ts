// Rules carry regular expressions over merchant numbers, run on every exchange the rule could act on.
// JavaScript's backtracking engine can take exponential time on a near-miss (`(a|a)*$` held the event
// loop for seconds on 28 × "a" + "!"), and no syntactic guard catches every such shape. So patterns are
// compiled with RE2 (re2js, a pure-JavaScript port): it never backtracks, and its matching time is
// linear in the compiled program's size times the text's length. The limits below bound both factors,
// so one match costs a few milliseconds at worst, whatever the pattern. re2js loads with the first
// pattern: most runs have none, and it is a fifth of a megabyte of code.
import type { RE2JS } from 're2js';
import { lazyRequire } from '../../lib/lazy-require.ts';

const re2js = lazyRequire<typeof import('re2js')>('re2js');

/** Longer patterns are refused: a merchant number is short, and so is any pattern worth writing for it. */
export const patternCharsMax = 256;
/** RE2's compiled size: `(.{100}){10}` is 12 characters but about 1,000 instructions. */
export const patternProgramSizeMax = 1000;
/**
 * A number longer than this never matches (Alipay's `out_trade_no` and `out_request_no` are at most 64
 * characters, so such a request is refused anyway); it bounds the other factor of the match time.
 */
export const matchedCharsMax = 256;

export interface NumberPattern {
  readonly source: string;
  /** True when the pattern occurs in `value` (unanchored, as RegExp.prototype.test). */
  test(value: string): boolean;
}

export type CompiledPattern = { ok: true; pattern: NumberPattern } | { ok: false; reason: string };

/** Compiles `source` as an RE2 pattern within the limits; the reason says what to change. */
export function compileNumberPattern(source: string): CompiledPattern {
  if (source.length > patternCharsMax) return { ok: false, reason: `is ${source.length} characters long; a pattern may have at most ${patternCharsMax}` };
  let compiled: RE2JS;
  try {
    compiled = re2js().RE2JS.compile(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: `is not a valid regular expression: ${detail} (patterns use RE2 syntax: no lookahead, lookbehind or backreferences)`,
    };
  }
  const size = compiled.programSize();
  if (size > patternProgramSizeMax) {
    return { ok: false, reason: `${JSON.stringify(source)} compiles to ${size} instructions, over the limit of ${patternProgramSizeMax}; use smaller repeat counts` };
  }
  return {
    ok: true,
    pattern: { source, test: (value) => value.length <= matchedCharsMax && compiled.test(value) },
  };
}
