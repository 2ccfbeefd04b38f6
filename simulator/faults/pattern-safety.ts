// Rules carry regular expressions over merchant numbers, run on every exchange. A pattern that repeats
// a repeated group backtracks exponentially on a near-miss and would stall the simulator, so decoding
// refuses that shape. A heuristic: it also refuses a few safe patterns, which can always be rewritten.

/** The length of a repeating quantifier (`+`, `*`, `{n,}`, `{n,m}` with m > 1) at `index`, or 0. */
function repeatingQuantifierAt(source: string, index: number): number {
  const char = source[index];
  if (char === '+' || char === '*') return 1;
  if (char !== '{') return 0;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
  if (!braces) return 0;
  const repeats = braces[2] === undefined ? false : braces[3] === '' || Number(braces[3]) > 1;
  return repeats ? braces[0].length : 0;
}

/**
 * A simple test for catastrophic backtracking: a group that contains a repeating quantifier and is
 * itself repeated (`(a+)+`, `(\d*x)*`, `((ab)+c){2,}`). Escapes and character classes are skipped.
 */
export function repeatsARepeatedGroup(source: string): boolean {
  /** For each open group: whether a repeating quantifier occurs inside it. */
  const open: boolean[] = [];
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      index++;
    } else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
    } else if (char === '(') {
      open.push(false);
    } else if (char === ')') {
      const repeatsInside = open.pop() ?? false;
      const after = repeatingQuantifierAt(source, index + 1);
      if (repeatsInside && after > 0) return true;
      if ((repeatsInside || after > 0) && open.length > 0) open[open.length - 1] = true;
    } else if (repeatingQuantifierAt(source, index) > 0 && open.length > 0) {
      open[open.length - 1] = true;
    }
  }
  return false;
}
