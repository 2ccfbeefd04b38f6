// report.md: the summary table, then each failing scenario with what failed and how to rerun it.
import type { RunReport } from './types.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(report: RunReport): string {
  const lines = [
    '# paysim scenario report',
    '',
    `${report.passed} passed, ${report.failed} failed, in ${(report.durationMs / 1000).toFixed(1)} s${report.seed !== null ? ` (seed ${report.seed})` : ''}.`,
    '',
    '| | scenario | channel | faults fired | checks firing | trace |',
    '|---|---|---|---|---|---|',
  ];
  for (const scenario of report.scenarios) {
    const fired = scenario.faults.map((fault) => `${fault.type}×${fault.fired}`).join(', ') || '—';
    const firing = scenario.checks.filter((check) => !check.passed).map((check) => check.name).join(', ') || '—';
    lines.push(`| ${scenario.passed ? '✅' : '❌'} | **${cell(scenario.name)}**: ${cell(scenario.title)} | ${scenario.channel} | ${cell(fired)} | ${cell(firing)} | \`${scenario.traceHash}\` |`);
  }
  const failed = report.scenarios.filter((scenario) => !scenario.passed);
  if (failed.length > 0) lines.push('', '## Failures');
  for (const scenario of failed) {
    lines.push('', `### ${scenario.name}`, '', ...scenario.failures.map((failure) => `- ${failure}`), '', `Reproduce: \`${scenario.reproduce}\``);
  }
  return `${lines.join('\n')}\n`;
}
