// The core's services as replaceable components, built in dependency order: each factory gets the
// context and only the services it uses, so a reader sees what depends on what, and nothing is handed
// a half-built object. createCore takes any factory as an option: the seam deliberately buggy variants
// of the core (mutants) and deployments with their own parts plug into.
//
//   notifications, stepUpVerifier, checks   (no service dependencies)
//   refunds      ← notifications
//   payments     ← notifications, refunds
//   closer       ← notifications, payments   (it reacts to the resolver's credited payments)
//   orders       ← closer, notifications
//   pay          ← payments, stepUpVerifier
//   callbacks    ← payments, refunds
//   reconciliation ← payments, refunds
import type { ServiceContext } from './context.ts';
import { createCheckService, type CheckService } from './checks.ts';
import { createChannelCallbacks, type ChannelCallbacks } from './channel-callbacks.ts';
import { createMerchantNotifier, type MerchantNotifier } from './merchant-notifier.ts';
import { createOrderCloser, type OrderCloser } from './order-closer.ts';
import { createOrderService, type OrderService } from './orders.ts';
import { createPayService, type PayService } from './pay.ts';
import { createPaymentResolver, type PaymentResolver } from './payment-resolver.ts';
import { createRefundService, type RefundService } from './refunds.ts';
import { createCodeStepUpVerifier, type StepUpVerifier } from './step-up.ts';
import { createReconciliationService, type ReconciliationService } from '../recon/service.ts';

export interface Components {
  readonly orders: OrderService;
  readonly pay: PayService;
  readonly payments: PaymentResolver;
  readonly closer: OrderCloser;
  readonly refunds: RefundService;
  readonly notifications: MerchantNotifier;
  readonly callbacks: ChannelCallbacks;
  readonly checks: CheckService;
  readonly reconciliation: ReconciliationService;
  /** Verifies a buyer for a risk step-up; replace the offline default (see step-up.ts) in a real deployment. */
  readonly stepUpVerifier: StepUpVerifier;
}

/** What each service is given besides the context: exactly the services it uses. */
export interface ComponentDependencies {
  readonly orders: Pick<Components, 'closer' | 'notifications'>;
  readonly pay: Pick<Components, 'payments' | 'stepUpVerifier'>;
  readonly payments: Pick<Components, 'notifications' | 'refunds'>;
  readonly closer: Pick<Components, 'notifications' | 'payments'>;
  readonly refunds: Pick<Components, 'notifications'>;
  readonly notifications: Record<string, never>;
  readonly callbacks: Pick<Components, 'payments' | 'refunds'>;
  readonly checks: Record<string, never>;
  readonly stepUpVerifier: Record<string, never>;
  readonly reconciliation: Pick<Components, 'payments' | 'refunds'>;
}

export type ComponentFactories = {
  readonly [K in keyof Components]: (context: ServiceContext, dependencies: ComponentDependencies[K]) => Components[K];
};

export const defaultComponentFactories: ComponentFactories = {
  orders: createOrderService,
  pay: createPayService,
  payments: createPaymentResolver,
  closer: createOrderCloser,
  refunds: createRefundService,
  notifications: createMerchantNotifier,
  callbacks: createChannelCallbacks,
  checks: createCheckService,
  reconciliation: createReconciliationService,
  stepUpVerifier: createCodeStepUpVerifier,
};

/** Builds every component in dependency order; `overrides` replace the default factory of the components they name. */
export function createComponents(context: ServiceContext, overrides: Partial<ComponentFactories> = {}): Components {
  const factories: ComponentFactories = { ...defaultComponentFactories, ...overrides };
  const none = {};
  const notifications = factories.notifications(context, none);
  const stepUpVerifier = factories.stepUpVerifier(context, none);
  const checks = factories.checks(context, none);
  const refunds = factories.refunds(context, { notifications });
  const payments = factories.payments(context, { notifications, refunds });
  const closer = factories.closer(context, { notifications, payments });
  const orders = factories.orders(context, { closer, notifications });
  const pay = factories.pay(context, { payments, stepUpVerifier });
  const callbacks = factories.callbacks(context, { payments, refunds });
  const reconciliation = factories.reconciliation(context, { payments, refunds });
  return { orders, pay, payments, closer, refunds, notifications, callbacks, checks, reconciliation, stepUpVerifier };
}

/**
 * Re-arms every piece of scheduled work from the stored records: expiries, queries, refund polls,
 * business notifications, checks. Called once at start; a restarted core carries on where it stopped.
 */
export async function resumeScheduledWork(components: Components): Promise<void> {
  await components.payments.resume();
  components.closer.resume();
  components.refunds.resume();
  components.notifications.resume();
  components.checks.resume();
  components.reconciliation.resume();
}
