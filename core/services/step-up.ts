// Step-up: the middle outcome of the risk check, between block and pass. A rule that says "step up"
// does not refuse the payment for good: the core opens a durable challenge and answers
// 403 RISK_STEP_UP_REQUIRED with its `challengeId`; the business system verifies the buyer (through
// the StepUpVerifier component: by default a one-time code sent over the business system's own
// channel) and repeats the pay request with `stepUp: {challengeId, code}`.
//
//   POST /api/orders/:orderNo/pay {method, buyerId?}
//     → 403 {code: "RISK_STEP_UP_REQUIRED", message, challengeId}
//   GET  /api/risk/challenges/:challengeId
//     → {challengeId, orderNo, ruleId, status: OPEN|USED|EXPIRED|EXHAUSTED, attempts, attemptsMax,
//        createdAt, expiresAt, paymentNo?, code?}   (code only with config risk.exposeStepUpCodes)
//   POST /api/orders/:orderNo/pay {method, buyerId?, stepUp: {challengeId, code}}
//     → 200 as any payment, or 403 RISK_STEP_UP_FAILED (the message says why and what to do)
//
// A right code on an open challenge of the same order satisfies the step-up rules of one payment;
// block rules still apply. Every code tried counts against the challenge's attempts, right or wrong,
// so guesses sent in parallel cannot outrun the limit. The challenge is used up in the same commit as
// the payment it lets through, so two requests with one proof cannot both pass. While a challenge is
// open, asking again returns it rather than sending another code; an order gets a bounded number.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../lib/random.ts';
import { put, type Mutation } from '../../lib/store/index.ts';
import { assert, coreError, type CoreError, type Order, type RiskDecision } from '../domain/index.ts';
import { identifierProblem, isPlainObject, unknownField } from '../domain/validate.ts';
import type { ServiceContext } from './context.ts';

export const stepUpCollections = {
  challenges: 'step-up-challenges',
  /** orderNo → the ids of its challenges, oldest first; written in the same commit as each challenge. */
  orderChallenges: 'step-up-order-challenges',
} as const;

/** What a verifier keeps with a challenge (JSON, stored durably with it). */
export type StepUpSecret = Readonly<Record<string, string>>;

export interface StepUpChallenge {
  readonly id: string;
  readonly orderNo: string;
  /** The step-up rule that asked for it; a passed challenge satisfies any step-up rule of its order. */
  readonly ruleId: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  /** Codes tried so far, right or wrong. */
  readonly attempts: number;
  readonly attemptsMax: number;
  /** The payment it let through; set in that payment's commit. */
  readonly usedByPaymentNo: string | null;
  readonly secret: StepUpSecret;
}

export type StepUpState = 'OPEN' | 'USED' | 'EXPIRED' | 'EXHAUSTED';

export interface StepUpProof {
  readonly challengeId: string;
  readonly code: string;
}

/**
 * Verifies the buyer for a challenge: the business system's own means (SMS code, app confirmation,
 * 3-D Secure). Expiry, attempts and one-time use are the core's job, not the verifier's.
 */
export interface StepUpVerifier {
  /** Starts verification for a new challenge (e.g. sends a code); what it returns is stored with the challenge. */
  issue(challenge: Omit<StepUpChallenge, 'secret'>): StepUpSecret | Promise<StepUpSecret>;
  /** Whether `code` proves the buyer for this challenge. */
  verify(challenge: StepUpChallenge, code: string): boolean | Promise<boolean>;
  /** What `GET /api/risk/challenges/:id` may show as `code`; undefined outside test tools. */
  reveal(challenge: StepUpChallenge): string | undefined;
}

const codeDigits = 6;
const freshIdAttemptsMax = 20;

function codeHash(challengeId: string, code: string): string {
  return createHash('sha256').update(`${challengeId}:${code}`).digest('hex');
}

/**
 * The default verifier: a 6-digit one-time code. Its delivery channel belongs to the business system;
 * offline, `GET /api/risk/challenges/:id` plays that channel, and only when `risk.exposeStepUpCodes`
 * is set (tests, `paysim up`). Without the flag nobody receives the code, so a real deployment must
 * give createCore its own `stepUpVerifier` component. Only a hash of the code is stored, unless exposed.
 */
