// The core's configuration: one typed object, parsed once, unknown keys rejected, defaults in one
// place. The domain's rule numbers (DomainPolicy), the routing table and the risk rules are part of
// it, so a scenario or a deliberately buggy variant changes behaviour through data, not code.
import {
  defaultDomainPolicy,
  defaultRiskRules,
  defaultRoutingTable,
  validateQuerySteps,
  validateClosedChecks,
  validateRiskRules,
  validateRoutingTable,
  type DomainPolicy,
  type MethodRoute,
  type RiskRule,
  type RoutingTable,
} from './domain/index.ts';

export interface CoreConfig {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Base URL the channels call back (notify, return); defaults to the address the core listens on. */
  readonly publicBaseUrl: string | undefined;
  /** Where business-system notifications go; without one they fail each attempt and end in the manual queue. */
  readonly merchantWebhookUrl: string | undefined;
  /** Real-time limit of one webhook attempt. */
  readonly webhookTimeoutMs: number;
  /** Largest request body of the API and of a channel notification. */
  readonly bodyBytesMax: number;
  /** After a close that could not reach the channel, try again this much later. */
  readonly closeRetryMs: number;
  /** Loss-prevention checks run on this interval (0: only on demand). */
  readonly checksIntervalMs: number;
  /** Scheduled work (timers) the core keeps at most; more is a runaway and fails loudly. */
  readonly scheduledTasksMax: number;
  /** Alerts kept in the store; past this they are only emitted as events. */
  readonly alertsMax: number;
  readonly policy: DomainPolicy;
  readonly routing: RoutingTable;
  readonly riskRules: readonly RiskRule[];
  readonly risk: RiskOptions;
  readonly reconciliation: ReconciliationOptions;
}

/** Reconciliation against the channels' daily bills (core/recon/). */
export interface ReconciliationOptions {
  /** Reconcile every channel's previous Beijing day on its own at this Beijing time (`HH:mm`); null: only on demand. */
  readonly dailyAt: string | null;
  /** Local records missing from a bill wait this many days (bills lag) before they need a person. */
  readonly agingDays: number;
  /** A run that failed (bill not ready, corrupt, unreachable) is tried again after this long … */
  readonly retryMs: number;
  /** … at most this many times. */
  readonly retriesMax: number;
}

export const defaultReconciliationOptions: ReconciliationOptions = { dailyAt: '10:00', agingDays: 3, retryMs: 30 * 60_000, retriesMax: 48 };

/** How a step-up asked for by a risk rule is completed (core/services/step-up.ts). */
export interface RiskOptions {
  /**
   * The default verifier shows each challenge's one-time code on `GET /api/risk/challenges/:id`,
   * standing in for the business system's own channel (SMS, app). Only for tests and `paysim up`:
   * anywhere else, leave it off and give createCore a real `stepUpVerifier` component.
   */
  readonly exposeStepUpCodes: boolean;
  /** A challenge can be answered for this long after it is issued. */
  readonly stepUpTtlMs: number;
  /** Codes tried per challenge, right or wrong; then the challenge is spent. */
  readonly stepUpAttemptsMax: number;
  /** Challenges issued per order; past this the order's step-up is refused (RISK_BLOCKED). */
  readonly stepUpChallengesPerOrderMax: number;
}

export const defaultRiskOptions: RiskOptions = {
  exposeStepUpCodes: false,
  stepUpTtlMs: 5 * 60_000,
  stepUpAttemptsMax: 3,
  stepUpChallengesPerOrderMax: 5,
};

export type CoreConfigInput = Partial<Omit<CoreConfig, 'policy' | 'risk' | 'reconciliation'>> & {
  readonly policy?: PolicyInput;
  readonly risk?: Partial<RiskOptions>;
  readonly reconciliation?: Partial<ReconciliationOptions>;
};

/** Each slice of the policy may be given in part; the rest comes from the domain's defaults. */
export type PolicyInput = { readonly [K in keyof DomainPolicy]?: Partial<DomainPolicy[K]> };

export const coreDefaults = {
  host: '127.0.0.1',
  port: 4020,
  publicBaseUrl: undefined,
  merchantWebhookUrl: undefined,
  webhookTimeoutMs: 10_000,
  bodyBytesMax: 64 * 1024,
  closeRetryMs: 60_000,
  checksIntervalMs: 5 * 60_000,
  scheduledTasksMax: 500_000,
  alertsMax: 100_000,
  policy: defaultDomainPolicy,
  routing: defaultRoutingTable,
  riskRules: defaultRiskRules,
  risk: defaultRiskOptions,
  reconciliation: defaultReconciliationOptions,
} as const satisfies CoreConfig;

const knownKeys = Object.keys(coreDefaults);

export class CoreConfigError extends Error {
  override readonly name = 'CoreConfigError';
}

/**
 * Fills defaults and checks everything once; throws a CoreConfigError naming each problem. `moduleRoutes`
 * (the connector modules' pay methods) join the default routing table where it has no entry of theirs.
 */
