// WeChat Pay dialect settings. Behaviour the protocol notes mark uncertain ([M]/[L] in
// docs/wechatpay-protocol.md) is a switch here.

export interface WechatpayConfig {
  /**
   * Which key signs answers to requests that name no `Wechatpay-Serial`, and every notification:
   * the WeChat Pay public key (`PUB_KEY_ID_…`, what new merchants get, §3.2) or the platform certificate.
   */
  keyMode: 'public_key' | 'platform_certificate';
  /** Whether `GET /v3/certificates` answers in public-key mode, or 404s as for a merchant without certificates. [L] §4 */
  certificatesInPublicKeyMode: 'serve' | 'not_found';
  /** Whether a 401 SIGN_ERROR answer carries Wechatpay-* signature headers. [L] §3.1 */
  signAuthorizationErrors: boolean;
  /** A serial_no that is not the merchant certificate's: 401 SIGN_ERROR, or the 500 SYSTEM_ERROR forums report. [M] §2.1 */
  serialMismatch: 'sign_error' | 'system_error';
  /** Largest request skew of `timestamp` in the Authorization header, in seconds (WeChat: 300). */
  timestampSkewSecondsMax: number;
  /**
   * What `code_url` and `h5_url` point to: the simulator's cashier (a browser can open it), or the real
   * shapes (`weixin://wxpay/bizpayurl?pr=…`, `https://wx.tenpay.com/…`) carrying the cashier token. [M] §6.1
   */
  payUrlStyle: 'cashier' | 'real';
  /** Host of `download_url`: the real one (node-v3 strips exactly it before signing, §1.2) or the simulator's. */
  billDownloadHost: 'real' | 'simulator';
  /** Lifetime of a bill download token (WeChat: 30 s). */
  billUrlTtlMs: number;
  /** Line ending of bill files. [L] §9 */
  billLineEnding: 'lf' | 'crlf';
  /** Largest request body read. */
  bodyBytesMax: number;
  /** Service fee the bill charges per payment, in basis points (0.6% standard rate). */
  serviceFeeBasisPoints: number;
  /**
   * How much of its payment's fee a refund gives back, in whole fen (the refund answer's
   * `amount.refund_fee`, and the refund row's 手续费 on the bill): `proportional`, the payment's fee (in
   * fen) times the share refunded, on cumulative amounts so that refunding everything returns exactly the
   * fee; or `rate`, the rate times the refund, rounded half up per refund (a whole refund in parts may
   * then return a fen more or less than the fee). WeChat documents neither. [L]
   */
  refundFeeReturn: 'proportional' | 'rate';
  /**
   * Real ms a merchant has to answer one notification attempt before it counts as failed and is resent
   * (WeChat: about 5 s, documented for test callbacks and assumed for all). [M] §8.2
   */
  notifyAttemptTimeoutMs: number;
}

export const defaultWechatpayConfig: WechatpayConfig = {
  keyMode: 'public_key',
  certificatesInPublicKeyMode: 'serve',
  signAuthorizationErrors: true,
  serialMismatch: 'sign_error',
  timestampSkewSecondsMax: 300,
  payUrlStyle: 'cashier',
  billDownloadHost: 'real',
  billUrlTtlMs: 30_000,
  billLineEnding: 'lf',
  bodyBytesMax: 1024 * 1024,
  serviceFeeBasisPoints: 60,
  refundFeeReturn: 'proportional',
  notifyAttemptTimeoutMs: 5_000,
};

/** The real API host, which WeChat's own links (download_url) name. */
export const wechatpayApiHost = 'https://api.mch.weixin.qq.com';