export function createCodeStepUpVerifier(context: ServiceContext): StepUpVerifier {
  const expose = context.config.risk.exposeStepUpCodes;
  return {
    issue(challenge) {
      // A secret, so drawn from the OS rather than the seeded stream: knowing the seed must not give the codes.
      const code = String(randomInt(0, 10 ** codeDigits)).padStart(codeDigits, '0');
      return { codeHash: codeHash(challenge.id, code), ...(expose ? { code } : {}) };
    },
    verify(challenge, code) {
      const expected = challenge.secret.codeHash;
      return expected !== undefined && timingSafeEqual(Buffer.from(codeHash(challenge.id, code), 'hex'), Buffer.from(expected, 'hex'));
    },
    reveal: (challenge) => (expose ? challenge.secret.code : undefined),
  };
}

export function stepUpState(challenge: StepUpChallenge, nowMs: number): StepUpState {
  if (challenge.usedByPaymentNo !== null) return 'USED';
  if (nowMs >= challenge.expiresAtMs) return 'EXPIRED';
  if (challenge.attempts >= challenge.attemptsMax) return 'EXHAUSTED';
  return 'OPEN';
}

const proofFields = ['challengeId', 'code'] as const;

/** Checks the `stepUp` field of a pay request; a reason a person can act on when it is malformed. */
export function parseStepUpProof(value: unknown): { ok: true; proof: StepUpProof } | { ok: false; problem: string } {
  if (!isPlainObject(value)) return { ok: false, problem: 'stepUp must be an object {challengeId, code}' };
  const extra = unknownField(value, proofFields);
  if (extra !== undefined) return { ok: false, problem: `unknown field "stepUp.${extra.slice(0, 40)}"; allowed: ${proofFields.join(', ')}` };
  const problem = identifierProblem(value.challengeId, 'stepUp.challengeId', 64) ?? identifierProblem(value.code, 'stepUp.code', 64);
  if (problem !== undefined) return { ok: false, problem };
  return { ok: true, proof: { challengeId: value.challengeId as string, code: value.code as string } };
}

export function findStepUpChallenge(context: ServiceContext, challengeId: string): StepUpChallenge | undefined {
  return context.store.get<StepUpChallenge>(stepUpCollections.challenges, challengeId);
}

const failed = (message: string): { ok: false; error: CoreError } => ({ ok: false, error: coreError('RISK_STEP_UP_FAILED', message) });

/** The pay service's side of step-up: opening, checking and using up challenges. */
export class StepUpChallenges {
  private readonly random: Random;

  constructor(
    private readonly context: ServiceContext,
    /** Read at call time: components are built lazily and may be replaced. */
    private readonly verifier: () => StepUpVerifier,
  ) {
    this.random = context.random.fork('step-up-challenges');
  }

  /** The answer to a payment that needs step-up and brought no proof: the order's open challenge, or a new one. */
  async require(order: Order, decision: Extract<RiskDecision, { decision: 'stepUp' }>, nowMs: number): Promise<{ error: CoreError; challengeId?: string }> {
    const { stepUpTtlMs, stepUpAttemptsMax, stepUpChallengesPerOrderMax } = this.context.config.risk;
    const open = this.challengesOf(order.orderNo).find((challenge) => stepUpState(challenge, nowMs) === 'OPEN');
    if (open) return this.required(decision, open, nowMs);
    const tooMany = {
      error: coreError('RISK_BLOCKED', `risk rule ${decision.ruleId} requires verification, and order ${order.orderNo} has had ${stepUpChallengesPerOrderMax} step-up challenges, the most allowed; the order cannot be paid`),
    };
    if (this.idsOf(order.orderNo).length >= stepUpChallengesPerOrderMax) return tooMany;
    const base = { id: this.freshId(), orderNo: order.orderNo, ruleId: decision.ruleId, createdAtMs: nowMs, expiresAtMs: nowMs + stepUpTtlMs, attempts: 0, attemptsMax: stepUpAttemptsMax, usedByPaymentNo: null };
    const secret = await this.verifier().issue(base);
    // The verifier may have waited: read the order's list again, so a challenge opened meanwhile is kept.
    const ids = this.idsOf(order.orderNo);
    if (ids.length >= stepUpChallengesPerOrderMax) return tooMany;
    const challenge: StepUpChallenge = { ...base, secret };
    await this.context.commit([put(stepUpCollections.challenges, challenge.id, challenge), put(stepUpCollections.orderChallenges, order.orderNo, [...ids, challenge.id])]);
    return this.required(decision, challenge, nowMs);
  }

