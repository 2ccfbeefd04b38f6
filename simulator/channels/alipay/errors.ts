// Alipay's own error codes (docs/alipay-protocol.md §7). Every failure the gateway reports is one of these
// values; routes turn them into a signed `<method>_response` (v2) or a 4xx JSON body (v3).

export interface AlipayError {
  readonly code: string;
  readonly msg: string;
  readonly subCode: string;
  readonly subMsg: string;
}

const gateway = (code: string, msg: string) => (subCode: string, subMsg: string): AlipayError => ({ code, msg, subCode, subMsg });

export const unavailable = gateway('20000', 'Service Currently Unavailable');
export const missingArgument = gateway('40001', 'Missing Required Arguments');
export const invalidArgument = gateway('40002', 'Invalid Arguments');
export const businessFailed = gateway('40004', 'Business Failed');
export const callLimited = gateway('40005', 'Call Limited');

export const alipayErrors = {
  systemBusy: () => unavailable('isp.unknow-error', '系统繁忙'),
  missingMethod: () => missingArgument('isv.missing-method', '缺少方法名参数'),
  missingAppId: () => missingArgument('isv.missing-app-id', '缺少AppID参数'),
  missingSignature: () => missingArgument('isv.missing-signature', '缺少签名参数'),
  missingSignType: () => missingArgument('isv.missing-signature-type', '缺少签名类型参数'),
  missingTimestamp: () => missingArgument('isv.missing-timestamp', '缺少时间戳参数'),
  missingVersion: () => missingArgument('isv.missing-version', '缺少版本参数'),
  missingParameter: (name: string) => missingArgument('isv.missing-parameter', `缺少必选参数 ${name}`),
  invalidMethod: (method: string) => invalidArgument('isv.invalid-method', `不存在的方法名 ${method}`),
  invalidAppId: (appId: string) => invalidArgument('isv.invalid-app-id', `无效的AppID参数 ${appId}`),
  invalidSignType: (signType: string) => invalidArgument('isv.invalid-signature-type', `无效的签名类型 ${signType}，只支持 RSA2 和 RSA`),
  invalidTimestamp: (timestamp: string) => invalidArgument('isv.invalid-timestamp', `非法的时间戳参数 ${timestamp}，格式应为 yyyy-MM-dd HH:mm:ss`),
  invalidCharset: (charset: string) => invalidArgument('isv.invalid-charset', `字符集错误 ${charset}，只支持 utf-8`),
  invalidFormat: (format: string) => invalidArgument('isv.invalid-format', `无效的数据格式 ${format}，只支持 JSON`),
  invalidSignature: (content: string) =>
    invalidArgument('isv.invalid-signature', `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`),
  invalidParameter: (detail: string) => invalidArgument('isv.invalid-parameter', `参数无效: ${detail}`),
  bodyTooLarge: (limitBytes: number) => invalidArgument('isv.invalid-parameter', `请求体超过 ${limitBytes} 字节的上限`),
  rateLimited: () => callLimited('aop.call-limited', '调用频次超限'),
  tradeNotExist: () => businessFailed('ACQ.TRADE_NOT_EXIST', '交易不存在'),
  authCodeInvalid: () => businessFailed('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款'),
  tradeHasSuccess: () => businessFailed('ACQ.TRADE_HAS_SUCCESS', '交易已被支付'),
  tradeHasClose: () => businessFailed('ACQ.TRADE_HAS_CLOSE', '交易已经关闭'),
  contextInconsistent: () => businessFailed('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改'),
  tradeStatusError: () => businessFailed('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'),
  tradeHasFinished: () => businessFailed('ACQ.TRADE_HAS_FINISHED', '交易已结束'),
  refundAmountExceeds: () => businessFailed('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限'),
  discordantRepeat: () => businessFailed('ACQ.DISCORDANT_REPEAT_REQUEST', '不一致的请求'),
  cancelTimeout: () => businessFailed('ACQ.TRADE_CANCEL_TIME_OUT', '超过撤销时间范围'),
  invalidBusinessParameter: (detail: string) => businessFailed('ACQ.INVALID_PARAMETER', `参数无效: ${detail}`),
  totalFeeExceed: () => businessFailed('ACQ.TOTAL_FEE_EXCEED', '订单金额超过限额'),
  businessSystemError: () => businessFailed('ACQ.SYSTEM_ERROR', '系统错误'),
  billNotExist: () => businessFailed('isp.bill_not_exist', '账单不存在'),
  billTypeNotSupported: (billType: string) => businessFailed('TYPE_NOT_SUPPORTED', `不支持的账单类型 ${billType}`),
} as const;

/** Codes of `alipay.trade.pay` that are not failures: 10003 means the buyer is still confirming. */
export const userPaying = { code: '10003', msg: 'Order success pay inprocess' } as const;

/** The `{code, msg, sub_code, sub_msg}` members of a v2 response for an error. */
export function errorFields(error: AlipayError): Record<string, string> {
  return { code: error.code, msg: error.msg, sub_code: error.subCode, sub_msg: error.subMsg };
}

/** HTTP status of a v3 error: gateway errors are 400/401, business failures configurable [L]. */
export function v3Status(error: AlipayError, businessStatus: number): number {
  if (error.subCode === 'isv.invalid-signature' || error.subCode === 'isv.invalid-app-id') return 401;
  if (error.code === '20000') return 500;
  if (error.code === '40005') return 429;
  if (error.code === '40004') return businessStatus;
  return 400;
}
