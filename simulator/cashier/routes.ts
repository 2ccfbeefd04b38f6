// The cashier's routes: the page, and the buyer's choice posted from it. After paying, the browser
// is redirected to the merchant's return URL with the channel's signed parameters.
import { Router, type Request, type Response } from 'express';
import { readRawBody } from '../../lib/http.ts';
import type { Engine } from '../engine/engine.ts';
import type { App, ChannelName, Trade } from '../engine/types.ts';
import { buyerActions, buyerActs, type BuyerAction } from './buyer.ts';
import { cashierMessage, cashierPage } from './page.ts';

/** Per channel: the cashier's heading, and where the browser goes after paying, or after cancelling. */
export interface CashierReturn {
  readonly title: string;
  afterPay(trade: Trade, app: App): Promise<string | undefined>;
  afterCancel(trade: Trade): string | undefined;
}

export function cashierRoutes(engine: Engine, returns: ReadonlyMap<ChannelName, CashierReturn>): Router {
  const router = Router();
  const html = (res: Response, status: number, body: string) => res.status(status).type('text/html; charset=utf-8').send(body);

  const load = (req: Request, res: Response): { trade: Trade; app: App } | undefined => {
    const trade = engine.trades.byToken(String(req.params.token));
    const app = trade ? engine.apps.get(trade.channel, trade.appId) : undefined;
    if (!trade || !app) {
      html(res, 404, cashierMessage('订单不存在', 'This cashier link does not belong to any trade. Start the payment again from the merchant.'));
      return undefined;
    }
    return { trade, app };
  };

  router.get('/cashier/:token', async (req, res) => {
    const found = load(req, res);
    if (!found) return;
    const trade = await engine.trades.makeVisible(found.trade);
    if (trade.state.kind !== 'waiting') return html(res, 200, cashierMessage('订单已处理', `This trade is ${trade.state.kind}; it cannot be paid again.`));
    return html(res, 200, cashierPage(trade, found.app, returns.get(trade.channel)?.title ?? trade.channel));
  });

  router.post('/cashier/:token/pay', async (req, res) => {
    const found = load(req, res);
    if (!found) return;
    const raw = await readRawBody(req, 16 * 1024);
    const action = raw.kind === 'ok' ? new URLSearchParams(raw.text).get('action') : null;
    if (!action || !buyerActions.includes(action as BuyerAction)) {
      return html(res, 400, cashierMessage('无效的操作', `action must be one of ${buyerActions.join(', ')}`));
    }
    const outcome = await buyerActs(engine, found.trade, action as BuyerAction);
    const channelReturn = returns.get(found.trade.channel);
    switch (outcome.kind) {
      case 'paid': {
        const target = await channelReturn?.afterPay(outcome.trade, found.app);
        if (target) return res.redirect(302, target);
        return html(res, 200, cashierMessage('支付成功', `Paid ${outcome.trade.subject}. The merchant gave no return URL; you can close this page.`));
      }
      case 'insufficient':
        return html(res, 200, cashierPage(outcome.trade, found.app, returns.get(outcome.trade.channel)?.title ?? outcome.trade.channel, '余额不足，请更换付款方式 (insufficient balance: nothing was paid)'));
      case 'cancelled': {
        const target = channelReturn?.afterCancel(outcome.trade);
        if (target) return res.redirect(302, target);
        return html(res, 200, cashierMessage('已取消', 'Payment cancelled. The trade stays open until it expires.'));
      }
      case 'abandoned':
        return html(res, 200, cashierMessage('已离开', 'The buyer walked away (fault injection): nothing was paid.'));
      case 'notPayable':
        return html(res, 409, cashierMessage('无法支付', `This trade cannot be paid: ${outcome.reason.replace('_', ' ')}.`));
    }
  });

  return router;
}
