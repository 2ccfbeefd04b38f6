// Setting up the provider states of the message contract, and producing each message the way the
// simulator really sends it: a trade is paid (or refunded) with a notify_url, the engine's outbox
// renders the attempt through the Alipay dialect (fault rules applied), and the POST that arrives at
// the capture endpoint is the message. Nothing is rendered by hand.
import type { VerifierOptions } from '@pact-foundation/pact';
import { notifyStates, tamperedAmount, type TradeState } from '../../states.ts';
import type { ProviderMoves } from './contract-simulator.ts';
import type { CapturedNotification, NotifyCapture } from './notify-capture.ts';

import type { StateHandlers } from './gateway-states.ts';

type MessageProviders = NonNullable<VerifierOptions['messageProviders']>;

export function notifyStateHandlers(moves: ProviderMoves, capture: NotifyCapture): StateHandlers {
  const s = notifyStates;
  const withNotifyUrl = (state: TradeState) => ({ outTradeNo: state.outTradeNo, amount: state.amount, notifyUrl: capture.url });
  return {
    [s.paid.name]: async () => {
      await moves.payTrade(withNotifyUrl(s.paid));
      return undefined;
    },
    [s.refunded.name]: async () => {
      const trade = await moves.payTrade(withNotifyUrl(s.refunded));
      await moves.clock.advance(0); // the payment's own notification goes out and is acknowledged first
      await moves.completeRefund(await moves.requestRefund(trade, s.refunded.outRequestNo, s.refunded.refundAmount));
      return undefined;
    },
    [s.tampered.name]: async () => {
      moves.engine.faults.add({ match: { api: 'notify', outTradeNo: `^${s.tampered.outTradeNo}$` }, fault: { type: 'tamper_amount', amount: tamperedAmount } });
      await moves.payTrade(withNotifyUrl(s.tampered));
      return undefined;
    },
    [s.forged.name]: async () => {
      moves.engine.faults.add({ match: { api: 'notify', outTradeNo: `^${s.forged.outTradeNo}$` }, fault: { type: 'forge_signature' } });
      await moves.payTrade(withNotifyUrl(s.forged));
      return undefined;
    },
  };
}

const isRefund = (notification: CapturedNotification) => notification.parameters.out_biz_no !== undefined;
const isPayment = (notification: CapturedNotification) => !isRefund(notification) && notification.parameters.trade_status === 'TRADE_SUCCESS';

/** The message for each description: the outbox's next delivery, as it arrived, with its wire content type. */
export function notifyMessageProviders(moves: ProviderMoves, capture: NotifyCapture): MessageProviders {
  const delivered = (accept: (notification: CapturedNotification) => boolean, what: string) => async () => {
    await moves.clock.advance(0); // the first attempt is due now: the outbox renders and POSTs it
    const notification = capture.last(accept, what);
    return {
      __pactMessageMetadata: { contentType: 'application/json', wireContentType: notification.contentType },
      message: notification.parameters,
    };
  };
  return {
    'a trade success notification': delivered(isPayment, 'trade success notification'),
    'a refund success notification': delivered(isRefund, 'refund notification'),
    'a trade success notification whose amount was rewritten': delivered(isPayment, 'tampered trade success notification'),
    'a trade success notification with a forged signature': delivered(isPayment, 'forged trade success notification'),
  };
}
