// What channels send us: the asynchronous notify and the buyer's synchronous return. A notify is
// verified by the connector, checked against the payment (app, seller, amount, trade), confirmed by
// querying the channel, applied, and acknowledged only once the resulting state is durable. Anything
// that does not check out changes nothing, is not acknowledged, and is a reason to query. The return
// is shown to the buyer and never trusted.
import type { Channel, ChannelNotification, IncomingNotification, NotifyVerdict, NotifyWireReply } from '../connectors/channel.ts';
import { isPaymentOpen, type ChannelName, type Payment } from '../domain/index.ts';
import { raiseAlert } from './alerts.ts';
import type { ComponentDependencies } from './components.ts';
import type { ServiceContext } from './context.ts';

/**
 * What the core decided, and the channel's own wire answer for it (its connector writes it). Only an
 * acknowledgement stops the channel resending: `rejected` (it does not check out) and `unconfirmed`
 * (try again later) both make it resend.
 */
export interface NotifyReply {
  readonly verdict: NotifyVerdict;
  readonly reason: string;
  readonly wire: NotifyWireReply;
}

/** A decision before it is written in the channel's format. */
type Decision = { readonly verdict: NotifyVerdict; readonly reason: string };

export interface ReturnView {
  readonly paymentNo: string | undefined;
  readonly orderNo: string | undefined;
  readonly status: string | undefined;
}

export interface ChannelCallbacks {
  /** `undefined` when no channel of that name is configured. */
  notify(channelName: ChannelName, incoming: IncomingNotification): Promise<NotifyReply | undefined>;
  /** The sync return: what to show the buyer. It may trigger a query; it never changes a record itself. */
  syncReturn(channelName: ChannelName, params: Readonly<Record<string, string>>): ReturnView;
}

type PaymentNotification = Extract<ChannelNotification, { kind: 'payment' }>;
type RefundNotification = Extract<ChannelNotification, { kind: 'refund' }>;

