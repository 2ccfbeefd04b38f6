// The loss-prevention checks (资损防控) over the core's own records: on demand and on a schedule. The
// domain's checks are pure; this reads every record at one instant and keeps the latest report.
import {
  configurationLimits,
  runChecks,
  type CheckResult,
  type Finding,
  type JournalEntry,
  type MerchantNotification,
  type Order,
  type Payment,
  type Refund,
} from '../domain/index.ts';
import { reconciliationChecks, type ReconciliationCheckResult } from '../recon/checks.ts';
import type { ServiceContext } from './context.ts';
import { collections } from './records.ts';

export interface ConfigurationResult {
  readonly name: 'configurationLimits';
  readonly category: 'configuration';
  readonly passed: boolean;
  readonly findings: readonly Finding[];
}

export interface CheckReport {
  readonly ranAtMs: number;
  readonly passed: boolean;
  readonly results: readonly (CheckResult | ConfigurationResult | ReconciliationCheckResult)[];
}

export interface CheckService {
  run(): CheckReport;
  /** The latest report; runs the checks first if they never ran. */
  latest(): CheckReport;
  resume(): void;
}

export function createCheckService(context: ServiceContext): CheckService {
  const { records, clock, config, events } = context;
  let latest: CheckReport | undefined;

  const service: CheckService = {
    run() {
      const nowMs = clock.now();
      const input = {
        nowMs,
        orders: records.all<Order>(collections.orders),
        payments: records.all<Payment>(collections.payments),
        refunds: records.all<Refund>(collections.refunds),
        ledger: records.all<JournalEntry>(collections.ledger),
        notifications: records.all<MerchantNotification>(collections.notifications),
      };
      const findings = configurationLimits({ routing: config.routing, riskRules: config.riskRules }, config.policy);
      const results = [
        ...runChecks(input, config.policy),
        { name: 'configurationLimits', category: 'configuration', passed: findings.length === 0, findings } as const,
        ...reconciliationChecks(context.store),
      ];
      latest = { ranAtMs: nowMs, passed: results.every((result) => result.passed), results };
      events.emit({ type: 'checks.ran', atMs: nowMs, failed: results.filter((result) => !result.passed).map((result) => result.name) });
      return latest;
    },

    latest: () => latest ?? service.run(),

    resume() {
      if (config.checksIntervalMs === 0) return;
      const every = async () => {
        service.run();
        context.scheduler.arm('checks', clock.now() + config.checksIntervalMs, every);
      };
      context.scheduler.arm('checks', clock.now() + config.checksIntervalMs, every);
    },
  };
  return service;
}
