// What `paysim core` and `paysim up` print about the core: its URLs at start, then alerts and failures
// as they happen (the core's typed events; repeated alerts collapsed into a count per interval).
import type { Core } from '../../core/app.ts';
import { AlertLines, alertIntervalMsDefault } from './alert-lines.ts';

export function coreLines(core: Core, args: { 'merchant-webhook'?: string; clock: string; 'time-scale': number; 'due-now'?: string; seed: number }): string[] {
  return [
    `paysim core listening at ${core.url}`,
    `  orders API            ${core.url}/api/orders`,
    ...[...core.channels.keys()].map((channel) => `  ${`${channel} notify`.padEnd(22)}${core.url}/notify/${channel}`),
    `  checks                ${core.url}/api/checks`,
    `  manual queue          ${core.url}/api/manual-queue`,
    `  business webhook      ${args['merchant-webhook'] ?? '(none: notifications wait in the manual queue; pass --merchant-webhook URL)'}`,
    `  clock                 ${args.clock}${args.clock === 'real' && args['time-scale'] !== 1 ? ` ×${args['time-scale']}` : ''}${args.clock === 'virtual' && args['due-now'] ? `, due-now ${args['due-now']}` : ''}, seed ${args.seed}`,
  ];
}

export function reportCoreEvents(core: Core): void {
  const lines = new AlertLines((line) => process.stderr.write(`${line}\n`));
  // Intervals are real time, for the person reading the terminal, under a virtual clock too.
  core.events.on('alert.raised', (event) => lines.alert(event, performance.now()));
  setInterval(() => lines.flush(performance.now()), alertIntervalMsDefault).unref();
  process.once('exit', () => lines.flush(performance.now()));
  core.events.on('task.failed', (event) => process.stderr.write(`paysim core: ${event.label} failed: ${event.error}\n`));
}
