// The hosted cashier page: what the buyer sees between the merchant's checkout and the return.
import { escapeHtml } from '../../lib/http.ts';
import { formatFen } from '../../lib/money.ts';
import type { App, Trade } from '../engine/types.ts';

const style = `body{font-family:system-ui,-apple-system,sans-serif;background:#f5f7fa;margin:0;color:#222}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px #0001}
h1{font-size:1.1rem;color:#1677ff;margin:0 0 1.5rem} .amount{font-size:2.4rem;font-weight:600;margin:.5rem 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;font-size:.95rem} dt{color:#777}
form{margin:0} button{width:100%;padding:.8rem;margin-top:.8rem;border-radius:8px;border:1px solid #1677ff;font-size:1rem;cursor:pointer}
.pay{background:#1677ff;color:#fff} .insufficient{background:#fff;color:#1677ff} .cancel{background:#fff;color:#777;border-color:#ccc}
.note{color:#888;font-size:.8rem;margin-top:1.5rem} .banner{padding:.8rem;border-radius:8px;background:#fff4e5;color:#8a5300}`;

/** `title` is the channel's cashier heading (its module's `cashier.title`). */
export function cashierPage(trade: Trade, app: App, title: string, notice?: string): string {
  const action = `/cashier/${trade.cashierToken}/pay`;
  const button = (value: string, label: string, css: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="action" value="${value}"><button class="${css}" name="button" value="${value}">${label}</button></form>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${notice ? `<p class="banner" id="notice">${escapeHtml(notice)}</p>` : ''}
<div class="amount" id="amount">¥ ${formatFen(trade.amountFen)}</div>
<dl><dt>商品</dt><dd id="subject">${escapeHtml(trade.subject)}</dd>
<dt>收款方</dt><dd id="merchant">${escapeHtml(app.name)}</dd>
<dt>订单号</dt><dd id="out-trade-no">${escapeHtml(trade.outTradeNo)}</dd></dl>
${button('pay', '确认付款 Pay', 'pay')}
${button('insufficient', '余额不足付款 Pay with insufficient balance', 'insufficient')}
${button('cancel', '取消 Cancel', 'cancel')}
<p class="note">paysim simulated cashier: no money moves.</p>
</main></body></html>`;
}

export function cashierMessage(title: string, message: string, link?: { href: string; label: string }): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main><h1 id="title">${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p>
${link ? `<p><a id="continue" href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}
</main></body></html>`;
}
