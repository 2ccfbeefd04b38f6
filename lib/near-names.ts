// Near-name suggestions for names a user typed (config keys, fault `api` values): "did you mean …?".

/**
 * Up to `countMax` known names closest to `name`: the fewest typos away, else those containing it (a
 * name typed without its prefix, such as trade.query for alipay.trade.query).
 */
export function nearNames(name: string, known: Iterable<string>, countMax = 3): string[] {
  const wanted = name.toLowerCase();
  const distanceMax = Math.max(2, Math.floor(wanted.length / 3));
  const scored = [...known].map((candidate) => {
    const lower = candidate.toLowerCase();
    const typos = editDistance(wanted, lower);
    return { candidate, distance: typos <= distanceMax ? typos : lower.includes(wanted) ? distanceMax + 1 : Number.POSITIVE_INFINITY };
  });
  const near = scored.filter((item) => item.distance <= distanceMax + 1);
  // Only the closest: one typo away beats two typos away.
  const closest = Math.min(...near.map((item) => item.distance));
  return near
    .filter((item) => item.distance === closest)
    .sort((left, right) => left.distance - right.distance || left.candidate.localeCompare(right.candidate))
    .slice(0, countMax)
    .map((item) => item.candidate);
}

/** Levenshtein distance, two rows at a time. */
export function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_unused, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}
