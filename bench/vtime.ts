// Benchmark (not a test): virtual time at scale. 1,000 paid Alipay trades whose notifications are never
// acknowledged (the merchant, a real HTTP server on loopback, answers `fail`), then 25 virtual hours in
// one advance: every notification goes through the whole retry schedule, 8 attempts, each freshly signed
// (notify_time changes per attempt) and POSTed. Measured with the concurrency of a simulator's own
// virtual clock and, as the baseline in the same run, with `concurrency: 1` (tasks due at one instant
// run one after another, as before). Target: under 1 s. A third run per round sets the simulator's
// `channels.alipay.notifyTimeOnResend: first`: each resend is the first attempt's signed body, so every
// notification is signed once instead of eight times.
// Run: node --import tsx bench/vtime.ts [--trades 1000] [--rounds 3]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock, virtualEpochMs, simulatorClockConcurrency } from '../lib/clock.ts';
import type { JournalEntry } from '../simulator/engine/journal.ts';
import { createSimulator } from '../simulator/server.ts';

const key = (name: string) => readFileSync(new URL(`../test/fixtures/keys/${name}.pem`, import.meta.url), 'utf8');
const hourMs = 3_600_000;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

export interface VtimeRun {
  readonly concurrency: number;
  readonly notifyTimeOnResend: 'send' | 'first';
  readonly seconds: number;
  /** CPU time of the whole process meanwhile (event loop, thread pool, the in-process merchant). */
  readonly cpuSeconds: number;
  readonly attempts: number;
  /** Requests the merchant received. */
  readonly received: number;
  /** A digest of the journal's notify entries, to show both modes did the same work in the same order. */
  readonly journalDigest: string;
}

export interface VtimeBenchResult {
  readonly trades: number;
  readonly rounds: readonly { readonly concurrent: VtimeRun; readonly serial: VtimeRun; readonly resendFirst: VtimeRun }[];
}

/** A merchant that never acknowledges: every notification is answered `fail`, so Alipay resends it. */
async function failingMerchant(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.writeHead(200, { 'content-type': 'text/plain' }).end('fail');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function runOnce(trades: number, concurrency: number, notifyTimeOnResend: 'send' | 'first' = 'send'): Promise<VtimeRun> {
  const merchant = await failingMerchant();
  const clock = new VirtualClock(virtualEpochMs, { concurrency });
  const simulator = await createSimulator({
    port: 0,
    memory: true,
    seed: 1,
    sharedClock: clock,
    wallClock: () => virtualEpochMs,
    channelConfig: { alipay: { notifyTimeOnResend } },
    defaultAppKeys: { alipay: { merchant: { privateKeyPem: key('merchant_private'), publicKeyPem: key('merchant_public') }, channel: { privateKeyPem: key('channel_private'), publicKeyPem: key('channel_public') } } },
  });
  try {
    await simulator.listen();
    const { engine } = simulator;
    const appId = simulator.defaultAppId('alipay');
    for (let index = 0; index < trades; index++) {
      const outTradeNo = `VT${String(index).padStart(6, '0')}`;
      const created = await engine.trades.create({ channel: 'alipay', appId, outTradeNo, product: 'precreate', amountFen: 100 + index, subject: 'vtime', visible: true, notifyUrl: `${merchant.url}/notify/${outTradeNo}` });
      if (created.kind !== 'created') throw new Error(`trade ${outTradeNo}: ${created.kind}`);
      const paid = await engine.trades.pay(created.trade.key);
      if (paid.kind !== 'paid') throw new Error(`trade ${outTradeNo}: ${paid.kind}`);
    }
    // The journal is a bounded ring; its live feed sees every entry (kept, and hashed after the clock).
    const entries: JournalEntry[] = [];
    const unsubscribe = engine.journal.subscribe((entry) => void (entry.type.startsWith('notify.') && entries.push(entry)));
    const startedMs = performance.now();
    const cpuBefore = process.cpuUsage();
    await clock.advance(25 * hourMs);
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - startedMs) / 1000;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    unsubscribe();
    const attempts = entries.filter((entry) => entry.type === 'notify.attempted').length;
    // The merchant's port differs from run to run; nothing else may.
    const digest = createHash('sha256');
    for (const entry of entries) digest.update(`${JSON.stringify({ ...entry, seq: undefined }).replaceAll(merchant.url, 'http://merchant')}\n`);
    const journalDigest = digest.digest('hex').slice(0, 16);
    return { concurrency, notifyTimeOnResend, seconds, cpuSeconds, attempts, received: merchant.received(), journalDigest };
  } finally {
    await simulator.close();
    clock.stop();
    await merchant.close();
  }
}