export function parseCoreConfig(input: CoreConfigInput = {}, moduleRoutes: readonly MethodRoute[] = []): CoreConfig {
  const unknown = Object.keys(input).filter((key) => !knownKeys.includes(key));
  if (unknown.length > 0) throw new CoreConfigError(`core config: unknown key(s) ${unknown.join(', ')}; known: ${knownKeys.join(', ')}`);
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const routing: RoutingTable = { ...Object.fromEntries(moduleRoutes.map((route) => [route.method, route])), ...defaultRoutingTable };
  const config: CoreConfig = { ...coreDefaults, routing, ...defined, policy: mergePolicy(input.policy), risk: mergeRiskOptions(input.risk), reconciliation: mergeReconciliationOptions(input.reconciliation) };
  const problems = configProblems(config);
  if (problems.length > 0) throw new CoreConfigError(`core config: ${problems.join('; ')}`);
  return config;
}

function mergePolicy(input: PolicyInput | undefined): DomainPolicy {
  if (input === undefined) return defaultDomainPolicy;
  const slices = Object.keys(defaultDomainPolicy);
  const unknown = Object.keys(input).filter((key) => !slices.includes(key));
  if (unknown.length > 0) throw new CoreConfigError(`core config: unknown policy slice(s) ${unknown.join(', ')}; known: ${slices.join(', ')}`);
  return {
    order: { ...defaultDomainPolicy.order, ...input.order },
    payment: { ...defaultDomainPolicy.payment, ...input.payment },
    refund: { ...defaultDomainPolicy.refund, ...input.refund },
    notification: { ...defaultDomainPolicy.notification, ...input.notification },
    checks: { ...defaultDomainPolicy.checks, ...input.checks },
  };
}

function mergeRiskOptions(input: Partial<RiskOptions> | undefined): RiskOptions {
  if (input === undefined) return defaultRiskOptions;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CoreConfigError('core config: risk must be an object of risk options');
  const known = Object.keys(defaultRiskOptions);
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new CoreConfigError(`core config: unknown risk option(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return { ...defaultRiskOptions, ...defined };
}

function mergeReconciliationOptions(input: Partial<ReconciliationOptions> | undefined): ReconciliationOptions {
  if (input === undefined) return defaultReconciliationOptions;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CoreConfigError('core config: reconciliation must be an object of reconciliation options');
  const known = Object.keys(defaultReconciliationOptions);
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new CoreConfigError(`core config: unknown reconciliation option(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return { ...defaultReconciliationOptions, ...defined };
}

function reconciliationProblems(options: ReconciliationOptions): string[] {
  const problems: string[] = [];
  if (options.dailyAt !== null && !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(options.dailyAt))) problems.push(`reconciliation.dailyAt must be a Beijing time HH:mm (e.g. "10:00") or null, got ${JSON.stringify(options.dailyAt)}`);
  if (!Number.isSafeInteger(options.agingDays) || options.agingDays < 0) problems.push(`reconciliation.agingDays must be 0 or more whole days, got ${options.agingDays}`);
  if (!Number.isSafeInteger(options.retryMs) || options.retryMs <= 0) problems.push(`reconciliation.retryMs must be a positive integer, got ${options.retryMs}`);
  if (!Number.isSafeInteger(options.retriesMax) || options.retriesMax < 0) problems.push(`reconciliation.retriesMax must be 0 or more, got ${options.retriesMax}`);
  return problems;
}

function riskOptionProblems(risk: RiskOptions): string[] {
  const problems: string[] = [];
  if (typeof risk.exposeStepUpCodes !== 'boolean') problems.push(`risk.exposeStepUpCodes must be true or false, got ${JSON.stringify(risk.exposeStepUpCodes)}`);
  for (const name of ['stepUpTtlMs', 'stepUpAttemptsMax', 'stepUpChallengesPerOrderMax'] as const) {
    if (!Number.isSafeInteger(risk[name]) || risk[name] <= 0) problems.push(`risk.${name} must be a positive integer, got ${risk[name]}`);
  }
  return problems;
}

function configProblems(config: CoreConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65_535) problems.push(`port must be 0..65535, got ${config.port}`);
  for (const [name, value] of [['publicBaseUrl', config.publicBaseUrl], ['merchantWebhookUrl', config.merchantWebhookUrl]] as const) {
    if (value !== undefined && !isHttpUrl(value)) problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  const positive = ['webhookTimeoutMs', 'bodyBytesMax', 'closeRetryMs', 'scheduledTasksMax', 'alertsMax'] as const;
  for (const name of positive) if (!Number.isSafeInteger(config[name]) || config[name] <= 0) problems.push(`${name} must be a positive integer, got ${config[name]}`);
  if (!Number.isSafeInteger(config.checksIntervalMs) || config.checksIntervalMs < 0) problems.push(`checksIntervalMs must be 0 or more, got ${config.checksIntervalMs}`);
  problems.push(...validateRoutingTable(config.routing), ...validateRiskRules(config.riskRules), ...riskOptionProblems(config.risk), ...reconciliationProblems(config.reconciliation), ...validateQuerySteps(config.policy.payment.querySteps), ...validateClosedChecks(config.policy.payment.closedCheckAfterMs));
  const { refund, notification } = config.policy;
  if (!(refund.pollFirstDelayMs > 0 && refund.pollDelayMaxMs >= refund.pollFirstDelayMs)) problems.push('refund poll delays must be positive, the maximum at least the first');
  if (notification.retryDelaysMs.some((delayMs) => !(delayMs >= 0))) problems.push('notification retry delays must be non-negative');
  return problems;
}

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === 'http:' || protocol === 'https:';
}
