// Reconciliation runs: one per (channel, bill date). A run downloads the day's bill, streams its rows
// through the matcher against the day's local records, asks the channel about rows only it has, decides
// every finding, and commits the report with every fix in one write. Asking again returns the same
// report; `rerun` runs again and says what changed. A run that cannot read its bill (not ready, corrupt,
// unreachable) stores only its status and reason, and is retried on the clock.
import type { Mutation } from '../../lib/store/index.ts';
import { put } from '../../lib/store/index.ts';
import { formatBeijingDate, parseBeijingDateTime } from '../../lib/time-format.ts';
import { BillFormatError, ChannelUnavailableError, type BillDownload, type BillRow, type Channel } from '../connectors/channel.ts';
import type { ChannelName } from '../domain/index.ts';
import type { ComponentDependencies } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { collections } from '../services/records.ts';
import { SingleFlight } from '../services/scheduler.ts';
import { gatherEvidence } from './evidence.ts';
import { daysBetween, decide } from './handling.ts';
import { LocalIndex } from './local-index.ts';
import { localRecordsOfDay } from './local-records.ts';
import { matchBill, type MatchResult } from './match.ts';
import { openPool, poolCollection, writePoolEntry, type PoolEntry } from './pool.ts';
import { describeChanges } from './changes.ts';
import { billDayOver, nextDailyRunAtMs, previousBillDate } from './schedule.ts';
import { emptyCounts, type ReconciliationReport, type RunStatus } from './types.ts';

export const reportsCollection = 'reconciliations';
export const daysCollection = 'reconciliation-days';
/** Refunds a bill listed in flight (WeChat Pay lists a refund on the day it was asked for): a later day's success of one was on that bill. */
export const inFlightCollection = 'reconciliation-in-flight';

export interface InFlightEntry {
  readonly id: string;
  readonly channel: ChannelName;
  readonly key: string;
  /** The bill that listed it in flight. */
  readonly billDate: string;
  readonly runId: string;
}

/** The runs of one (channel, bill date): the latest, and how many failed in a row. */
export interface ReconciliationDay {
  readonly id: string;
  readonly latestId: string;
  readonly runs: number;
  readonly failuresInRow: number;
}

export interface ReconcileRequest {
  readonly channel: ChannelName;
  readonly billDate: string;
  readonly rerun?: boolean;
  /** Rows read so far, on large bills. */
  readonly onProgress?: (rows: number) => void;
  /**
   * The scheduled time of the daily run that asks (its report is stamped so): one daily run reconciles
   * every channel in turn, and on the virtual clock time moves on while it works (a retry another
   * channel's failure armed can fall due meanwhile), so a later channel must not read the clock late.
   */
  readonly dueAtMs?: number;
}

export type ReconcileOutcome =
  | { readonly outcome: 'created'; readonly report: ReconciliationReport }
  | { readonly outcome: 'existing'; readonly report: ReconciliationReport }
  | { readonly outcome: 'unknownChannel'; readonly channel: string }
  | { readonly outcome: 'dayNotOver'; readonly billDate: string };

export interface ReconciliationService {
  reconcile(request: ReconcileRequest): Promise<ReconcileOutcome>;
  get(id: string): ReconciliationReport | undefined;
  list(filter: { readonly channel?: string; readonly billDate?: string }): ReconciliationReport[];
  /** Marks aging-pool entries that have waited long enough as MANUAL. */
  sweepPool(): Promise<void>;
  resume(): void;
}

const dailyKey = 'reconciliation:daily';
/** The first Beijing day this core's books cover: the daily run never asks for a day before it. */
const sinceKey = 'reconciliation-since';
const retryKey = (dayId: string) => `reconciliation:retry:${dayId}`;
const succeeded = (status: RunStatus) => status === 'MATCHED' || status === 'MISMATCHED';

