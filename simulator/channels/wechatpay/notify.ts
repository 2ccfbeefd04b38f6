// WeChat Pay's notifications (docs/wechatpay-protocol.md §8): a signed JSON POST whose `resource` is the
// transaction or refund encrypted with AEAD_AES_256_GCM under the merchant's APIv3 key, resent on
// WeChat's schedule (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h) until any 2xx.
import { createHash } from 'node:crypto';
import type { WallClock } from '../../../lib/clock.ts';
import { forgeryKeyPair, privateKeyObject } from '../../engine/keys.ts';
import type { NotificationDialect } from '../../engine/context.ts';
import { anotherIdentifier } from '../../engine/ids.ts';
import type { App, Notification, NotificationKind, Refund, Trade } from '../../engine/types.ts';
import { signingKeyFor, wechatpayData } from './app-data.ts';
import type { WechatpayConfig } from './config.ts';
import { authorizationScheme, aeadEncrypt, responseSignContent, signAsync, signTestPrefix } from './sign.ts';
import { refundStatusOf, transactionFields, userReceivedAccount } from './trade-fields.ts';
import { rfc3339, sortedJson } from './wire.ts';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** The first attempt and 15 retries, as offsets from the first: 15s, 30s, 1m, 4m, 14m, … 24h04m (§8.3). */
export const wechatpayNotifyScheduleMs = [
  0, 15 * second, 30 * second, minute, 4 * minute, 14 * minute, 34 * minute, 64 * minute, 94 * minute, 124 * minute,
  184 * minute, 6 * hour + 4 * minute, 9 * hour + 4 * minute, 12 * hour + 4 * minute, 18 * hour + 4 * minute, 24 * hour + 4 * minute,
] as const;

const refundEvents = { SUCCESS: ['REFUND.SUCCESS', '退款成功'], ABNORMAL: ['REFUND.ABNORMAL', '退款异常'], CLOSED: ['REFUND.CLOSED', '退款关闭'] } as const;

/** The decrypted refund resource: `refund_status`, not `status` (§8.1). */
function refundResource(refund: Refund, trade: Trade, app: App): Record<string, unknown> {
  const status = refundStatusOf(refund);
  return {
    amount: { payer_refund: refund.amountFen, payer_total: trade.amountFen, refund: refund.amountFen, total: trade.amountFen },
    mchid: app.appId,
    out_refund_no: refund.outRequestNo,
    out_trade_no: refund.outTradeNo,
    refund_id: refund.refundNo,
    refund_status: status,
    ...(refund.state.kind === 'succeeded' ? { success_time: rfc3339(refund.state.succeededAtMs) } : {}),
    transaction_id: refund.tradeNo,
    user_received_account: userReceivedAccount,
  };
}

/** A stable 12-character nonce per (notification, attempt time): the same seed gives the same bytes. */
function resourceNonce(notification: Notification, wallMs: number): string {
  return createHash('sha256').update(`${notification.id}|${wallMs}|${notification.attempts.length}`).digest('base64url').slice(0, 12);
}

/** 32 lower-case hex, as on answers (§3.1), the same for the same attempt of the same run. */
function headerNonce(notification: Notification, wallMs: number): string {
  return createHash('sha256').update(`nonce|${notification.id}|${wallMs}|${notification.attempts.length}`).digest('hex').slice(0, 32);
}

/** The notification rules, for the configured signing key (public key or platform certificate). */
export function wechatpayNotificationDialect(config: Pick<WechatpayConfig, 'keyMode' | 'notifyAttemptTimeoutMs'>, wallClock: WallClock): NotificationDialect {
  return {
    scheduleOffsetsMs: wechatpayNotifyScheduleMs,
    attemptTimeoutMs: config.notifyAttemptTimeoutMs,

    fieldsFor(kind: NotificationKind, trade: Trade, app: App, refund?: Refund) {
      switch (kind) {
        case 'trade_paid':
          return { event_type: 'TRANSACTION.SUCCESS', summary: '支付成功', original_type: 'transaction', plaintext: sortedJson(transactionFields(trade, app)) };
        case 'refund_succeeded':
        case 'refund_failed': {
          if (!refund) return undefined;
          const status = refundStatusOf(refund);
          if (status === 'PROCESSING') return undefined;
          const [eventType, summary] = refundEvents[status];
          return { event_type: eventType, summary, original_type: 'refund', plaintext: sortedJson(refundResource(refund, trade, app)) };
        }
        case 'trade_closed':
        case 'trade_finished':
          return undefined; // "只有支付成功才会通知": WeChat reports no close or end of the refund window.
      }
    },

    async renderAttempt(notification, app, _nowMs, options = {}) {
      const fields = options.fields ?? notification.fields;
      const wallMs = options.wallMs ?? wallClock();
      const nonce = resourceNonce(notification, wallMs);
      const associatedData = fields.original_type ?? '';
      const body = JSON.stringify({
        id: notification.id,
        create_time: rfc3339(notification.createdAtMs),
        resource_type: 'encrypt-resource',
        event_type: fields.event_type,
        summary: fields.summary,
        resource: {
          original_type: fields.original_type,
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: aeadEncrypt(fields.plaintext ?? '', wechatpayData(app).apiV3Key, nonce, associatedData),
          associated_data: associatedData,
          nonce,
        },
      });
      const key = signingKeyFor(app, config);
      const timestamp = String(Math.floor(wallMs / 1000));
      const headerNonceValue = headerNonce(notification, wallMs);
      const content = responseSignContent(timestamp, headerNonceValue, body);
      const signature = options.forge && options.probe
        ? `${signTestPrefix}${createHash('sha256').update(content).digest('base64')}`
        : await signAsync(content, options.forge ? privateKeyObject(forgeryKeyPair().privateKeyPem) : key.privateKey);
      return {
        headers: {
          'content-type': 'application/json',
          'wechatpay-nonce': headerNonceValue,
          'wechatpay-serial': key.serial,
          'wechatpay-signature': signature,
          'wechatpay-signature-type': authorizationScheme,
          'wechatpay-timestamp': timestamp,
          'request-id': notification.id,
        },
        body,
      };
    },

    tamperAmount(fields, amountFen) {
      if (!fields.plaintext) return { ...fields };
      const resource = JSON.parse(fields.plaintext) as { amount?: Record<string, number> };
      const amount = { ...resource.amount };
      if ('refund' in amount) {
        amount.refund = amountFen;
        amount.payer_refund = amountFen;
      } else {
        amount.total = amountFen;
        amount.payer_total = amountFen;
      }
      return { ...fields, plaintext: sortedJson({ ...resource, amount }) };
    },

    // A refund's resource names no appid: there the default names another mchid instead.
    tamperIdentity(fields, identity) {
      if (!fields.plaintext) return { ...fields };
      const resource = JSON.parse(fields.plaintext) as Record<string, unknown>;
      const tampered = { ...resource };
      const hasAppId = typeof resource.appid === 'string';
      if (hasAppId) tampered.appid = identity.appId ?? anotherIdentifier(resource.appid as string);
      if (typeof resource.mchid === 'string') {
        if (identity.sellerId !== undefined) tampered.mchid = identity.sellerId;
        else if (!hasAppId) tampered.mchid = anotherIdentifier(resource.mchid);
      }
      return { ...fields, plaintext: sortedJson(tampered) };
    },

    isAcknowledged(status) {
      return status >= 200 && status < 300; // 200 or 204, no body needed (§8.2)
    },
  };
}
