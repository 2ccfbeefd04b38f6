// One swarm case from one seed, on one channel: a random workload (orders of random amounts, 0.00 and
// 0.01 among them, and now and then one of the simulator's magic amounts with magic values on; pay
// methods; buyers who pay, fail, cancel, abandon or come back late; refunds partial and full; closes) and
// a random fault mix. Swarm testing: each fault type is switched on with a small probability, so most
// seeds run most fault types off and each mix is explored on its own.
import { Random } from '../../lib/random.ts';
import { magicAmounts, magicAmountFenMin } from '../../simulator/faults/magic.ts';
import type { ScenarioFault, Step } from '../define.ts';

/** The channels a swarm can run on: each case is on one, its workload and faults in that channel's terms. */
export const swarmChannels = ['alipay', 'wechatpay'] as const;
export type SwarmChannel = (typeof swarmChannels)[number];
/** What a swarm runs on: one channel, or `all` (each seed on the channel its number picks, `channelOfSeed`). */
export type SwarmChannelChoice = SwarmChannel | 'all';
export const swarmChannelChoices: readonly SwarmChannelChoice[] = [...swarmChannels, 'all'];

/** The channel a seed runs on: the one chosen, or under `all` the seed's number modulo the channels (1 Alipay, 2 WeChat Pay, 3 Alipay…). */
export function channelOfSeed(seed: number, choice: SwarmChannelChoice): SwarmChannel {
  return choice === 'all' ? swarmChannels[(seed + swarmChannels.length - 1) % swarmChannels.length]! : choice;
}

export interface SwarmCase {
  readonly seed: number;
  /** Absent: Alipay (every case before WeChat Pay joined the swarm). */
  readonly channel?: SwarmChannel;
  readonly faults: readonly ScenarioFault[];
  readonly steps: readonly Step[];
  /** The simulator's magic values act in this case (it has an order `M` of a magic amount). */
  readonly magic?: boolean;
}

const ordersMax = 3;
/**
 * How often a seed's core crashes once, during a pay, a buyer's payment (its notification arrives at
 * once), a refund or a close: a crash costs up to 300 ms of real time while the core is stuck on its disk.
 */
const crashProbability = 0.05;
const crashableSteps = new Set<Step['step']>(['pay', 'buyerPays', 'refund', 'refundsAtOnce', 'close']);
const faultTypeOnProbability = 0.12;
/** How often a seed adds an order of a magic amount (4000.00–4999.99), the simulator's magic values on. */
const magicOrderProbability = 0.1;
/** The order a magic amount is paid on: its own label, after the others, so that their steps stay as they were. */
export const magicOrderLabel = 'M';
/**
 * The magic amounts a swarm pays, one per fault they carry; left out as in the fault mix: 64 (every refund
 * fails after being accepted, money only a person can return; the catalogue's refund-fails-abnormal covers it).
 */
const magicSuffixes = magicAmounts.filter((magic) => magic.fault.type !== 'refund_fail').map((magic) => magic.fenSuffix);
const amounts = ['0.00', '0.01', '1.00', '12.34', '20.00', '58.00', '88.80', '100.00', '199.99', '0.02', '2.22', '66.66'] as const;

/**
 * A channel's words for the swarm: its pay methods (and which of them open the channel's cashier page), and
 * the gateway methods or paths each gateway fault type picks from. Each list is drawn from once whatever its
 * length, so a seed draws the same fault mix on every channel, and Alipay's draws are those of the swarm
 * before WeChat Pay joined it (the workloads part where a pay method opens a cashier page on one channel
 * and not on the other).
 */
interface Vocabulary {
  readonly methods: readonly string[];
  readonly opensCashier: (method: string) => boolean;
  readonly query: string;
  readonly http_error: readonly string[];
  readonly reset: readonly string[];
  readonly malformed_body: readonly string[];
  readonly response_lost: readonly string[];
  readonly bad_signature: readonly string[];
}

