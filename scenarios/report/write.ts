// Writes a run's report in the formats asked for: report.json, junit.xml, report.md, report.html.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectories } from '../../lib/directories.ts';
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
  makeDirectories(directory);
  const written: string[] = [];
  for (const format of formats) {
    const path = join(directory, reportFileNames[format]);
    const text = format === 'json' ? jsonReport(report) : format === 'junit' ? junitXml(report) : format === 'md' ? markdownReport(report) : htmlReport(report, whyOf);
    // Whole or not at all: a report a reader opens is never half-written.
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}
