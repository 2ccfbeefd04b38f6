// Orders: idempotent creation keyed by outOrderNo (the same request again is the same order), and the
// business system's close. A 0-amount order is paid at creation and never reaches a channel.
import { openOrder, type OpenOrderOutcome, type Order, type OrderRequest } from '../domain/index.ts';
import type { ComponentDependencies } from './components.ts';
import type { ServiceContext } from './context.ts';
import type { CloseOutcome } from './order-closer.ts';
import { writeOrder, writeOrderKey } from './records.ts';

export interface OrderService {
  create(request: OrderRequest): Promise<OpenOrderOutcome>;
  get(orderNo: string): Order | undefined;
  close(orderNo: string): Promise<CloseOutcome>;
}

export function createOrderService(context: ServiceContext, components: ComponentDependencies['orders']): OrderService {
  const { records, clock, events } = context;
  return {
    async create(request) {
      // One synchronous block from the lookup to the commit: a concurrent duplicate finds this order.
      const existingNo = records.orderNoOf(request.outOrderNo);
      const existing = existingNo === undefined ? undefined : records.order(existingNo);
      const nowMs = clock.now();
      const outcome = openOrder(existing, request, { orderNo: existing?.orderNo ?? context.numbers.next('order'), nowMs });
      // The existing order may still be on its way to disk: the HTTP layer answers only once it is durable.
      if (outcome.outcome !== 'created') return outcome;
      const order = outcome.order;
      const paidAtCreation = order.status === 'PAID';
      const message = paidAtCreation ? components.notifications.stage({ type: 'order.paid', orderNo: order.orderNo, amountFen: 0 }) : undefined;
      await context.commit([writeOrder(order), writeOrderKey(order), ...(message?.mutations ?? [])]);
      events.emit({ type: 'order.created', atMs: nowMs, orderNo: order.orderNo, amountFen: order.amountFen });
      if (paidAtCreation) events.emit({ type: 'order.paid', atMs: nowMs, orderNo: order.orderNo, paymentNo: null });
      if (message) components.notifications.arm(message.id);
      components.closer.armExpiry(order);
      return outcome;
    },

    get: (orderNo) => records.order(orderNo),

    close: (orderNo) => components.closer.close(orderNo, 'merchant'),
  };
}