const alipayWords: Vocabulary = {
  methods: ['alipay.qr', 'alipay.page', 'alipay.wap'],
  opensCashier: (method) => method !== 'alipay.qr',
  query: 'alipay.trade.query',
  http_error: ['alipay.trade.query', 'alipay.trade.close', 'alipay.trade.refund', 'alipay.trade.precreate', 'alipay.trade.fastpay.refund.query'],
  reset: ['alipay.trade.query', 'alipay.trade.refund', 'alipay.trade.close'],
  malformed_body: ['alipay.trade.query', 'alipay.trade.refund'],
  response_lost: ['alipay.trade.precreate', 'alipay.trade.refund', 'alipay.trade.close'],
  bad_signature: ['alipay.trade.query', 'alipay.trade.refund'],
};

const wechatpay = {
  native: 'POST /v3/pay/transactions/native',
  h5: 'POST /v3/pay/transactions/h5',
  query: 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}',
  close: 'POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close',
  refund: 'POST /v3/refund/domestic/refunds',
  refundQuery: 'GET /v3/refund/domestic/refunds/{out_refund_no}',
};

/** WeChat Pay API v3: Native gives a QR code (no page to open), H5 a cashier page; both create the trade at the gateway. */
const wechatpayWords: Vocabulary = {
  methods: ['wechatpay.native', 'wechatpay.h5'],
  opensCashier: (method) => method === 'wechatpay.h5',
  query: wechatpay.query,
  http_error: [wechatpay.query, wechatpay.close, wechatpay.refund, wechatpay.native, wechatpay.h5, wechatpay.refundQuery],
  reset: [wechatpay.query, wechatpay.refund, wechatpay.close],
  malformed_body: [wechatpay.query, wechatpay.refund],
  response_lost: [wechatpay.native, wechatpay.h5, wechatpay.refund, wechatpay.close],
  bad_signature: [wechatpay.query, wechatpay.refund],
};

const vocabularies: Readonly<Record<SwarmChannel, Vocabulary>> = { alipay: alipayWords, wechatpay: wechatpayWords };

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const fenOf = (amount: string) => Math.round(Number(amount) * 100);

/**
 * Each fault type with a random parameter set. Left out on purpose: `refund_fail` on every refund (an
 * automatic refund the channel refuses leaves money that only a person can return: the reference core
 * raises it, the invariants rightly break, see late-success-refund-fails), `hang` (it costs real time), and
 * `delay`: the simulator waits on the virtual clock while the core's connector times out in real time
 * (500 ms in scenario worlds), so whether a delayed answer beats the timeout depended on how far the clock
 * got in those 500 real ms, that is on the machine's load: seed 187 of 200 gave three trace hashes in
 * three runs. Each firing also cost the 500 real ms. The catalogue's gateway-slow keeps delay covered.
 */