export async function runVtimeBench(options: { trades?: number; rounds?: number } = {}): Promise<VtimeBenchResult> {
  const trades = options.trades ?? 1_000;
  const rounds: { concurrent: VtimeRun; serial: VtimeRun; resendFirst: VtimeRun }[] = [];
  await runOnce(50, simulatorClockConcurrency); // warm up: module loading, JIT, key parsing
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    // Alternate which goes first, so neither side always runs on a warmer (or busier) machine.
    if (round % 2 === 0) {
      const concurrent = await runOnce(trades, simulatorClockConcurrency);
      const serial = await runOnce(trades, 1);
      rounds.push({ concurrent, serial, resendFirst: await runOnce(trades, simulatorClockConcurrency, 'first') });
    } else {
      const resendFirst = await runOnce(trades, simulatorClockConcurrency, 'first');
      const serial = await runOnce(trades, 1);
      rounds.push({ concurrent: await runOnce(trades, simulatorClockConcurrency), serial, resendFirst });
    }
  }
  return { trades, rounds };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function formatVtimeBench(result: VtimeBenchResult): string[] {
  const concurrent = median(result.rounds.map((round) => round.concurrent.seconds));
  const serial = median(result.rounds.map((round) => round.serial.seconds));
  const concurrentCpu = median(result.rounds.map((round) => round.concurrent.cpuSeconds));
  const serialCpu = median(result.rounds.map((round) => round.serial.cpuSeconds));
  const resendFirst = median(result.rounds.map((round) => round.resendFirst.seconds));
  const resendFirstCpu = median(result.rounds.map((round) => round.resendFirst.cpuSeconds));
  const first = result.rounds[0]!;
  const sameResendFirst = result.rounds.every((round) => round.resendFirst.journalDigest === first.resendFirst.journalDigest);
  const same = result.rounds.every((round) => round.concurrent.journalDigest === first.serial.journalDigest && round.serial.journalDigest === first.serial.journalDigest);
  return [
    `virtual time: 25 h over ${result.trades} never-acknowledged Alipay trades (${first.concurrent.attempts} attempts, ${first.concurrent.received} received by the merchant), median of ${result.rounds.length} alternating rounds`,
    `concurrency ${first.concurrent.concurrency}: ${concurrent.toFixed(2)} s (${((concurrent * 1000) / first.concurrent.attempts).toFixed(3)} ms an attempt), CPU ${concurrentCpu.toFixed(2)} s; target under 1 s`,
    `baseline, concurrency 1 (serial): ${serial.toFixed(2)} s (${((serial * 1000) / first.serial.attempts).toFixed(3)} ms an attempt), CPU ${serialCpu.toFixed(2)} s; ratio ${(serial / concurrent).toFixed(2)}×`,
    `rounds (concurrent / serial, s): ${result.rounds.map((round) => `${round.concurrent.seconds.toFixed(2)} / ${round.serial.seconds.toFixed(2)}`).join(', ')}`,
    `notify journal identical in every run and both modes: ${same ? 'yes' : 'NO'} (${first.serial.journalDigest})`,
    `with channels.alipay.notifyTimeOnResend: first (each notification signed once, resends the same body): ${resendFirst.toFixed(2)} s (${((resendFirst * 1000) / first.resendFirst.attempts).toFixed(3)} ms an attempt, ${first.resendFirst.attempts} attempts), CPU ${resendFirstCpu.toFixed(2)} s; its journal the same in every round: ${sameResendFirst ? 'yes' : 'NO'} (${first.resendFirst.journalDigest})`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of formatVtimeBench(await runVtimeBench({ trades: argument('trades', 1_000), rounds: argument('rounds', 3) }))) console.log(line);
}
