// Runs one scenario in the phases of deterministic simulation: setup (a simulator and a core on one
// virtual clock, no faults) → chaos (the scenario's faults on, its steps run) → quiesce (faults off,
// time advanced until nothing is scheduled, past the next day's reconciliation) → check (invariants,
// the core's loss-prevention checks, the scenario's own expectations). Swarm and mutants call it too.
import { createHash } from 'node:crypto';
import { beijingDayStart } from '../../lib/time-format.ts';
import type { Scenario, CoreUnderTest } from '../define.ts';
import { scenarioChannel } from '../harness/channels.ts';
import { call } from '../harness/http.ts';
import { startWorld, type World } from '../harness/world.ts';
import { checkInvariants } from '../invariants/check.ts';
import type { ScenarioResult, TimelineEntry } from '../report/types.ts';
import { judge } from './expectations.ts';
import { JournalReader, timelineOf } from './journal-timeline.ts';
import type { CrashRecord } from './crash.ts';
import { Labels } from './labels.ts';
import { observe, type Observation } from './observe.ts';
import { runStep, type CheckSnapshot, type StepContext, type StepRecord } from './steps.ts';

export interface RunOptions {
  /** Overrides the scenario's own seed. */
  readonly seed?: number;
  /** How to name the scenario in the reproduction command: its catalogue name (default) or its file. */
  readonly source?: string;
  /** A different core for this run (mutants): merged over the scenario's own `core`. */
  readonly core?: CoreUnderTest;
  /** Sees what both sides showed at the end (swarm reachability reads outcomes from it). */
  readonly onObservation?: (observation: Observation) => void;
  /** Connect the core to the scenario's own channel only (the swarm: no other channel's daily bill runs beside it). */
  readonly scenarioChannelOnly?: boolean;
}

export const defaultSeed = 1;
const hourMs = 3_600_000;
/** Quiesce gives up after this much virtual time: something that is still scheduled then never ends. */
const quiesceMsMax = 5 * 24 * hourMs;
/** And after this much real time: a broken core that retries a failing task every minute must not stall the run. */
const quiesceRealMsMax = 15_000;
/**
 * In a scenario that crashes the core, the crash comes once the core is stuck on its stalled disk, or at
 * the latest after crashAfterRealMs; a notification attempt to the core is cut off after a longer time, so
 * that the crash, not the attempt's timeout, ends an attempt the core is stuck on.
 */
const crashAfterRealMs = 3_000;
const crashNotifyTimeoutMs = 2 * crashAfterRealMs;
/** The Beijing time the core reconciles the previous day (its default), plus a margin for the run. */
const dailyReconciliationMs = 10 * hourMs + hourMs;

/** Work that recurs by design and so never "finishes": the daily reconciliation, periodic checks, the channel's 90-day finish. */
export function isRecurring(label: string): boolean {
  return label === 'reconciliation:daily' || label === 'checks' || label.startsWith('finish ');
}

export function reproduceCommand(source: string, seed: number): string {
  return `npx paysim scenario run ${source} --seed ${seed}`;
}

/** The timeline's hash: same-instant entries in a canonical order, so only what happened (not thread timing) counts. */
export function traceHashOf(timeline: readonly TimelineEntry[]): string {
  const canonical = [...timeline].map((entry) => JSON.stringify([entry.atMs, entry.from, entry.to, entry.label, entry.fault ?? null])).sort();
  return createHash('sha256').update(canonical.join('\n')).digest('hex').slice(0, 16);
}

