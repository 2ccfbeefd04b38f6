// The core's services as replaceable components. Each is built by a factory that gets the context and
// the set of components (read lazily, at call time, so components may use one another); createCore
// takes any factory as an option, which is the seam deliberately buggy variants of the core use.
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

export interface Components {
  readonly orders: OrderService;
  readonly pay: PayService;
  readonly payments: PaymentResolver;
  readonly closer: OrderCloser;
  readonly refunds: RefundService;
  readonly notifications: MerchantNotifier;
  readonly callbacks: ChannelCallbacks;
  readonly checks: CheckService;
  /** Verifies a buyer for a risk step-up; replace the offline default (see step-up.ts) in a real deployment. */
  readonly stepUpVerifier: StepUpVerifier;
}

export type ComponentFactories = { readonly [K in keyof Components]: (context: ServiceContext, components: Components) => Components[K] };

export const defaultComponentFactories: ComponentFactories = {
  orders: createOrderService,
  pay: createPayService,
  payments: createPaymentResolver,
  closer: createOrderCloser,
  refunds: createRefundService,
  notifications: createMerchantNotifier,
  callbacks: createChannelCallbacks,
  checks: createCheckService,
  stepUpVerifier: createCodeStepUpVerifier,
};

/** Builds every component; `overrides` replace the default factory of the components they name. */
export function createComponents(context: ServiceContext, overrides: Partial<ComponentFactories> = {}): Components {
  const factories = { ...defaultComponentFactories, ...overrides };
  const built: Partial<Record<keyof Components, unknown>> = {};
  const components = built as Components;
  for (const name of Object.keys(factories) as (keyof Components)[]) {
    built[name] = factories[name](context, components);
  }
  return components;
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
}
