// Validation of `POST /api/orders`: the raw JSON body in, a typed request or one named problem out.
import { parseYuan } from '../../lib/money.ts';
import { defaultDomainPolicy, type OrderPolicy } from './policy.ts';
import { identifierProblem, isPlainObject, textProblem, unknownField } from './validate.ts';

export interface OrderItem {
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceFen?: number;
}

export interface OrderRequest {
  readonly outOrderNo: string;
  readonly amountFen: number;
  readonly currency: 'CNY';
  readonly subject: string;
  readonly expireInSec: number;
  readonly items: readonly OrderItem[];
}

export type OrderRequestCheck =
  | { readonly ok: true; readonly request: OrderRequest }
  | { readonly ok: false; readonly code: 'INVALID_AMOUNT' | 'INVALID_PARAMETER'; readonly field: string; readonly reason: string };

const orderFields = ['outOrderNo', 'amount', 'currency', 'subject', 'expireInSec', 'items'] as const;
const itemFields = ['name', 'quantity', 'unitPrice'] as const;
const quantityMax = 1_000_000;

const invalid = (field: string, reason: string): OrderRequestCheck => ({ ok: false, code: 'INVALID_PARAMETER', field, reason });
const invalidAmount = (field: string, reason: string): OrderRequestCheck => ({ ok: false, code: 'INVALID_AMOUNT', field, reason });

/**
 * Checks an order request. `amount` is a yuan string with at most 2 decimals; "0" and "0.00" are a
 * 0-amount order (paid at creation, never sent to a channel). When every item carries a unit price,
 * the items must add up to the amount exactly: a sum of parts that differs from the total is refused.
 */
export function validateOrderRequest(body: unknown, policy: OrderPolicy = defaultDomainPolicy.order): OrderRequestCheck {
  if (!isPlainObject(body)) return invalid('body', 'the body must be a JSON object');
  const extra = unknownField(body, orderFields);
  if (extra !== undefined) return invalid(extra, `unknown field "${extra.slice(0, 40)}"; allowed: ${orderFields.join(', ')}`);

  const outOrderNoProblem = identifierProblem(body.outOrderNo, 'outOrderNo', policy.outOrderNoLengthMax);
  if (outOrderNoProblem) return invalid('outOrderNo', outOrderNoProblem);

  if (body.amount === undefined) return invalidAmount('amount', 'amount is required, as a yuan string such as "88.80"');
  if (typeof body.amount !== 'string') return invalidAmount('amount', 'amount must be a yuan string such as "88.80", not a number');
  const amount = parseYuan(body.amount);
  if (!amount.ok) return invalidAmount('amount', amount.reason);

  if (body.currency !== undefined && body.currency !== 'CNY') return invalid('currency', 'currency must be "CNY", the only one supported');

  const subjectProblem = textProblem(body.subject, 'subject', policy.subjectLengthMax);
  if (subjectProblem) return invalid('subject', subjectProblem);

  const expireInSec = body.expireInSec ?? policy.expireInSecDefault;
  if (typeof expireInSec !== 'number' || !Number.isInteger(expireInSec)) return invalid('expireInSec', 'expireInSec must be an integer number of seconds');
  if (expireInSec < policy.expireInSecMin || expireInSec > policy.expireInSecMax) {
    return invalid('expireInSec', `expireInSec must be between ${policy.expireInSecMin} and ${policy.expireInSecMax}, got ${expireInSec}`);
  }

  const items = validateItems(body.items ?? [], policy.itemsMax);
  if (!Array.isArray(items)) return items;
  const priced = items.filter((item) => item.unitPriceFen !== undefined);
  if (items.length > 0 && priced.length === items.length) {
    const itemsFen = priced.reduce((sum, item) => sum + item.unitPriceFen! * item.quantity, 0);
    if (itemsFen !== amount.fen) return invalidAmount('items', `items add up to ${itemsFen} fen but amount is ${amount.fen} fen`);
  }

  return {
    ok: true,
    request: { outOrderNo: body.outOrderNo as string, amountFen: amount.fen, currency: 'CNY', subject: body.subject as string, expireInSec, items },
  };
}

function validateItems(value: unknown, itemsMax: number): OrderItem[] | OrderRequestCheck {
  if (!Array.isArray(value)) return invalid('items', 'items must be an array');
  if (value.length > itemsMax) return invalid('items', `at most ${itemsMax} items, got ${value.length}`);
  const items: OrderItem[] = [];
  for (const [index, raw] of value.entries()) {
    const field = `items[${index}]`;
    if (!isPlainObject(raw)) return invalid(field, 'each item must be an object {name, quantity, unitPrice?}');
    const extra = unknownField(raw, itemFields);
    if (extra !== undefined) return invalid(`${field}.${extra.slice(0, 40)}`, `unknown item field; allowed: ${itemFields.join(', ')}`);
    const nameProblem = textProblem(raw.name, `${field}.name`, 127);
    if (nameProblem) return invalid(`${field}.name`, nameProblem);
    const quantity = raw.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > quantityMax) {
      return invalid(`${field}.quantity`, `quantity must be an integer from 1 to ${quantityMax}`);
    }
    if (raw.unitPrice === undefined) {
      items.push({ name: raw.name as string, quantity });
      continue;
    }
    if (typeof raw.unitPrice !== 'string') return invalidAmount(`${field}.unitPrice`, 'unitPrice must be a yuan string such as "8.80"');
    const price = parseYuan(raw.unitPrice);
    if (!price.ok) return invalidAmount(`${field}.unitPrice`, price.reason);
    items.push({ name: raw.name as string, quantity, unitPriceFen: price.fen });
  }
  return items;
}
