// report.html: what a person opens first. One self-contained page (no script, no network): the pass/fail
// summary, then per scenario what it guards, what failed and how to rerun it, and its sequence timeline,
// drawn by the renderer the dashboard's trade pages use (lib/dashboard/timeline.ts), so both look alike.
import { escapeMarkup as x } from './escape.ts';
import { renderTimeline, timelineCss } from '../../lib/dashboard/timeline.ts';
import type { NamedResult, RunReport, ScenarioResult } from './types.ts';

const lanes = [
  { id: 'buyer', title: 'Buyer' },
  { id: 'business', title: 'Business system' },
  { id: 'core', title: 'Payment core' },
  { id: 'channel', title: 'Channel (simulator)' },
];

const dayMs = 86_400_000;
const beijingOffsetMs = 8 * 3_600_000;

/** Beijing time of day, with "+Nd" once the scenario runs past its first day (virtual runs span weeks). */
function timeOfDay(firstAtMs: number): (atMs: number) => string {
  const firstDay = Math.floor((firstAtMs + beijingOffsetMs) / dayMs);
  return (atMs) => {
    const local = atMs + beijingOffsetMs;
    const day = Math.floor(local / dayMs) - firstDay;
    const inDay = new Date(local).toISOString().slice(11, 19);
    return day === 0 ? inDay : `+${day}d ${inDay}`;
  };
}

const pageCss = `
:root{--card:#fff;--line:#e3e7eb;--muted:#5a6572;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.empty{color:#5a6572;font-style:italic}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1d2630;background:#fff}
header{padding:16px 24px;background:#26323d;color:#fff}header h1{margin:0 0 4px;font-size:20px}
main{padding:12px 24px;max-width:1400px}
.ok{color:#137333}.bad{color:#b3261e}
table.sum{border-collapse:collapse;width:100%;margin:8px 0 20px}table.sum td,table.sum th{border-bottom:1px solid #e3e7eb;padding:4px 8px;text-align:left;vertical-align:top}
table.sum th{background:#f1f3f5}
details{border:1px solid #d8dde3;border-radius:6px;margin:10px 0;padding:0 12px}details[open]{padding-bottom:8px}
summary{cursor:pointer;padding:8px 0;font-weight:600}
.why{color:#3c4650;margin:4px 0 8px}
code{background:#f1f3f5;padding:1px 4px;border-radius:3px}
ul.res{columns:2;margin:4px 0;padding-left:18px}ul.res li{break-inside:avoid}
.fail{background:#fdecea;border:1px solid #f3b8b2;border-radius:4px;padding:6px 10px;margin:6px 0}
`;

function results(title: string, items: readonly NamedResult[]): string {
  if (items.length === 0) return '';
  const lines = items.map((item) => `<li class="${item.passed ? 'ok' : 'bad'}">${item.passed ? '✔' : '✘'} ${x(item.name)}${item.detail ? ` <span class="why">— ${x(item.detail)}</span>` : ''}</li>`);
  return `<h4>${x(title)}</h4><ul class="res">${lines.join('')}</ul>`;
}

function section(scenario: ScenarioResult, why: string | undefined, open: boolean): string {
  const mark = scenario.passed ? '<span class="ok">✔ passed</span>' : '<span class="bad">✘ failed</span>';
  const failures = scenario.passed ? '' : `<div class="fail">${scenario.failures.map((failure) => `<div>${x(failure)}</div>`).join('')}<div>Reproduce: <code>${x(scenario.reproduce)}</code></div></div>`;
  const faults = scenario.faults.length > 0 ? scenario.faults.map((fault) => `${x(fault.type)} ×${fault.fired}`).join(', ') : 'none';
  return `<details id="${x(scenario.name)}"${open ? ' open' : ''}><summary>${mark} ${x(scenario.name)} — ${x(scenario.title)}</summary>
${why ? `<p class="why">${x(why)}</p>` : ''}${failures}
<p>Channel <b>${x(scenario.channel)}</b>, seed ${scenario.seed}, ${scenario.durationMs} ms, trace <code>${x(scenario.traceHash)}</code>; faults fired: ${faults}.</p>
${renderTimeline(lanes, scenario.timeline, { formatTime: timeOfDay(scenario.timeline[0]?.atMs ?? 0), emptyText: 'no message was exchanged' })}
${results('Invariants', scenario.invariants)}${results('Expectations', scenario.expectations)}
</details>`;
}

/** `whyOf` gives each scenario's prose (the report itself carries only results). */
export function htmlReport(report: RunReport, whyOf: (name: string) => string | undefined = () => undefined): string {
  const rows = report.scenarios.map(
    (scenario) =>
      `<tr><td class="${scenario.passed ? 'ok' : 'bad'}">${scenario.passed ? '✔' : '✘'}</td><td><a href="#${x(scenario.name)}">${x(scenario.name)}</a></td><td>${x(scenario.title)}</td><td>${x(scenario.faults.map((fault) => fault.type).join(', ') || '—')}</td><td>${x(scenario.checks.filter((check) => !check.passed).map((check) => check.name).join(', ') || '—')}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>paysim scenarios: ${report.passed} passed, ${report.failed} failed</title>
<style>${pageCss}${timelineCss}</style></head>
<body><header><h1>paysim scenario report</h1><div>${report.failed === 0 ? '✔' : '✘'} <b>${report.passed} passed</b>, <b>${report.failed} failed</b> in ${(report.durationMs / 1000).toFixed(1)} s${report.seed !== null ? `, seed ${report.seed}` : ''}</div></header>
<main>
<table class="sum"><tr><th></th><th>scenario</th><th>what happens</th><th>faults</th><th>checks firing at the end</th></tr>${rows.join('')}</table>
${report.scenarios.map((scenario) => section(scenario, whyOf(scenario.name), !scenario.passed || report.scenarios.length <= 3)).join('\n')}
</main></body></html>
`;
}
