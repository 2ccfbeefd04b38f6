// JUnit XML as CI systems read it: a testsuite per channel, a testcase per scenario, and a failure
// naming the invariant (or check, or expectation) that failed, with the seed and the command to rerun.
import type { RunReport } from './types.ts';
import { escapeMarkup as x } from './escape.ts';

export function junitXml(report: RunReport): string {
  const channels = [...new Set(report.scenarios.map((scenario) => scenario.channel))];
  const suites = channels.map((channel) => {
    const scenarios = report.scenarios.filter((scenario) => scenario.channel === channel);
    const failures = scenarios.filter((scenario) => !scenario.passed).length;
    const seconds = (scenarios.reduce((sum, scenario) => sum + scenario.durationMs, 0) / 1000).toFixed(3);
    const cases = scenarios.map((scenario) => {
      const head = `    <testcase classname="paysim.scenarios.${x(channel)}" name="${x(scenario.name)}" time="${(scenario.durationMs / 1000).toFixed(3)}">`;
      if (scenario.passed) return `${head}</testcase>`;
      const first = scenario.failures[0] ?? 'failed';
      const body = [...scenario.failures, `seed ${scenario.seed}`, `reproduce: ${scenario.reproduce}`].join('\n');
      return `${head}\n      <failure message="${x(`${first} (seed ${scenario.seed})`)}" type="ScenarioFailure">${x(body)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="scenarios.${x(channel)}" tests="${scenarios.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="paysim scenarios" tests="${report.scenarios.length}" failures="${report.failed}" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