const faultMakers: Readonly<Record<string, (random: Random, words: Vocabulary) => ScenarioFault>> = {
  http_error: (random, words) => ({ match: { api: random.pick(words.http_error) }, fault: { type: 'http_error', status: random.pick([500, 502, 503, 504]) }, timesMax: random.int(1, 4) }),
  reset: (random, words) => ({ match: { api: random.pick(words.reset) }, fault: { type: 'reset' }, timesMax: random.int(1, 3) }),
  malformed_body: (random, words) => ({ match: { api: random.pick(words.malformed_body) }, fault: { type: 'malformed_body' }, timesMax: random.int(1, 3) }),
  response_lost: (random, words) => ({ match: { api: random.pick(words.response_lost) }, fault: { type: 'response_lost' }, timesMax: random.int(1, 2) }),
  bad_signature: (random, words) => ({ match: { api: random.pick(words.bad_signature) }, fault: { type: 'bad_signature' }, timesMax: random.int(1, 2) }),
  rate_limit: (random, words) => ({ match: { api: words.query }, fault: { type: 'rate_limit' }, timesMax: random.int(1, 3) }),
  drop: (random) => ({ match: { api: 'notify', probability: random.pick([0.5, 1]) }, fault: { type: 'drop' } }),
  notify_delay: (random) => ({ match: { api: 'notify' }, fault: { type: 'notify_delay', ms: random.pick([60_000, 600_000, 3_600_000]) }, timesMax: random.int(1, 3) }),
  duplicate: (random) => ({ match: { api: 'notify' }, fault: { type: 'duplicate', copies: random.int(1, 9) }, timesMax: random.int(1, 3) }),
  reorder: () => ({ match: { api: 'notify' }, fault: { type: 'reorder' } }),
  tamper_amount: (random) => ({ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'tamper_amount', amount: random.pick(['0.01', '1.00']) }, timesMax: random.int(1, 2) }),
  forge_signature: (random) => ({ match: { api: 'notify' }, fault: { type: 'forge_signature' }, timesMax: random.int(1, 3) }),
  late_success: (random) => ({ match: { api: 'notify' }, fault: { type: 'late_success', ms: random.int(500, 5000) }, timesMax: 1 }),
  early_notify: (random) => ({ match: { api: 'notify' }, fault: { type: 'early_notify', ms: random.pick([30_000, 120_000]) }, timesMax: 1 }),
  refund_stuck: (random) => ({ match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: random.pick([600_000, 7_200_000, 172_800_000]) }, timesMax: random.int(1, 2) }),
  refund_after_queries: (random) => ({ match: { api: 'refund' }, fault: { type: 'refund_after_queries', queries: random.int(1, 4) }, timesMax: random.int(1, 2) }),
  bill_missing_row: () => ({ match: { api: 'bill' }, fault: { type: 'bill_missing_row' }, timesMax: 1 }),
  bill_extra_row: () => ({ match: { api: 'bill' }, fault: { type: 'bill_extra_row' }, timesMax: 1 }),
  bill_amount_mismatch: () => ({ match: { api: 'bill' }, fault: { type: 'bill_amount_mismatch', amount: '1.00' }, timesMax: 1 }),
  bill_status_mismatch: () => ({ match: { api: 'bill' }, fault: { type: 'bill_status_mismatch' }, timesMax: 1 }),
  bill_duplicate_row: () => ({ match: { api: 'bill' }, fault: { type: 'bill_duplicate_row' }, timesMax: 1 }),
  bill_not_ready: () => ({ match: { api: 'bill' }, fault: { type: 'bill_not_ready' }, timesMax: 1 }),
  pay_after_expiry: () => ({ match: { api: 'buyer' }, fault: { type: 'pay_after_expiry' }, timesMax: 1 }),
  abandon: (random) => ({ match: { api: 'buyer' }, fault: { type: 'abandon' }, timesMax: random.int(1, 2) }),
};

/**
 * Fault types added after the first swarm runs draw from a stream of their own, so that adding one leaves
 * every earlier draw of every seed as it was: a seed quoted before keeps its workload and its other faults.
 */
const laterFaultMakers: Readonly<Record<string, (random: Random) => ScenarioFault>> = {
  tamper_identity: (random) => ({ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'tamper_identity' }, timesMax: random.int(1, 2) }),
};

export const swarmFaultTypes = [...Object.keys(faultMakers), ...Object.keys(laterFaultMakers)];

