// The risk check has three real outcomes. Block: the buyer rules hold whether or not the business
// system names the buyer (without a buyerId they key on the client address). Step-up: the core opens a
// challenge, the business system verifies the buyer and pays again with the proof, which passes the
// step-up rule once, never a block rule. Pass: the payment goes ahead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../../core/config.ts';
import type { RiskRule } from '../../../core/domain/index.ts';
import type { StepUpVerifier } from '../../../core/services/step-up.ts';
import { startPaysim, type ApiAnswer, type Paysim } from './paysim.ts';

let sequence = 0;

async function newOrder(paysim: Paysim, amount: string): Promise<string> {
  sequence += 1;
  const created = await paysim.api('POST', '/api/orders', { outOrderNo: `R-${sequence}-${Date.now().toString(36)}`, amount, subject: 'risk test' });
  expect(created.status).toBe(201);
  return created.body.orderNo;
}

const pay = (paysim: Paysim, orderNo: string, body: Record<string, unknown> = {}) => paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'alipay.qr', ...body });

function expectCode(answer: ApiAnswer, status: number, code: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.code).toBe(code);
}

const stepUpRule: RiskRule = { kind: 'amountLimit', id: 'over-100', amountFenMax: 10_000, action: 'stepUp' };

describe('buyer rules without a buyerId', () => {
  let paysim: Paysim;
  beforeAll(async () => {
    paysim = await startPaysim({
      core: {
        riskRules: [
          { kind: 'velocity', id: 'burst', windowMs: 10 * 60_000, countMax: 2, action: 'block' },
          { kind: 'blocklist', id: 'banned', buyerIds: ['buyer-banned'], action: 'block' },
          stepUpRule,
        ],
      },
    });
  });
  afterAll(async () => {
    await paysim.close();
  });

  it('blocks a burst from one client address when no buyerId is given, even with a forged X-Forwarded-For', async () => {
    expect((await pay(paysim, await newOrder(paysim, '10.00'))).status).toBe(200);
    expect((await pay(paysim, await newOrder(paysim, '11.00'))).status).toBe(200);
    const third = await pay(paysim, await newOrder(paysim, '12.00'));
    expectCode(third, 403, 'RISK_BLOCKED');
    expect(third.body.message).toContain('burst');

    const forged = await fetch(`${paysim.core.url}/api/orders/${await newOrder(paysim, '13.00')}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.8.7' },
      body: JSON.stringify({ method: 'alipay.qr' }),
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).code).toBe('RISK_BLOCKED');
  });

  it('keys on the buyerId when one is given, and blocks a listed buyer id', async () => {
    expect((await pay(paysim, await newOrder(paysim, '14.00'), { buyerId: 'buyer-7' })).status).toBe(200);
    expectCode(await pay(paysim, await newOrder(paysim, '15.00'), { buyerId: 'buyer-banned' }), 403, 'RISK_BLOCKED');
  });

  it('does not show the one-time code unless the core is configured to expose it', async () => {
    const required = await pay(paysim, await newOrder(paysim, '200.00'), { buyerId: 'buyer-8' });
    expectCode(required, 403, 'RISK_STEP_UP_REQUIRED');
    const challenge = await paysim.api('GET', `/api/risk/challenges/${required.body.challengeId}`);
    expect(challenge.status).toBe(200);
    expect(challenge.body).toMatchObject({ challengeId: required.body.challengeId, status: 'OPEN', attempts: 0, attemptsMax: 3 });
    expect(challenge.body).not.toHaveProperty('code');
  });
});

describe('an address on the blocklist', () => {
  let paysim: Paysim;
  beforeAll(async () => {
    paysim = await startPaysim({ core: { riskRules: [{ kind: 'blocklist', id: 'bad-address', addresses: ['127.0.0.1', '::1'], action: 'block' }] } });
  });
  afterAll(async () => {
    await paysim.close();
  });

  it('is blocked with or without a buyerId', async () => {
    const anonymous = await pay(paysim, await newOrder(paysim, '10.00'));
    expectCode(anonymous, 403, 'RISK_BLOCKED');
    expect(anonymous.body.message).toMatch(/bad-address.*127\.0\.0\.1|127\.0\.0\.1.*bad-address/);
    expectCode(await pay(paysim, await newOrder(paysim, '10.00'), { buyerId: 'buyer-new' }), 403, 'RISK_BLOCKED');
  });
});

describe('step-up', () => {
  let paysim: Paysim;
  beforeAll(async () => {
    paysim = await startPaysim({
      core: {
        riskRules: [stepUpRule, { kind: 'blocklist', id: 'banned', buyerIds: ['buyer-banned'], action: 'block' }],
        risk: { exposeStepUpCodes: true, stepUpTtlMs: 60_000, stepUpAttemptsMax: 3 },
      },
    });
  });
  afterAll(async () => {
    await paysim.close();
  });

  /** Asks to pay, expects a challenge, and reads its code as the business system's channel would deliver it. */
  async function challenge(orderNo: string, body: Record<string, unknown> = {}): Promise<{ challengeId: string; code: string }> {
    const required = await pay(paysim, orderNo, body);
    expectCode(required, 403, 'RISK_STEP_UP_REQUIRED');
    expect(Object.keys(required.body).sort()).toEqual(['challengeId', 'code', 'message']);
    expect(required.body.message).toContain('over-100');
    const shown = await paysim.api('GET', `/api/risk/challenges/${required.body.challengeId}`);
    expect(shown.body).toMatchObject({ orderNo, ruleId: 'over-100', status: 'OPEN' });
    expect(shown.body.code).toMatch(/^\d{6}$/);
    return { challengeId: required.body.challengeId, code: shown.body.code };
  }

  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');

  it('pays once the buyer answers the challenge with the right code, and the order is paid', async () => {
    const orderNo = await newOrder(paysim, '200.00');
    const proof = await challenge(orderNo);
    // Asking again while the challenge is open returns it, rather than sending another code.
    expect((await pay(paysim, orderNo)).body.challengeId).toBe(proof.challengeId);

    const paid = await pay(paysim, orderNo, { stepUp: proof });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect((await paysim.api('GET', `/api/risk/challenges/${proof.challengeId}`)).body).toMatchObject({ status: 'USED', paymentNo: paid.body.paymentNo, attempts: 1 });

    // Retrying the same request after a lost answer is the same payment, not a second use of the challenge.
    expect((await pay(paysim, orderNo, { stepUp: proof })).body.paymentNo).toBe(paid.body.paymentNo);
    await paysim.buyerPays(paid.body.paymentNo);
    await paysim.advance(0);
    expect((await paysim.order(orderNo)).status).toBe('PAID');
  });

  it('refuses a wrong code with RISK_STEP_UP_FAILED and spends the challenge after three attempts', async () => {
    const orderNo = await newOrder(paysim, '201.00');
    const proof = await challenge(orderNo);
    const first = await pay(paysim, orderNo, { stepUp: { ...proof, code: wrong(proof.code) } });
    expectCode(first, 403, 'RISK_STEP_UP_FAILED');
    expect(first.body.message).toContain('2 attempt(s) left');
    expectCode(await pay(paysim, orderNo, { stepUp: { ...proof, code: wrong(proof.code) } }), 403, 'RISK_STEP_UP_FAILED');
    expectCode(await pay(paysim, orderNo, { stepUp: { ...proof, code: wrong(proof.code) } }), 403, 'RISK_STEP_UP_FAILED');
    const late = await pay(paysim, orderNo, { stepUp: proof });
    expectCode(late, 403, 'RISK_STEP_UP_FAILED');
    expect(late.body.message).toContain('no attempts left');
    expect((await paysim.order(orderNo)).payments).toHaveLength(0);

    // A new challenge, with a new code, can still be asked for.
    const next = await challenge(orderNo);
    expect(next.challengeId).not.toBe(proof.challengeId);
    expect((await pay(paysim, orderNo, { stepUp: next })).status).toBe(200);
  });

  it('refuses a challenge that was already used, or belongs to another order', async () => {
    const orderNo = await newOrder(paysim, '202.00');
    const proof = await challenge(orderNo);
    expect((await pay(paysim, orderNo, { stepUp: proof })).status).toBe(200);
    // Another pay method is a new payment: it needs a step-up of its own.
    const reused = await pay(paysim, orderNo, { method: 'alipay.page', stepUp: proof });
    expectCode(reused, 403, 'RISK_STEP_UP_FAILED');
    expect(reused.body.message).toContain('already used');

    const otherOrderNo = await newOrder(paysim, '203.00');
    await challenge(otherOrderNo);
    const borrowed = await pay(paysim, otherOrderNo, { stepUp: proof });
    expectCode(borrowed, 403, 'RISK_STEP_UP_FAILED');
    expect(borrowed.body.message).toContain(`has no step-up challenge ${proof.challengeId}`);
  });

  it('refuses an expired challenge', async () => {
    const orderNo = await newOrder(paysim, '204.00');
    const proof = await challenge(orderNo);
    await paysim.advance(60_000);
    expect((await paysim.api('GET', `/api/risk/challenges/${proof.challengeId}`)).body.status).toBe('EXPIRED');
    const expired = await pay(paysim, orderNo, { stepUp: proof });
    expectCode(expired, 403, 'RISK_STEP_UP_FAILED');
    expect(expired.body.message).toContain('expired');
  });

  it('lets a block rule win over a passed step-up, and leaves the challenge unused', async () => {
    const orderNo = await newOrder(paysim, '205.00');
    const proof = await challenge(orderNo);
    expectCode(await pay(paysim, orderNo, { buyerId: 'buyer-banned', stepUp: proof }), 403, 'RISK_BLOCKED');
    expect((await paysim.api('GET', `/api/risk/challenges/${proof.challengeId}`)).body).toMatchObject({ status: 'OPEN' });
    expect((await paysim.order(orderNo)).payments).toHaveLength(0);
  });

  it('passes a payment no rule objects to without a challenge, ignoring a proof it does not need', async () => {
    const orderNo = await newOrder(paysim, '20.00');
    expect((await pay(paysim, orderNo, { stepUp: { challengeId: 'SU0', code: '000000' } })).status).toBe(200);
  });

  it('rejects a malformed stepUp field, and answers NOT_FOUND for an unknown challenge', async () => {
    const orderNo = await newOrder(paysim, '206.00');
    for (const stepUp of ['123456', { challengeId: 'SU1' }, { challengeId: 'SU1', code: '1', extra: 1 }, { challengeId: 'SU 1', code: '1' }]) {
      expectCode(await pay(paysim, orderNo, { stepUp }), 400, 'INVALID_PARAMETER');
    }
    expectCode(await pay(paysim, orderNo, { stepUp: { challengeId: 'SU0', code: '123456' } }), 403, 'RISK_STEP_UP_FAILED');
    expectCode(await paysim.api('GET', '/api/risk/challenges/SU0'), 404, 'NOT_FOUND');
  });
});

describe('a verifier of the business system’s own', () => {
  let paysim: Paysim;
  const issued: string[] = [];
  const verifier: StepUpVerifier = {
    issue(challenge) {
      issued.push(challenge.id);
      return {};
    },
    verify: async (_challenge, code) => code === 'approved-in-app',
    reveal: () => undefined,
  };
  beforeAll(async () => {
    paysim = await startPaysim({ core: { riskRules: [stepUpRule] }, coreOptions: { components: { stepUpVerifier: () => verifier } } });
  });
  afterAll(async () => {
    await paysim.close();
  });

  it('replaces the one-time code through createCore’s components', async () => {
    const orderNo = await newOrder(paysim, '300.00');
    const required = await pay(paysim, orderNo);
    expectCode(required, 403, 'RISK_STEP_UP_REQUIRED');
    expect(issued).toEqual([required.body.challengeId]);
    expect((await paysim.api('GET', `/api/risk/challenges/${required.body.challengeId}`)).body).not.toHaveProperty('code');
    expectCode(await pay(paysim, orderNo, { stepUp: { challengeId: required.body.challengeId, code: 'nope' } }), 403, 'RISK_STEP_UP_FAILED');
    expect((await pay(paysim, orderNo, { stepUp: { challengeId: required.body.challengeId, code: 'approved-in-app' } })).status).toBe(200);
  });
});

describe('risk options', () => {
  it('default to hidden codes and reject unknown or nonsensical options, naming them', () => {
    expect(parseCoreConfig().risk).toEqual({ exposeStepUpCodes: false, stepUpTtlMs: 300_000, stepUpAttemptsMax: 3, stepUpChallengesPerOrderMax: 5 });
    expect(() => parseCoreConfig({ risk: { exposeCodes: true } as never })).toThrowError(/unknown risk option\(s\) exposeCodes/);
    expect(() => parseCoreConfig({ risk: { stepUpAttemptsMax: 0 } })).toThrowError(/risk.stepUpAttemptsMax must be a positive integer/);
    expect(() => parseCoreConfig({ riskRules: [{ kind: 'blocklist', id: 'empty', action: 'block' }] })).toThrowError(/needs buyerIds and\/or addresses/);
  });
});
