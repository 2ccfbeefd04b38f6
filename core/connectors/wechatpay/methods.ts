// The pay methods the WeChat Pay connector serves (the public surface's names).
import type { PayMethod } from '../../domain/routing.ts';

export const wechatpayMethods = ['wechatpay.native', 'wechatpay.h5'] as const satisfies readonly PayMethod[];
