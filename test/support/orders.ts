// Small builders for the biz_content of the checkout methods, so tests state only what they vary.

let sequence = 0;

/** A fresh out_trade_no / out_request_no, unique within the test process. */
export function uniqueNo(prefix: string): string {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence}`;
}

/** A payment code that the simulated buyer confirms at once. */
export const instantAuthCode = '281234567890123456';
/** A payment code (prefix 2800) whose buyer is still entering a password: 10003 first. */
export const confirmingAuthCode = '280012345678901234';
/** A buyer id as Alipay shows them: 2088 + 12 digits. */
export const buyerId = '2088102177846880';

export function barcodeOrder(outTradeNo: string, totalAmount = '88.80', authCode = instantAuthCode) {
  return { outTradeNo, totalAmount, subject: '条码支付测试', scene: 'bar_code', authCode };
}

export function createOrder(outTradeNo: string, totalAmount = '88.80') {
  return { outTradeNo, totalAmount, subject: '小程序订单', buyerId };
}

export function precreateOrder(outTradeNo: string, totalAmount = '88.80') {
  return { outTradeNo, totalAmount, subject: '扫码点餐' };
}
