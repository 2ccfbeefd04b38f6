// Alipay dialect settings. Behaviour the protocol notes mark uncertain is a switch here.

export interface AlipayConfig {
  /** Reject biz_content fields the method does not define (catches typos such as total_amout). */
  strictParameters: boolean;
  /** HTTP status of v3 business errors such as ACQ.TRADE_NOT_EXIST. [L] */
  v3BusinessErrorStatus: number;
  /** v3 error `code` as `ACQ.TRADE_NOT_EXIST` ("prefixed") or `TRADE_NOT_EXIST` ("bare"). [L] */
  v3ErrorCodeStyle: 'prefixed' | 'bare';
  /** A day without trades: an empty file with EMPTY_DATA_WITH_BILL_FILE, or isp.bill_not_exist. */
  emptyBill: 'file' | 'not_exist';
  /** Lifetime of a bill download URL (Alipay: 30 s). */
  billUrlTtlMs: number;
  /** Largest request body the gateway reads. */
  bodyBytesMax: number;
  /** Service fee the bill charges per payment, in basis points (0.6% standard rate), rounded half up. */
  serviceFeeBasisPoints: number;
  /**
   * `notify_time` of a resent notification: the time of that attempt (`send`, as the protocol notes have
   * it), or of the first attempt (`first`), in which case each resend is the first attempt's signed body. [M]
   */
  notifyTimeOnResend: 'send' | 'first';
  /**
   * A partial refund without `out_request_no`: refused (40001 isv.missing-parameter), as the docs say the
   * field "如需部分退款，则此参数必传", or taken under the trade's `out_trade_no`, as lenient gateways do. [SRC]
   */
  partialRefundWithoutRequestNo: 'refuse' | 'accept';
  /**
   * `enforce`: a `time_expire` more than 15 days after the simulator's clock is refused, as Alipay's range
   * says. `ignore` (the default): a merchant on another clock than the simulator's (a core on real time
   * beside a simulator on `--clock virtual`) sends times that look months ahead, and every order would fail.
   */
  timeExpireRange: 'enforce' | 'ignore';
}

export const defaultAlipayConfig: AlipayConfig = {
  strictParameters: true,
  v3BusinessErrorStatus: 400,
  v3ErrorCodeStyle: 'prefixed',
  emptyBill: 'file',
  billUrlTtlMs: 30_000,
  bodyBytesMax: 1024 * 1024,
  serviceFeeBasisPoints: 60,
  notifyTimeOnResend: 'send',
  partialRefundWithoutRequestNo: 'refuse',
  timeExpireRange: 'ignore',
};
