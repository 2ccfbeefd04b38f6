// Writes a run's report in the formats asked for: report.json, junit.xml, report.md, report.html.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { htmlReport } from './html.ts';
import { junitXml } from './junit.ts';
import { markdownReport } from './markdown.ts';
import type { RunReport } from './types.ts';

export const reportFormats = ['json', 'junit', 'md', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const reportFileNames: Record<ReportFormat, string> = { json: 'report.json', junit: 'junit.xml', md: 'report.md', html: 'report.html' };

/** The JSON report of SURFACE.md: each scenario without the runner's own failure lines. */
export function jsonReport(report: RunReport): string {
  return `${JSON.stringify({ ...report, scenarios: report.scenarios.map(({ failures: _failures, title: _title, ...scenario }) => scenario) }, null, 2)}\n`;
}

export function writeReports(report: RunReport, directory: string, formats: readonly ReportFormat[], whyOf?: (name: string) => string | undefined): string[] {
  mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const path = join(directory, reportFileNames[format]);
    const text = format === 'json' ? jsonReport(report) : format === 'junit' ? junitXml(report) : format === 'md' ? markdownReport(report) : htmlReport(report, whyOf);
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}
