// What `paysim bill` and `paysim reconcile` share: the bill date option, checked with a message that
// says how to fix it, and the failure of a command that ran but could not do its work (exit 1).
import { parseBeijingDateTime } from '../../lib/time-format.ts';
import { CliError } from '../options.ts';

/** A command ran and could not do its work (not a usage error): its message alone, exit code 1. */
export class CommandFailed extends Error {}

export function checkBillDate(date: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseBeijingDateTime(date) === undefined) {
    throw new CliError(`--date must be a day that exists, as yyyy-MM-dd (e.g. 2026-01-01), got ${JSON.stringify(date)}`);
  }
}