  /** Checks a proof against its challenge and the verifier; counts the attempt first. */
  async verify(orderNo: string, proof: StepUpProof, nowMs: number): Promise<{ ok: true; challengeId: string } | { ok: false; error: CoreError }> {
    const challenge = findStepUpChallenge(this.context, proof.challengeId);
    const again = 'pay again without stepUp for a new challenge';
    if (challenge === undefined || challenge.orderNo !== orderNo) return failed(`order ${orderNo} has no step-up challenge ${proof.challengeId}; ${again}`);
    switch (stepUpState(challenge, nowMs)) {
      case 'USED':
        return failed(`step-up challenge ${challenge.id} was already used by payment ${challenge.usedByPaymentNo}; a challenge passes one payment; ${again}`);
      case 'EXPIRED':
        return failed(`step-up challenge ${challenge.id} has expired; ${again}`);
      case 'EXHAUSTED':
        return failed(`step-up challenge ${challenge.id} has no attempts left (${challenge.attemptsMax} codes tried); ${again}`);
      case 'OPEN':
        break;
    }
    const counted: StepUpChallenge = { ...challenge, attempts: challenge.attempts + 1 };
    await this.context.commit([put(stepUpCollections.challenges, counted.id, counted)]);
    if (await this.verifier().verify(counted, proof.code)) return { ok: true, challengeId: counted.id };
    const left = counted.attemptsMax - counted.attempts;
    return failed(`wrong code for step-up challenge ${counted.id}; ${left > 0 ? `${left} attempt(s) left` : `no attempts left, ${again}`}`);
  }

  /** A challenge verified earlier in this request, if still unused and unexpired; read in the payment's synchronous block. */
  usable(challengeId: string, orderNo: string, nowMs: number): StepUpChallenge | undefined {
    const challenge = findStepUpChallenge(this.context, challengeId);
    if (challenge === undefined || challenge.orderNo !== orderNo || challenge.usedByPaymentNo !== null || nowMs >= challenge.expiresAtMs) return undefined;
    return challenge;
  }

  /** Uses the challenge up; goes in the commit of the payment it lets through. */
  use(challenge: StepUpChallenge, paymentNo: string): Mutation {
    return put(stepUpCollections.challenges, challenge.id, { ...challenge, usedByPaymentNo: paymentNo } satisfies StepUpChallenge);
  }

  private required(decision: Extract<RiskDecision, { decision: 'stepUp' }>, challenge: StepUpChallenge, nowMs: number) {
    const secondsLeft = Math.ceil((challenge.expiresAtMs - nowMs) / 1000);
    return {
      challengeId: challenge.id,
      error: coreError(
        'RISK_STEP_UP_REQUIRED',
        `risk rule ${decision.ruleId} requires verification: ${decision.reason}; verify the buyer for challenge ${challenge.id} within ${secondsLeft} s, then pay again with stepUp {challengeId, code}`,
      ),
    };
  }

  private idsOf(orderNo: string): readonly string[] {
    return this.context.store.get<readonly string[]>(stepUpCollections.orderChallenges, orderNo) ?? [];
  }

  private challengesOf(orderNo: string): StepUpChallenge[] {
    return this.idsOf(orderNo)
      .map((id) => findStepUpChallenge(this.context, id))
      .filter((challenge): challenge is StepUpChallenge => challenge !== undefined);
  }

  private freshId(): string {
    for (let attempt = 0; attempt < freshIdAttemptsMax; attempt++) {
      const id = `SU${this.random.digits(18)}`;
      if (findStepUpChallenge(this.context, id) === undefined) return id;
    }
    return assert(false, `could not draw a fresh step-up challenge id in ${freshIdAttemptsMax} attempts`) as never;
  }
}
