/**
 * Progress of a long command (`paysim swarm`, `paysim mutants`) on stderr: one line rewritten in place on
 * a terminal; in a log (CI, a pipe), a line at each tenth of the way, so the log stays readable.
 */
export function progressLine() {
  const interactive = process.stderr.isTTY === true;
  let shownTenth = -1;
  let width = 0;
  return {
    /** `terminalOnly`: a passing detail, not worth a line of a log. */
    show(text: string, fraction: number, options: { terminalOnly?: boolean } = {}) {
      if (interactive) {
        process.stderr.write(`\r${text.padEnd(width)}`);
        width = Math.max(width, text.length);
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (options.terminalOnly || tenth === shownTenth) return;
      shownTenth = tenth;
      process.stderr.write(`${text}\n`);
    },
    end() {
      if (interactive && width > 0) process.stderr.write('\n');
      shownTenth = -1;
      width = 0;
    },
  };
}
