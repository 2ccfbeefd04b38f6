// One verification run of an HTTP pact against a simulator: its states set up through the engine, each
// replay re-stamped and re-signed as the merchant. `providerBaseUrl` may point at something in front of
// the simulator (the tests of a deliberately altered provider do that).
import { Verifier } from '@pact-foundation/pact';
import type { RunningSimulator } from '../../../test/support/simulator.ts';
import { gatewayProviderName, pactLogLevel } from '../../support/participants.ts';
import { providerMoves } from './contract-simulator.ts';
import { gatewayStateHandlers, RequestSigner } from './gateway-states.ts';
import { resignGatewayRequests } from './resign-requests.ts';

export interface GatewayVerification {
  readonly simulator: RunningSimulator;
  readonly pactFiles: readonly string[];
  /** Where the verifier sends requests; the simulator itself unless something stands in front of it. */
  readonly providerBaseUrl?: string;
}

/** Resolves when every interaction is met; rejects with the pact core's list of mismatches otherwise. */
export async function verifyGateway(verification: GatewayVerification): Promise<string> {
  const { simulator } = verification;
  const moves = providerMoves(simulator);
  const signer = new RequestSigner();
  return new Verifier({
    provider: gatewayProviderName,
    providerBaseUrl: verification.providerBaseUrl ?? simulator.url,
    pactUrls: [...verification.pactFiles],
    logLevel: pactLogLevel,
    stateHandlers: gatewayStateHandlers(moves, signer, () => simulator.url),
    beforeEach: async () => {
      signer.useMerchantKey();
      await moves.forgetEverything();
    },
    requestFilter: resignGatewayRequests({ nowMs: () => simulator.clock.now(), privateKeyPem: () => signer.privateKeyPem }),
  }).verifyProvider();
}
