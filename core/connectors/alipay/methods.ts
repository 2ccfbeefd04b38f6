// The pay methods the Alipay connector serves (the public surface's names).
import type { PayMethod } from '../../domain/routing.ts';

export const alipayMethods = ['alipay.page', 'alipay.wap', 'alipay.qr'] as const satisfies readonly PayMethod[];
