// Every mutant, one per file in this folder, in name order.
import type { Mutant } from './mutant.ts';
import acknowledgesBeforePersisting from './acknowledges-before-persisting.ts';
import closesLocallyBeforeChannel from './closes-locally-before-channel.ts';
import ignoresSuccessAfterClose from './ignores-success-after-close.ts';
import ledgerPostsOneSide from './ledger-posts-one-side.ts';
import noActiveQuery from './no-active-query.ts';
import noNotifyDedupe from './no-notify-dedupe.ts';
import nonReentrantRefund from './non-reentrant-refund.ts';
import notificationWithoutRetry from './notification-without-retry.ts';
import paymentExpiryFixed from './payment-expiry-fixed.ts';
import reconIgnoresChannelOnly from './recon-ignores-channel-only.ts';
import refundInFlightFailed from './refund-in-flight-failed.ts';
import refundSumOutsideAtomic from './refund-sum-outside-atomic.ts';
import skipsAppSellerCheck from './skips-app-seller-check.ts';
import skipsNotifyAmountCheck from './skips-notify-amount-check.ts';
import trustsSyncRedirect from './trusts-sync-redirect.ts';
import zeroAmountToChannel from './zero-amount-to-channel.ts';

export const mutants: readonly Mutant[] = [
  acknowledgesBeforePersisting,
  closesLocallyBeforeChannel,
  ignoresSuccessAfterClose,
  ledgerPostsOneSide,
  noActiveQuery,
  noNotifyDedupe,
  nonReentrantRefund,
  notificationWithoutRetry,
  paymentExpiryFixed,
  reconIgnoresChannelOnly,
  refundInFlightFailed,
  refundSumOutsideAtomic,
  skipsAppSellerCheck,
  skipsNotifyAmountCheck,
  trustsSyncRedirect,
  zeroAmountToChannel,
];

export function mutantNamed(name: string): Mutant | undefined {
  return mutants.find((mutant) => mutant.name === name);
}
