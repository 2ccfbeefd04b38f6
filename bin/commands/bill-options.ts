// What `paysim bill` and `paysim reconcile` share: the bill date option, checked with a message that
// says how to fix it, the failure of a command that ran but could not do its work (exit 1), and writing
// a bill file whole or not at all.
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseBeijingDateTime } from '../../lib/time-format.ts';
import { CliError } from '../options.ts';

/** A command ran and could not do its work (not a usage error): its message alone, exit code 1. */
export class CommandFailed extends Error {}

export function checkBillDate(date: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseBeijingDateTime(date) === undefined) {
    throw new CliError(`--date must be a day that exists, as yyyy-MM-dd (e.g. 2026-01-01), got ${JSON.stringify(date)}`);
  }
}

/** Refuses an --out that cannot be written before anything is downloaded: its folder must exist, and it must not be a folder. */
export async function checkOutPath(out: string): Promise<void> {
  const folder = dirname(out);
  const folderStat = await stat(folder).catch(() => undefined);
  if (folderStat && !folderStat.isDirectory()) throw new CliError(`--out ${out}: ${folder} is a file, not a folder; choose another --out`);
  if (!folderStat) throw new CliError(`--out ${out}: the folder ${folder} does not exist; create it first or choose another --out`);
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new CliError(`--out ${out} is a folder; give a file name, e.g. --out ${out.replace(/\/+$/, '')}/${'bill.csv'}`);
}

/**
 * Writes `bytes` to `out` whole or not at all: into a temporary file beside it, then renamed over it,
 * so a failure (a full disk, no permission) never leaves a half-written bill under the name asked for.
 */
export async function writeFileWhole(out: string, bytes: Buffer): Promise<void> {
  const temporary = `${dirname(out)}/.${basename(out)}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EACCES' || code === 'EPERM' ? 'no permission to write there' : code === 'ENOSPC' ? 'the disk is full' : (error as Error).message;
    throw new CommandFailed(`cannot write ${out} (${code}: ${why}); nothing was written: choose another --out`);
  }
}

/** Why a day's bill is not there yet, with the simulator's clock when it says. */
export async function notReadyMessage(simUrl: string, billDate: string): Promise<string> {
  const clock = await fetch(`${simUrl}/_sim/clock`).then((response) => response.json() as Promise<{ now?: string; kind?: string }>).catch(() => ({}) as { now?: string; kind?: string });
  const now = clock.now ? ` (the simulator's ${clock.kind ?? ''} clock says ${clock.now})` : '';
  const dayEndMs = Date.parse(`${billDate}T00:00:00+08:00`) + 86_400_000;
  if (clock.now !== undefined && Date.parse(clock.now) >= dayEndMs) {
    // The day is over, so waiting will not help: the app did not exist yet.
    return `there is no bill of ${billDate}: that day is over${now}, but it is before the app was registered at the simulator, and bills start on the day an app is created`;
  }
  return `the bill of ${billDate} is not ready: a day's bill exists once that day is over in Beijing time${now}; ask again after ${billDate} has ended`;
}
