// The consumer run writes the pact files from scratch: the pact core merges new interactions into an
// existing file, so an interaction renamed or removed in a test would otherwise linger in it. A run
// narrowed to some files (`vitest run … contracts/consumer/bills.test.ts`) leaves the files alone and
// merges into them, so the pacts of the files it did not run stay.
import { rm } from 'node:fs/promises';
import { gatewayPactFile, notifyPactFile, wechatpayApiPactFile, wechatpayNotifyPactFile } from '../../support/participants.ts';

/** Options of the vitest CLI that take a value: their value is not a file filter. */
const optionsWithValue = new Set(['--config', '-c', '--project', '--root', '-r', '--reporter', '--dir']);

function runsOnlySomeFiles(argv: readonly string[]): boolean {
  const runAt = argv.findIndex((argument) => argument === 'run');
  const rest = runAt >= 0 ? argv.slice(runAt + 1) : [];
  return rest.some((argument, index) => !argument.startsWith('-') && !optionsWithValue.has(rest[index - 1] ?? ''));
}

export default async function freshPacts(): Promise<void> {
  if (runsOnlySomeFiles(process.argv)) return;
  await Promise.all([gatewayPactFile, notifyPactFile, wechatpayApiPactFile, wechatpayNotifyPactFile].map((file) => rm(file, { force: true })));
}
