// Alipay's asynchronous notification (docs/alipay-protocol.md §8): a signed form POST, resent on Alipay's
// schedule with the same notify_id until the merchant answers exactly `success`.
import { forgeryKeyPair, privateKeyObject } from '../../engine/keys.ts';
import type { NotificationDialect } from '../../engine/context.ts';
import { anotherIdentifier } from '../../engine/ids.ts';
import type { App, NotificationKind, Refund, Trade } from '../../engine/types.ts';
import { notifySignContent, signAsync } from './sign.ts';
import { alipayTradeStatus, fundBillList, paidAtMsOf } from './trade-fields.ts';
import { beijingTime, yuan } from './wire.ts';

const minute = 60_000;
const hour = 60 * minute;

/** 8 attempts: +0, 4m, 10m, 10m, 1h, 2h, 6h, 15h after the previous one. */
export const alipayNotifyScheduleMs = [0, 4 * minute, 14 * minute, 24 * minute, 84 * minute, 204 * minute, 564 * minute, 1464 * minute] as const;

/** Drops empty values: the SDK includes them when verifying while Alipay's rule excludes them. */
function withoutEmpty(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function tradeFields(trade: Trade, app: App): Record<string, string | undefined> {
  const paidAtMs = paidAtMsOf(trade);
  const paid = paidAtMs !== undefined ? yuan(trade.amountFen) : undefined;
  return {
    notify_type: 'trade_status_sync',
    app_id: app.appId,
    auth_app_id: app.appId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    trade_status: alipayTradeStatus(trade),
    total_amount: yuan(trade.amountFen),
    receipt_amount: paid,
    invoice_amount: paid,
    buyer_pay_amount: paid,
    point_amount: paid ? '0.00' : undefined,
    buyer_id: trade.buyer?.id,
    buyer_logon_id: trade.buyer?.logonId,
    seller_id: app.sellerId,
    seller_email: app.sellerEmail,
    subject: trade.subject,
    body: trade.body,
    passback_params: trade.echo.passback_params,
    gmt_create: beijingTime(trade.createdAtMs),
    gmt_payment: paidAtMs !== undefined ? beijingTime(paidAtMs) : undefined,
    // Real notifications carry fund_bill_list as a JSON string with camelCase keys inside.
    fund_bill_list: paid ? JSON.stringify(fundBillList(trade).map((bill) => ({ amount: bill.amount, fundChannel: bill.fund_channel }))) : undefined,
  };
}

export const alipayNotificationDialect: NotificationDialect = {
  scheduleOffsetsMs: alipayNotifyScheduleMs,

  fieldsFor(kind: NotificationKind, trade: Trade, app: App, refund?: Refund) {
    const fields = tradeFields(trade, app);
    switch (kind) {
      case 'trade_paid':
        return withoutEmpty({ ...fields, trade_status: 'TRADE_SUCCESS' });
      case 'trade_finished':
        return withoutEmpty(fields);
      case 'trade_closed':
        return withoutEmpty({ ...fields, gmt_close: beijingTime(trade.state.kind === 'closed' ? trade.state.closedAtMs : trade.createdAtMs) });
      case 'refund_succeeded': {
        if (!refund || refund.state.kind !== 'succeeded') return undefined;
        const closed = trade.state.kind === 'closed';
        return withoutEmpty({
          ...fields,
          out_biz_no: refund.outRequestNo,
          refund_fee: yuan(trade.refundedFen),
          gmt_refund: beijingTime(refund.state.succeededAtMs),
          ...(closed && trade.state.kind === 'closed' ? { gmt_close: beijingTime(trade.state.closedAtMs) } : {}),
        });
      }
      case 'refund_failed':
        return undefined; // Alipay reports refund failures only to the caller, never by notification.
    }
  },

  async renderAttempt(notification, app, nowMs, options = {}) {
    const params: Record<string, string> = { ...(options.fields ?? notification.fields), notify_id: notification.id, notify_time: beijingTime(nowMs) };
    const key = options.forge ? forgeryKeyPair().privateKeyPem : app.channelPrivateKeyPem;
    params.sign = await signAsync(notifySignContent(params), privateKeyObject(key));
    params.sign_type = 'RSA2';
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    };
  },

  tamperAmount(fields, amountFen) {
    const amount = yuan(amountFen);
    const tampered: Record<string, string> = { ...fields, total_amount: amount };
    for (const name of ['receipt_amount', 'invoice_amount', 'buyer_pay_amount']) if (name in fields) tampered[name] = amount;
    return tampered;
  },

  tamperIdentity(fields, identity) {
    const appId = identity.appId ?? anotherIdentifier(fields.app_id ?? '');
    const tampered: Record<string, string> = { ...fields, app_id: appId };
    if ('auth_app_id' in fields) tampered.auth_app_id = appId;
    if (identity.sellerId !== undefined) tampered.seller_id = identity.sellerId;
    return tampered;
  },

  isAcknowledged(status, body) {
    return status === 200 && body === 'success';
  },
};

/** Signed bodies kept for resends under `notifyTimeOnResend: first`; the oldest goes first beyond this. */
const resendBodiesMax = 10_000;

/**
 * The dialect with `notify_time` fixed at the first attempt's time (`notifyTimeOnResend: first`): a resend
 * is then the same signed body, so it is signed once (RSA PKCS#1 v1.5 gives the same signature for the
 * same content) and kept. Attempts that a fault rewrites, forges or probes are rendered afresh.
 */
export function withNotifyTimeOfFirstAttempt<D extends NotificationDialect>(dialect: D): D {
  const signed = new Map<string, { readonly keyPem: string; readonly request: ReturnType<NotificationDialect['renderAttempt']> }>();
  return {
    ...dialect,
    renderAttempt(notification, app, nowMs, options = {}) {
      const firstMs = notification.attempts[0]?.atMs ?? nowMs;
      if (options.fields || options.forge || options.probe) return dialect.renderAttempt(notification, app, firstMs, options);
      const kept = signed.get(notification.id);
      if (kept && kept.keyPem === app.channelPrivateKeyPem) return kept.request;
      const request = dialect.renderAttempt(notification, app, firstMs, options);
      signed.delete(notification.id);
      signed.set(notification.id, { keyPem: app.channelPrivateKeyPem, request });
      request.catch(() => signed.delete(notification.id));
      if (signed.size > resendBodiesMax) signed.delete(signed.keys().next().value!);
      return request;
    },
  };
}

/** The signed parameters of the browser's return to `return_url` after page or wap pay (§9). */
export async function returnParameters(trade: Trade, app: App, nowMs: number): Promise<Record<string, string>> {
  const params: Record<string, string> = {
    charset: 'utf-8',
    out_trade_no: trade.outTradeNo,
    method: trade.product === 'wap' ? 'alipay.trade.wap.pay.return' : 'alipay.trade.page.pay.return',
    total_amount: yuan(trade.amountFen),
    trade_no: trade.tradeNo,
    auth_app_id: app.appId,
    version: '1.0',
    app_id: app.appId,
    seller_id: app.sellerId,
    timestamp: beijingTime(nowMs),
  };
  params.sign = await signAsync(notifySignContent(params), privateKeyObject(app.channelPrivateKeyPem));
  params.sign_type = 'RSA2';
  return params;
}
