// WeChat Pay's own error codes and HTTP statuses (docs/wechatpay-protocol.md §6.4, §6.6, §7). Every failure
// the routes report is one of these values; respond.ts writes it as a signed `{code, message, detail?}`.

export interface WechatpayError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

const error = (status: number, code: string, message: string, detail?: Record<string, unknown>): WechatpayError => ({ status, code, message, ...(detail ? { detail } : {}) });

export type ParamLocation = 'body' | 'query' | 'path' | 'authorization';

/** A field named plainly (`notify_url`) as the JSON pointer every PARAM_ERROR carries (`/notify_url`). */
const pointerOf = (field: string) => (field.startsWith('/') ? field : `/${field}`);

export const wechatpayErrors = {
  /** A field missing or malformed; `field` is a JSON pointer (`/amount/total`; a plain name gets its slash). */
  paramError: (field: string, issue: string, location: ParamLocation = 'body', value?: unknown) =>
    error(400, 'PARAM_ERROR', `输入源“/${location}${pointerOf(field)}”映射到字段校验失败：${issue}`, {
      field: pointerOf(field),
      location,
      issue,
      ...(value !== undefined ? { value } : {}),
    }),
  invalidRequest: (message: string) => error(400, 'INVALID_REQUEST', message),
  bodyTooLarge: (limitBytes: number) => error(400, 'INVALID_REQUEST', `请求体超过 ${limitBytes} 字节的上限`),
  signError: (issue: string, signInformation?: Record<string, unknown>) =>
    error(401, 'SIGN_ERROR', issue.startsWith('timestamp') ? 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟' : '签名错误,请检查后再试', {
      detail: { issue },
      field: 'signature',
      location: 'authorization',
      ...(signInformation ? { sign_information: signInformation } : {}),
    }),
  mchNotExists: (mchid: string) => error(400, 'MCH_NOT_EXISTS', `商户号 ${mchid} 不存在`),
  orderNotExist: () => error(404, 'ORDER_NOT_EXIST', '订单不存在'),
  orderClosed: () => error(400, 'ORDER_CLOSED', '订单已关闭'),
  /** Closing a paid order: the v2-era code third-party code expects. [L] §6.3 */
  orderPaid: () => error(400, 'ORDERPAID', '订单已支付'),
  outTradeNoUsed: () => error(403, 'OUT_TRADE_NO_USED', '商户订单号重复'),
  tradeNotExistForRefund: () => error(404, 'RESOURCE_NOT_EXISTS', '订单不存在'),
  refundNotExist: () => error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在'),
  refundExceeds: (refundableFen: number) => error(400, 'INVALID_REQUEST', `申请退款金额超过订单可退金额（剩余 ${refundableFen} 分）`),
  refundTotalMismatch: () => error(400, 'INVALID_REQUEST', '订单金额与原订单金额不一致'),
  refundDiscordant: () => error(400, 'INVALID_REQUEST', '退款单号已存在，但请求参数与原请求不一致'),
  refundWindowOver: () => error(400, 'INVALID_REQUEST', '订单已超过退款期限'),
  refundLimitReached: () => error(400, 'INVALID_REQUEST', '订单退款次数超过限制'),
  systemError: () => error(500, 'SYSTEM_ERROR', '系统异常，请稍后重试'),
  frequencyLimited: () => error(429, 'FREQUENCY_LIMITED', '频率超限'),
  noStatementExist: () => error(400, 'NO_STATEMENT_EXIST', '账单文件不存在'),
  statementCreating: () => error(400, 'STATEMENT_CREATING', '账单生成中'),
  badDownloadToken: () => error(400, 'INVALID_REQUEST', '下载链接已失效或无效，请重新申请账单'),
  certificatesUnavailable: () => error(404, 'RESOURCE_NOT_EXISTS', '无可用的平台证书'),
  noSuchApi: (methodAndPath: string) => error(404, 'NOT_FOUND', `请求的接口不存在：${methodAndPath}`),
} as const;

/** The HTTP status of each code WeChat documents (§7), for `business_error` faults. */
const statusOfCode: Readonly<Record<string, number>> = {
  USER_PAYING: 202, USERPAYING: 202,
  PARAM_ERROR: 400, INVALID_REQUEST: 400, APPID_MCHID_NOT_MATCH: 400, MCH_NOT_EXISTS: 400, ORDER_CLOSED: 400, ORDERPAID: 400,
  NO_STATEMENT_EXIST: 400, STATEMENT_CREATING: 400,
  SIGN_ERROR: 401,
  ACCOUNT_ERROR: 403, NO_AUTH: 403, NOT_ENOUGH: 403, OUT_TRADE_NO_USED: 403, RULE_LIMIT: 403, TRADE_ERROR: 403, USER_ACCOUNT_ABNORMAL: 403,
  ORDER_NOT_EXIST: 404, RESOURCE_NOT_EXISTS: 404,
  FREQUENCY_LIMITED: 429, RATELIMIT_EXCEEDED: 429,
  BANK_ERROR: 500, INVALID_TRANSACTIONID: 500, OPENID_MISMATCH: 500, SYSTEM_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** A `business_error` fault as WeChat would answer it; a code WeChat does not document is a 400. */
export function businessErrorOf(code: string, message: string | undefined): WechatpayError {
  return error(statusOfCode[code] ?? 400, code, message ?? code);
}