export function createChannelCallbacks(context: ServiceContext, components: ComponentDependencies['callbacks']): ChannelCallbacks {
  const { records, clock, events } = context;

  function reject(reason: string): Decision {
    return { verdict: 'rejected', reason };
  }

  function unconfirmed(reason: string): Decision {
    return { verdict: 'unconfirmed', reason };
  }

  /** A claim about the payment that does not match it: flag it, query the truth, acknowledge nothing. */
  async function mismatch(payment: Payment, kind: 'notify.identityMismatch' | 'notify.amountMismatch', detail: string): Promise<Decision> {
    await raiseAlert(context, { kind, orderNo: payment.orderNo, paymentNo: payment.paymentNo, detail });
    components.payments.queryNow(payment.paymentNo);
    return reject(detail);
  }

  function identityProblem(payment: Payment, claim: { appId: string; sellerId?: string }): string | undefined {
    if (claim.appId !== payment.appId) return `notify names app ${claim.appId}, the payment was made with app ${payment.appId}`;
    if (payment.sellerId !== '' && claim.sellerId !== payment.sellerId) return `notify names seller ${claim.sellerId ?? '(none)'}, expected ${payment.sellerId}`;
    return undefined;
  }

  async function onPayment(channelName: ChannelName, notification: PaymentNotification): Promise<Decision> {
    const payment = records.payment(notification.paymentNo);
    if (!payment || payment.channel !== channelName) {
      await raiseAlert(context, { kind: 'notify.unknownPayment', paymentNo: notification.paymentNo, detail: `a verified ${channelName} notify names payment ${notification.paymentNo}, which this core did not make` });
      return reject(`no payment ${notification.paymentNo}`);
    }
    const identity = identityProblem(payment, notification);
    if (identity) return mismatch(payment, 'notify.identityMismatch', identity);
    if (notification.amountFen !== payment.amountFen) {
      return mismatch(payment, 'notify.amountMismatch', `notify says ${notification.amountFen} fen, the payment is ${payment.amountFen} fen`);
    }
    if (payment.status === 'SUCCEEDED' && notification.channelTradeNo !== payment.channelTradeNo) {
      return mismatch(payment, 'notify.identityMismatch', `notify names trade ${notification.channelTradeNo}, the payment was paid by trade ${payment.channelTradeNo}`);
    }
    const status = notification.status;
    switch (status.kind) {
      case 'paid':
      case 'closed':
      case 'waiting': {
        // Duplicates of what is already recorded need no query; the record must be durable before the ack.
        const settled = payment.status === 'SUCCEEDED' || (status.kind === 'closed' && !isPaymentOpen(payment)) || status.kind === 'waiting';
        if (settled) return acknowledge();
        const { payment: after } = await components.payments.confirm(payment.paymentNo);
        const confirmed = status.kind === 'paid' ? after?.status === 'SUCCEEDED' : after !== undefined && !isPaymentOpen(after);
        return confirmed ? acknowledge() : unconfirmed(`the channel's query does not confirm ${status.kind} yet`);
      }
      case 'unrecognized':
        await raiseAlert(context, { kind: 'query.unrecognized', orderNo: payment.orderNo, paymentNo: payment.paymentNo, detail: `notify with status ${JSON.stringify(status.raw.slice(0, 60))}` });
        components.payments.queryNow(payment.paymentNo);
        return reject(`unrecognized status ${status.raw.slice(0, 60)}`);
      case 'notFound':
        return reject('a notify cannot say the trade does not exist');
    }
  }

  async function onRefund(channelName: ChannelName, notification: RefundNotification): Promise<Decision> {
    const payment = records.payment(notification.paymentNo);
    if (!payment || payment.channel !== channelName) {
      await raiseAlert(context, { kind: 'notify.unknownPayment', paymentNo: notification.paymentNo, detail: `a verified refund notify names payment ${notification.paymentNo}, which this core did not make` });
      return reject(`no payment ${notification.paymentNo}`);
    }
    const identity = identityProblem(payment, notification);
    if (identity) return mismatch(payment, 'notify.identityMismatch', identity);
    const refund = records.refund(notification.refundNo);
    if (!refund || refund.paymentNo !== payment.paymentNo) {
      await raiseAlert(context, { kind: 'notify.unknownRefund', orderNo: payment.orderNo, paymentNo: payment.paymentNo, refundNo: notification.refundNo, detail: `refund notify for ${notification.refundNo}, which this core did not request on ${payment.paymentNo}` });
      return reject(`no refund ${notification.refundNo} of ${payment.paymentNo}`);
    }
    if (refund.status !== 'PROCESSING') return acknowledge();
    const after = await components.refunds.confirm(refund.refundNo);
    return after && after.status !== 'PROCESSING' ? acknowledge() : unconfirmed("the channel's refund query does not confirm it yet");
  }

  /** The acknowledgement is given only once the state it acknowledges is durable. */
  async function acknowledge(): Promise<Decision> {
    await context.store.durable();
    return { verdict: 'acknowledged', reason: 'acknowledged' };
  }

  return {
    async notify(channelName, incoming) {
      const channel = context.channels.get(channelName);
      if (!channel) return undefined;
      const notification = await channel.verifyNotification(incoming);
      events.emit({
        type: 'notify.received',
        atMs: clock.now(),
        channel: channelName,
        kind: notification.kind,
        ...(notification.paymentNo !== undefined ? { paymentNo: notification.paymentNo } : {}),
      });
      let reply: Decision;
      switch (notification.kind) {
        case 'invalid': {
          const known = notification.paymentNo !== undefined ? records.payment(notification.paymentNo) : undefined;
          await raiseAlert(context, { kind: 'notify.invalid', orderNo: known?.orderNo ?? null, paymentNo: known?.paymentNo ?? null, detail: `unverifiable ${channelName} notify: ${notification.reason}` });
          // Someone claims something happened to this payment: the channel's own answer settles it.
          if (known) components.payments.queryNow(known.paymentNo);
          reply = reject(notification.reason);
          break;
        }
        case 'payment':
          reply = await onPayment(channelName, notification);
          break;
        case 'refund':
          reply = await onRefund(channelName, notification);
          break;
      }
      events.emit({ type: 'notify.answered', atMs: clock.now(), channel: channelName, acknowledged: reply.verdict === 'acknowledged', reason: reply.reason });
      return { ...reply, wire: channel.notifyReply(reply.verdict) };
    },

    syncReturn(channelName, params) {
      const channel: Channel | undefined = context.channels.get(channelName);
      const paymentNo = channel?.paymentNoOfReturn(params);
      const payment = paymentNo === undefined ? undefined : records.payment(paymentNo);
      if (!payment || payment.channel !== channelName) return { paymentNo: undefined, orderNo: undefined, status: undefined };
      // The buyer says they paid; only the channel can say so. Ask it, without waiting.
      if (isPaymentOpen(payment)) components.payments.queryNow(payment.paymentNo);
      return { paymentNo: payment.paymentNo, orderNo: payment.orderNo, status: records.order(payment.orderNo)?.status };
    },
  };
}