function mergedCore(scenario: Scenario, options: RunOptions): CoreUnderTest | undefined {
  if (!scenario.core && !options.core) return undefined;
  return {
    config: { ...scenario.core?.config, ...options.core?.config },
    components: { ...scenario.core?.components, ...options.core?.components },
  };
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const startedRealMs = performance.now();
  const seed = options.seed ?? scenario.seed ?? defaultSeed;
  const reproduce = reproduceCommand(options.source ?? scenario.name, seed);
  const channel = scenarioChannel(scenario.channel);
  const core = mergedCore(scenario, options);
  let world: World | undefined;
  try {
    // setup: no faults
    const crashes = scenario.steps.some((step) => step.step === 'coreCrashes');
    world = await startWorld({
      seed,
      ...(core ? { core } : {}),
      ...(options.scenarioChannelOnly ? { channels: [scenario.channel] } : {}),
      ...(crashes ? { notifyAttemptTimeoutMs: crashNotifyTimeoutMs } : {}),
    });
    const started = world;
    const { clock, businessSystem } = world;
    const simulatorUrl = world.simulatorUrl;
    await call('PUT', `${simulatorUrl}/_sim/faults/magic`, { enabled: scenario.magic === true });
    const labels = new Labels();
    const reader = new JournalReader((sinceSeq) => started.journalSince(sinceSeq));
    const timeline: TimelineEntry[] = [];
    const checkpoints: CheckSnapshot[] = [];
    const crashRecords: CrashRecord[] = [];
    const records: StepRecord[] = [];
    let deliveriesSeen = 0;
    const collect = async () => {
      timeline.push(...timelineOf(reader.next(), reader, labels));
      for (const delivery of businessSystem.deliveries.slice(deliveriesSeen)) {
        const label = labels.orderLabel(delivery.orderNo) ?? 'an unknown order';
        timeline.push({ atMs: delivery.atMs, from: 'core', to: 'business', label: `${delivery.type} ${label}${delivery.refundNo ? ` ${labels.refundLabel(delivery.refundNo) ?? ''}` : ''} → ${delivery.answered}`.replace(/\s+/g, ' ') });
      }
      deliveriesSeen = businessSystem.deliveries.length;
    };
    reader.next(); // setup's own exchanges are not the scenario's

    // chaos: the scenario's faults on, its steps run
    const ruleIds: string[] = [];
    for (const [index, rule] of scenario.faults.entries()) {
      const answer = await call('POST', `${simulatorUrl}/_sim/faults`, { ...rule, match: { channel: scenario.channel, ...rule.match } });
      if (answer.status !== 201) throw new Error(`fault ${index + 1} (${rule.fault.type}) was refused: ${JSON.stringify(answer.body)}`);
      ruleIds.push(answer.body.id);
    }
    const orderNumbers = new Map<string, string>();
    const context: StepContext = {
      channel: scenario.channel,
      defaultMethod: channel.defaultMethod,
      coreUrl: world.coreUrl,
      simulatorUrl,
      now: () => clock.now(),
      settle: () => clock.advance(0),
      setBusinessSystem: (mode) => (businessSystem.mode = mode),
      labels,
      timeline,
      checkpoints,
      outOrderNo: (label) => {
        if (!orderNumbers.has(label)) orderNumbers.set(label, `${scenario.name.slice(0, 40)}-${seed}-${label}`);
        return orderNumbers.get(label)!;
      },
      stallCoreDisk: () => started.stallCoreDisk(),
      waitingCoreWrites: () => started.waitingCoreWrites(),
      // What the channel journaled up to the crash goes on the timeline before the crash's own line.
      crashCore: () => started.crashCore(collect),
      crashAfterRealMs,
      crashes: crashRecords,
    };
    for (const [index, step] of scenario.steps.entries()) {
      let record: StepRecord;
      try {
        record = await runStep(context, step, index);
      } catch (error) {
        record = { index, step, atMs: clock.now(), status: 0, problem: error instanceof Error ? error.message : String(error) };
      }
      records.push(record);
      await collect();
    }
    const installed = (await call<{ rules: { id: string; fired: number }[] }>('GET', `${simulatorUrl}/_sim/faults`)).body.rules;
    const faults = scenario.faults.map((rule, index) => ({ type: rule.fault.type, fired: installed.find((candidate) => candidate.id === ruleIds[index])?.fired ?? 0 }));

    // quiesce: faults off, time advanced until nothing is scheduled and the next day is reconciled
    await call('DELETE', `${simulatorUrl}/_sim/faults`);
    if (scenario.magic === true) await call('PUT', `${simulatorUrl}/_sim/faults/magic`, { enabled: false });
    businessSystem.mode = 'success';
    const deadlineMs = clock.now() + quiesceMsMax;
    const realDeadlineMs = performance.now() + quiesceRealMsMax;
    let reconciledAfterQuiet = false;
    for (;;) {
      if (performance.now() > realDeadlineMs) break;
      const work = clock.pending().filter((handle) => !isRecurring(handle.label));
      if (work.length === 0) {
        if (reconciledAfterQuiet) break;
        reconciledAfterQuiet = true;
        await clock.advanceTo(beijingDayStart(clock.now()) + 24 * hourMs + dailyReconciliationMs);
        continue;
      }
      const nextAtMs = work[0]!.atMs;
      if (nextAtMs > deadlineMs) break;
      await clock.advanceTo(nextAtMs);
    }
    await collect();
    const pendingWork = clock.pending().filter((handle) => !isRecurring(handle.label)).map((handle) => handle.label);

    // check
    const observation = await observe({ channel: scenario.channel, coreUrl: world.coreUrl, simulatorUrl, labels, ledger: world.ledger, deliveries: businessSystem.deliveries, pendingWork, crashes: crashRecords });
    options.onObservation?.(observation);
    const invariants = checkInvariants(observation);
    const judged = judge({ scenario, observation, invariants, steps: records, checkpoints, faults, labels });
    const ordered = timeline.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.atMs - b.entry.atMs || a.index - b.index).map(({ entry }) => entry);
    const failures = [...judged.invariantFailures, ...judged.expectations.filter((result) => !result.passed).map((result) => `${result.name}: ${result.detail ?? 'failed'}`)];
    return {
      name: scenario.name,
      title: scenario.title,
      channel: scenario.channel,
      seed,
      passed: failures.length === 0,
      durationMs: Math.round(performance.now() - startedRealMs),
      traceHash: traceHashOf(ordered),
      reproduce,
      invariants,
      checks: observation.checks.map(({ name, passed }) => ({ name, passed })),
      expectations: judged.expectations,
      faults,
      timeline: ordered,
      failures,
    };
  } catch (error) {
    // The run itself could not be carried out (a refused fault rule, a core that would not start).
    const message = error instanceof Error ? error.message : String(error);
    return {
      name: scenario.name,
      title: scenario.title,
      channel: scenario.channel,
      seed,
      passed: false,
      durationMs: Math.round(performance.now() - startedRealMs),
      traceHash: '',
      reproduce,
      invariants: [],
      checks: [],
      expectations: [{ name: 'the scenario runs', passed: false, detail: message }],
      faults: scenario.faults.map((rule) => ({ type: rule.fault.type, fired: 0 })),
      timeline: [],
      failures: [`the scenario could not run: ${message}`],
    };
  } finally {
    await world?.close();
  }
}
