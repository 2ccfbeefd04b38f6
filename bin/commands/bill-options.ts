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
  if (!folderStat?.isDirectory()) throw new CliError(`--out ${out}: the folder ${folder} does not exist; create it first or choose another --out`);
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
  return `the bill of ${billDate} is not ready: a day's bill exists once that day is over in Beijing time${now}, and none exists for days before the app was registered; ask again after ${billDate} has ended`;
}
