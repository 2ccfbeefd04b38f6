// What the simulator dashboard's views share: the page's data, state colours and a few formatters.
import { h } from './ui.js';

export const data = JSON.parse(document.getElementById('dashboard-data')?.textContent ?? '{}');
export const stateKind = { paid: 'ok', finished: 'ok', acknowledged: 'ok', waiting: 'warn', pending: 'warn', exhausted: 'bad', closed: '' };
export const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
export const tradePath = (trade) => `/dashboard/trades/${[trade.channel, trade.appId, trade.outTradeNo].map(encodeURIComponent).join('/')}`;
export const section = (view) => document.getElementById(`view-${view}`);
export const card = (title, count, ...body) => h('div', { class: 'card' }, h('h2', {}, title, count === undefined ? null : h('span', { class: 'count' }, String(count))), ...body);
