// Setting up each provider state of the HTTP contract on the simulator, through its public engine API
// (and, for the bill link, through its gateway as any merchant would ask for it).
import type { VerifierOptions } from '@pact-foundation/pact';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { alipaySdk, verified } from '../../../test/support/sdk.ts';
import { gatewayStates } from '../../states.ts';
import type { ProviderMoves } from './contract-simulator.ts';

export type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;

/** Which key the re-signing filter signs the next replay with; a state may swap it, each interaction resets it. */
export class RequestSigner {
  private keyPem = fixtureKeys.merchant.privateKeyPem;

  get privateKeyPem(): string {
    return this.keyPem;
  }

  useMerchantKey(): void {
    this.keyPem = fixtureKeys.merchant.privateKeyPem;
  }

  /** A key whose public half the channel does not have (the fixture "rogue" pair). */
  useForeignKey(): void {
    this.keyPem = fixtureKeys.rogue.privateKeyPem;
  }
}

export function gatewayStateHandlers(moves: ProviderMoves, signer: RequestSigner, simulatorUrl: () => string): StateHandlers {
  const s = gatewayStates;
  const nothing = async () => undefined;
  const handlers: StateHandlers = {
    [s.qrNotCreated.name]: nothing,
    [s.wapNotCreated.name]: nothing,
    [s.missing.name]: nothing,
    [s.reusedNumber.name]: async () => {
      await moves.createTrade(s.reusedNumber);
      return undefined;
    },
    [s.createFailing.name]: async () => {
      moves.engine.faults.add({
        match: { api: 'alipay.trade.precreate', outTradeNo: `^${s.createFailing.outTradeNo}$` },
        fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR', message: '系统繁忙' },
      });
      return undefined;
    },
    [s.waiting.name]: async () => {
      await moves.createTrade(s.waiting);
      return undefined;
    },
    [s.paid.name]: async () => {
      await moves.payTrade(s.paid);
      return undefined;
    },
    [s.closedUnpaid.name]: async () => {
      const trade = await moves.createTrade(s.closedUnpaid);
      const closed = await moves.engine.trades.close(trade.key, 'merchant_close');
      if (closed.kind !== 'closed') throw new Error(`state set-up: ${s.closedUnpaid.outTradeNo} did not close (${closed.kind})`);
      return undefined;
    },
    [s.fullyRefunded.name]: async () => {
      const trade = await moves.payTrade(s.fullyRefunded);
      await moves.completeRefund(await moves.requestRefund(trade, `${s.fullyRefunded.outTradeNo}-FULL`, s.fullyRefunded.amount));
      return undefined;
    },
    [s.finished.name]: async () => {
      await moves.payTrade(s.finished);
      // The refund window (one hour in this provider's configuration) runs out: the trade finishes.
      await moves.clock.advance(moves.engine.refundWindowMs('alipay') + 1_000);
      return undefined;
    },
    [s.refundable.name]: async () => {
      await moves.payTrade(s.refundable);
      return undefined;
    },
    [s.queryFailing.name]: async () => {
      await moves.payTrade(s.queryFailing);
      moves.engine.faults.add({
        match: { api: 'alipay.trade.query', outTradeNo: `^${s.queryFailing.outTradeNo}$` },
        fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR', message: '系统繁忙' },
      });
      return undefined;
    },
    [s.refundFailing.name]: async () => {
      await moves.payTrade(s.refundFailing);
      moves.engine.faults.add({
        match: { api: 'alipay.trade.refund', outTradeNo: `^${s.refundFailing.outTradeNo}$` },
        fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR', message: '系统繁忙' },
      });
      return undefined;
    },
    [s.refundUnknown.name]: async () => {
      await moves.payTrade(s.refundUnknown);
      return undefined;
    },
    [s.refundSucceeded.name]: async () => {
      const trade = await moves.payTrade(s.refundSucceeded);
      await moves.completeRefund(await moves.requestRefund(trade, s.refundSucceeded.outRequestNo, s.refundSucceeded.refundAmount));
      return undefined;
    },
    [s.refundProcessing.name]: async () => {
      const trade = await moves.payTrade(s.refundProcessing);
      await moves.requestRefund(trade, s.refundProcessing.outRequestNo, s.refundProcessing.refundAmount);
      return undefined;
    },
    [s.billReady.name]: async () => billReady(moves, s.billReady.billDate, simulatorUrl()),
    [s.foreignKey.name]: async () => {
      signer.useForeignKey();
      return undefined;
    },
  };
  return handlers;
}

/**
 * A payment on the bill's day, the day over, and a fresh download link (links live 30 seconds): its
 * query parameters are handed to the replayed GET as provider-state values (`fromProviderState`).
 */
async function billReady(moves: ProviderMoves, billDate: string, simulatorUrl: string): Promise<Record<string, string>> {
  const dayStartMs = Date.parse(`${billDate}T00:00:00+08:00`);
  const nextDayMs = dayStartMs + 86_400_000;
  if (moves.clock.now() < nextDayMs) {
    await moves.payTrade({ outTradeNo: 'T-PACT-BILL-ROW', amount: '66.60' });
    await moves.clock.advanceTo(nextDayMs + 5_000);
  }
  const answer = (await alipaySdk(simulatorUrl).exec(
    'alipay.data.dataservice.bill.downloadurl.query',
    { bizContent: { bill_type: 'trade', bill_date: billDate } },
    verified,
  )) as { code?: string; billDownloadUrl?: string };
  if (answer.code !== '10000' || !answer.billDownloadUrl) throw new Error(`state set-up: no bill link for ${billDate}: ${JSON.stringify(answer)}`);
  return Object.fromEntries(new URL(answer.billDownloadUrl).searchParams);
}