function orderSteps(random: Random, label: string, words: Vocabulary, magicAmount?: string): Step[] {
  const amount = magicAmount ?? random.pick(amounts);
  const expireInSec = random.pick([undefined, 300, 900, 3600]);
  const steps: Step[] = [{ step: 'createOrder', order: label, amount, ...(expireInSec !== undefined ? { expireInSec } : {}) }];
  if (fenOf(amount) === 0) return steps;
  const method = random.pick(words.methods);
  steps.push({ step: 'pay', order: label, method });
  if (words.opensCashier(method) && random.chance(0.7)) steps.push({ step: 'buyerOpens', order: label });
  const buyer = random.pick(['pays', 'pays', 'pays', 'insufficientThenPays', 'cancels', 'abandons', 'paysLate', 'closedFirst'] as const);
  switch (buyer) {
    case 'pays':
      steps.push({ step: 'buyerPays', order: label });
      break;
    case 'insufficientThenPays':
      steps.push({ step: 'buyerPays', order: label, outcome: 'insufficient' }, { step: 'buyerPays', order: label });
      break;
    case 'cancels':
      steps.push({ step: 'buyerPays', order: label, outcome: 'cancel' });
      if (random.chance(0.5)) steps.push({ step: 'buyerReturns', order: label });
      break;
    case 'abandons':
      break;
    case 'paysLate':
      steps.push({ step: 'advance', by: random.pick(['4m', '20m', '2h']) }, { step: 'buyerPays', order: label });
      break;
    case 'closedFirst':
      steps.push({ step: 'close', order: label }, { step: 'buyerPays', order: label });
      break;
  }
  if (random.chance(0.3)) steps.push({ step: 'buyerReturns', order: label });
  if (buyer !== 'abandons' && buyer !== 'cancels' && random.chance(0.6)) {
    steps.push({ step: 'advance', by: random.pick(['1m', '5m']) });
    const paidFen = fenOf(amount);
    const kind = random.pick(['full', 'partial', 'twoParts', 'replayed'] as const);
    const part = Math.max(1, Math.floor(paidFen * random.pick([0.1, 0.3, 0.5])));
    if (kind === 'full') steps.push({ step: 'refund', order: label, refund: `${label}R1`, amount });
    if (kind === 'partial') steps.push({ step: 'refund', order: label, refund: `${label}R1`, amount: yuan(part) });
    if (kind === 'twoParts') steps.push({ step: 'refundsAtOnce', order: label, refunds: [{ refund: `${label}R1`, amount: yuan(part) }, { refund: `${label}R2`, amount: yuan(paidFen - part) }] });
    if (kind === 'replayed') steps.push({ step: 'refund', order: label, refund: `${label}R1`, amount: yuan(part) }, { step: 'refund', order: label, refund: `${label}R1`, amount: yuan(part) });
  }
  return steps;
}

/** The same seed (on the same channel) gives the same case, on any machine. */
export function swarmCase(seed: number, channel: SwarmChannel = 'alipay'): SwarmCase {
  const words = vocabularies[channel];
  const random = new Random(seed).fork('swarm');
  const faults: ScenarioFault[] = [];
  for (const make of Object.values(faultMakers)) if (random.chance(faultTypeOnProbability)) faults.push(make(random, words));
  const later = new Random(seed).fork('swarm-later-faults');
  for (const make of Object.values(laterFaultMakers)) if (later.chance(faultTypeOnProbability)) faults.push(make(later));
  const steps: Step[] = [];
  if (random.chance(0.1)) steps.push({ step: 'businessSystem', answers: random.pick(['down', 'wrongBody'] as const) });
  const orders = random.int(1, ordersMax);
  for (let index = 0; index < orders; index++) {
    steps.push(...orderSteps(random, String.fromCharCode(65 + index), words));
    steps.push({ step: 'advance', by: random.pick(['1m', '10m', '1h']) });
  }
  // Now and then the core dies during one step (its own stream: the other draws stay as they were).
  const crashing = new Random(seed).fork('swarm-crash');
  if (crashing.chance(crashProbability)) {
    const candidates = steps.flatMap((step, index) => (crashableSteps.has(step.step) ? [index] : []));
    if (candidates.length > 0) {
      const index = crashing.pick(candidates);
      steps[index] = { step: 'coreCrashes', during: steps[index]! };
    }
  }
  // Now and then an order of a magic amount (its own stream, its own label), the simulator's magic values on.
  const magicDraws = new Random(seed).fork('swarm-magic');
  const magic = magicDraws.chance(magicOrderProbability);
  if (magic) {
    const fen = magicAmountFenMin + magicDraws.int(0, 999) * 100 + magicDraws.pick(magicSuffixes);
    steps.push(...orderSteps(magicDraws, magicOrderLabel, words, yuan(fen)));
  }
  // Faults are off from quiesce on, so a bill fault fires only if the day is reconciled during chaos.
  if (faults.some((rule) => rule.match?.api === 'bill')) steps.push({ step: 'advance', by: '26h' });
  return { seed, ...(channel === 'alipay' ? {} : { channel }), faults, steps, ...(magic ? { magic } : {}) };
}
