// A connector's channel whose SDK-backed half is imported on its first use, so that `paysim up` and
// `paysim core` start without loading the official SDKs (importing alipay-sdk alone takes longer than
// the whole start of the compiled build). The eager half (identity, notification replies, return
// parameters) needs no SDK. Options are checked before this, so a wrong option still fails at once.
import type { Channel } from './channel.ts';

type Eager = 'name' | 'appId' | 'sellerId' | 'notifyReply' | 'paymentNoOfReturn';
/** What the SDK-backed half provides. */
export type LiveChannel = Omit<Channel, Eager>;

export function lazyChannel(eager: Pick<Channel, Eager>, load: () => Promise<LiveChannel>): Channel {
  let live: Promise<LiveChannel> | undefined;
  const ready = (): Promise<LiveChannel> =>
    (live ??= load().catch((error: unknown) => {
      live = undefined;
      throw error;
    }));
  return {
    ...eager,
    createPayment: async (request) => (await ready()).createPayment(request),
    queryPayment: async (paymentNo) => (await ready()).queryPayment(paymentNo),
    closePayment: async (paymentNo) => (await ready()).closePayment(paymentNo),
    refund: async (request) => (await ready()).refund(request),
    queryRefund: async (paymentNo, refundNo) => (await ready()).queryRefund(paymentNo, refundNo),
    verifyNotification: async (incoming) => (await ready()).verifyNotification(incoming),
    downloadBill: async (billDate) => (await ready()).downloadBill(billDate),
    readBill: (file) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready()).readBill(file);
      },
    }),
  };
}
