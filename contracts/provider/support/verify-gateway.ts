// One verification run of an HTTP pact against a simulator: its states set up through the engine, each
// replay re-stamped and re-signed as the merchant, and every v2 answer's signature checked on its way
// back (answer-signatures.ts). `providerBaseUrl` may point at something in front of the simulator (the
// tests of a deliberately altered provider do that); the signature check always stands in front of it.
import { Verifier } from '@pact-foundation/pact';
import type { FaultRule } from '../../../simulator/faults/rule.ts';
import type { RunningSimulator } from '../../../test/support/simulator.ts';
import { gatewayProviderName, pactLogLevel } from '../../support/participants.ts';
import { AnswerSignatureError, startAnswerSignatureCheck, type CheckedAnswer } from './answer-signatures.ts';
import { providerMoves } from './contract-simulator.ts';
import { gatewayStateHandlers, RequestSigner, type StateHandlers } from './gateway-states.ts';
import { resignGatewayRequests } from './resign-requests.ts';

export interface GatewayVerification {
  readonly simulator: RunningSimulator;
  readonly pactFiles: readonly string[];
  /** Where the verifier's requests go, behind the signature check; the simulator itself unless something stands in front of it. */
  readonly providerBaseUrl?: string;
  /**
   * Fault rules installed at the start of every interaction, before its state is set up: only for the
   * tests that break the provider on purpose (e.g. a `bad_signature` on one call).
   */
  readonly faultRules?: readonly FaultRule[];
}

export interface GatewayVerificationResult {
  /** The pact core's report. */
  readonly output: string;
  /** Every v2 answer the signature check saw; all of them verified. */
  readonly answers: readonly CheckedAnswer[];
}

/** Each handler, wrapped to note which state the interaction under way was set up in. */
function noting(handlers: StateHandlers, note: (state: string) => void): StateHandlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      typeof handler === 'function'
        ? (((...args: Parameters<typeof handler>) => {
            note(state);
            return handler(...args);
          }) satisfies typeof handler)
        : handler,
    ]),
  );
}

/**
 * Resolves when every interaction is met and every answer's signature verifies. Rejects with the pact
 * core's list of mismatches when an interaction is not met, or with an AnswerSignatureError when the
 * interactions are met but some answer does not verify with the channel's public key.
 */
export async function verifyGateway(verification: GatewayVerification): Promise<GatewayVerificationResult> {
  const { simulator } = verification;
  const moves = providerMoves(simulator);
  const signer = new RequestSigner();
  let currentState: string | undefined;
  const check = await startAnswerSignatureCheck(verification.providerBaseUrl ?? simulator.url, { currentState: () => currentState });
  try {
    const output = await new Verifier({
      provider: gatewayProviderName,
      providerBaseUrl: check.url,
      pactUrls: [...verification.pactFiles],
      logLevel: pactLogLevel,
      stateHandlers: noting(gatewayStateHandlers(moves, signer, () => simulator.url), (state) => {
        currentState = state;
      }),
      beforeEach: async () => {
        currentState = undefined;
        signer.useMerchantKey();
        await moves.forgetEverything();
        for (const rule of verification.faultRules ?? []) moves.engine.faults.add(rule);
      },
      requestFilter: resignGatewayRequests({ nowMs: () => simulator.clock.now(), privateKeyPem: () => signer.privateKeyPem }),
    }).verifyProvider();
    const failures = check.answers.filter((answer) => answer.problem !== undefined);
    if (failures.length > 0) throw new AnswerSignatureError(failures);
    return { output, answers: [...check.answers] };
  } finally {
    await check.close();
  }
}