export function createReconciliationService(context: ServiceContext, components: ComponentDependencies['reconciliation']): ReconciliationService {
  const { store, clock, config } = context;
  const options = config.reconciliation;
  const flights = new SingleFlight<ReconciliationReport>();

  const dayOf = (dayId: string) => store.get<ReconciliationDay>(daysCollection, dayId);
  const reportOf = (id: string) => store.get<ReconciliationReport>(reportsCollection, id);

  async function run(channelName: ChannelName, channel: Channel, billDate: string, previous: ReconciliationReport | undefined, onProgress?: (rows: number) => void, dueAtMs?: number): Promise<ReconciliationReport> {
    const dayId = `${channelName}|${billDate}`;
    const day = dayOf(dayId);
    const id = `${channelName}-${billDate}-${(day?.runs ?? 0) + 1}`;
    const ranAtMs = dueAtMs ?? clock.now();
    const failed = (status: 'BILL_NOT_READY' | 'FAILED', reason: string) => commitFailure({ id, channel: channelName, billDate, status, reason, ranAtMs, day });

    let download: BillDownload;
    try {
      download = await channel.downloadBill(billDate);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return failed('FAILED', `the bill could not be downloaded (${error.reason}); it is tried again later`);
      throw error;
    }
    if (download.kind === 'notReady') return failed('BILL_NOT_READY', `the channel has no bill for ${billDate} yet (normally ready by 09:00 Beijing time the next day); it is tried again later`);

    const dayStartMs = parseBeijingDateTime(billDate)!;
    const local = LocalIndex.of(localRecordsOfDay(store, channelName, dayStartMs));
    const pool = openPool(store, channelName);
    const rows: AsyncIterable<readonly BillRow[]> = download.kind === 'ready' ? channel.readBill(download.file) : noRows();
    let match: MatchResult;
    try {
      match = await matchBill(rows, local, {
        pooled: (key) => {
          const entry = pool.get(`${channelName}|${key}`);
          return entry && entry.billDate < billDate ? entry : undefined;
        },
        refundOf: (refundNo) => {
          const refund = context.records.refund(refundNo);
          return refund && refund.channel === channelName ? refund : undefined;
        },
        shownInFlight: (key) => (store.get<InFlightEntry>(inFlightCollection, `${channelName}|${key}`)?.billDate ?? billDate) < billDate,
        ...(onProgress ? { onProgress } : {}),
      });
    } catch (error) {
      if (error instanceof BillFormatError) return failed('FAILED', `the bill file cannot be read: ${error.message}`);
      throw error;
    }
    const evidence = await gatherEvidence(channel, match.findings);

    // From here to the commit, one synchronous block: the decisions rest on records read at one instant.
    const ageDays = Math.max(0, daysBetween(billDate, formatBeijingDate(ranAtMs)) - 1);
    const decisions = decide({ context, components, channel: channelName as Exclude<ChannelName, 'balance'>, billDate, ageDays, findings: match.findings, evidence, pool, runId: id });
    const lateMatches = match.lateMatchKeys.map((key) => pool.get(`${channelName}|${key}`)!).map((entry): PoolEntry => ({ ...entry, handling: 'MATCHED_LATE', runId: id, updatedAtMs: clock.now() }));
    const counts = emptyCounts();
    for (const mismatch of decisions.mismatches) counts[mismatch.category] += 1;
    const report: ReconciliationReport = {
      id,
      channel: channelName,
      billDate,
      status: decisions.mismatches.length === 0 ? 'MATCHED' : 'MISMATCHED',
      ranAtMs,
      ...(previous ? { rerunOf: previous.id, changes: describeChanges(previous, decisions.mismatches) } : {}),
      billRows: match.billRows,
      localRecords: match.localRecords,
      matched: match.matched,
      counts,
      totals: { channelNetFen: match.channelNetFen, localNetFen: match.localNetFen, feesFen: match.feesFen },
      mismatches: decisions.mismatches,
    };
    await context.commit([
      put(reportsCollection, id, report),
      put(daysCollection, dayId, { id: dayId, latestId: id, runs: (day?.runs ?? 0) + 1, failuresInRow: 0 } satisfies ReconciliationDay),
      ...decisions.mutations,
      ...lateMatches.map(writePoolEntry),
      ...match.inFlightKeys.map((key) => put(inFlightCollection, `${channelName}|${key}`, { id: `${channelName}|${key}`, channel: channelName, key, billDate, runId: id } satisfies InFlightEntry)),
    ]);
    context.scheduler.disarm(retryKey(dayId));
    for (const work of decisions.afterCommit) work();
    return report;
  }

  async function commitFailure(input: { id: string; channel: ChannelName; billDate: string; status: 'BILL_NOT_READY' | 'FAILED'; reason: string; ranAtMs: number; day: ReconciliationDay | undefined }): Promise<ReconciliationReport> {
    const dayId = `${input.channel}|${input.billDate}`;
    const report: ReconciliationReport = {
      id: input.id,
      channel: input.channel,
      billDate: input.billDate,
      status: input.status,
      reason: input.reason,
      ranAtMs: input.ranAtMs,
      billRows: 0,
      localRecords: 0,
      matched: 0,
      counts: emptyCounts(),
      totals: { channelNetFen: 0, localNetFen: 0, feesFen: 0 },
      mismatches: [],
    };
    const day: ReconciliationDay = { id: dayId, latestId: input.id, runs: (input.day?.runs ?? 0) + 1, failuresInRow: (input.day?.failuresInRow ?? 0) + 1 };
    // A failed rerun does not hide the day's last good report: the day keeps pointing at it.
    const previous = input.day ? reportOf(input.day.latestId) : undefined;
    const keepsGood = previous !== undefined && succeeded(previous.status);
    await context.commit([put(reportsCollection, input.id, report), put(daysCollection, dayId, keepsGood ? { ...day, latestId: previous.id } : day)]);
    armRetry(dayId);
    return report;
  }

  function armRetry(dayId: string): void {
    const day = dayOf(dayId);
    const latest = day ? reportOf(day.latestId) : undefined;
    if (!day || !latest || succeeded(latest.status) || day.failuresInRow > options.retriesMax) return context.scheduler.disarm(retryKey(dayId));
    const atMs = Math.max(clock.now(), latest.ranAtMs + options.retryMs);
    if (context.scheduler.atMsOf(retryKey(dayId)) === atMs) return;
    context.scheduler.arm(retryKey(dayId), atMs, async () => {
      // The retry is armed inside the run that failed; on the virtual clock it can fall due before that
      // run has returned, and joining it would swallow the retry. Let it finish, then run again.
      await flights.current(dayId)?.catch(() => undefined);
      await service.reconcile({ channel: latest.channel, billDate: latest.billDate });
    });
  }

  const service: ReconciliationService = {
    async reconcile(request) {
      const channel = context.channels.get(request.channel);
      if (!channel) return { outcome: 'unknownChannel', channel: request.channel };
      if (!billDayOver(request.billDate, clock.now())) return { outcome: 'dayNotOver', billDate: request.billDate };
      const dayId = `${request.channel}|${request.billDate}`;
      const inFlight = flights.current(dayId);
      if (inFlight) return { outcome: 'created', report: await inFlight };
      const day = dayOf(dayId);
      const latest = day ? reportOf(day.latestId) : undefined;
      const good = latest && succeeded(latest.status) ? latest : undefined;
      if (good && !request.rerun) return { outcome: 'existing', report: good };
      const report = await flights.run(dayId, () => run(request.channel, channel, request.billDate, good, request.onProgress, request.dueAtMs));
      return { outcome: 'created', report };
    },

    get: reportOf,

    list(filter) {
      return store
        .all<ReconciliationReport>(reportsCollection)
        .filter((report) => (filter.channel === undefined || report.channel === filter.channel) && (filter.billDate === undefined || report.billDate === filter.billDate));
    },

    async sweepPool() {
      const today = formatBeijingDate(clock.now());
      const mutations: Mutation[] = [];
      for (const entry of store.all<PoolEntry>(poolCollection)) {
        if (entry.handling !== 'AGING') continue;
        if (daysBetween(entry.billDate, today) - 1 >= options.agingDays) mutations.push(writePoolEntry({ ...entry, handling: 'MANUAL', updatedAtMs: clock.now() }));
      }
      if (mutations.length > 0) await context.commit(mutations);
    },

    resume() {
      for (const day of store.all<ReconciliationDay>(daysCollection)) armRetry(day.id);
      if (options.dailyAt === null) return;
      const dailyAt = options.dailyAt;
      // A core started today has no books for yesterday, and its channel app may not have existed then.
      const since = store.get<string>(collections.meta, sinceKey) ?? formatBeijingDate(clock.now());
      if (store.get<string>(collections.meta, sinceKey) === undefined) void context.commit([put(collections.meta, sinceKey, since)]);
      const daily = async () => {
        const dueAtMs = clock.now();
        context.scheduler.arm(dailyKey, nextDailyRunAtMs(dueAtMs + 1, dailyAt), daily);
        const billDate = previousBillDate(dueAtMs);
        if (billDate >= since) for (const name of context.channels.keys()) await service.reconcile({ channel: name, billDate, dueAtMs });
        await service.sweepPool();
      };
      context.scheduler.arm(dailyKey, nextDailyRunAtMs(clock.now(), dailyAt), daily);
    },
  };
  return service;
}

async function* noRows(): AsyncGenerator<readonly BillRow[]> {}
