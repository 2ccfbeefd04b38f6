// The provider-side signature check. The pact can only hold a regex for the `sign` of an answer (the
// provider's answers carry its own trade numbers and times, so its signatures differ from the examples),
// and the pact core compares shapes, not cryptography: a simulator whose answers were signed with the
// wrong key, over the wrong bytes, or not at all would pass every interaction. So during verification a
// loopback proxy stands in front of the simulator (pact verifier → this proxy → simulator) and checks
// every v2 answer as the core's SDK will (docs/alipay-protocol.md §2.4): the exact text of
// `"<method>_response"` as it stands in the body, RSA2, with the channel's public key from the fixture
// keys. The answers pass through unchanged; the verdicts are kept, and verifyGateway fails the run on
// any bad one.
import { fixtureKeys } from '../../../test/support/keys.ts';
import { answerSignatureProblem, requestParameters } from '../../support/alipay-wire.ts';
import { startLoopbackProxy, type LoopbackProxy } from './loopback-proxy.ts';

/** Gateway methods answered with a page (redirect or HTML), not a signed JSON answer (§2.5). */
const pageMethods = new Set(['alipay.trade.page.pay', 'alipay.trade.wap.pay']);

export interface CheckedAnswer {
  /** The v2 method the request named. */
  readonly method: string;
  /** biz_content's out_trade_no, when there is one: the state sentences name it. */
  readonly outTradeNo?: string;
  /** The provider state the interaction was set up in. */
  readonly state?: string;
  /** Why the signature does not verify; absent when it does. */
  readonly problem?: string;
}

export interface AnswerSignatureCheck extends LoopbackProxy {
  /** Every v2 answer that went through, in order, with its verdict. */
  readonly answers: readonly CheckedAnswer[];
}

/** The pact verification passed, but answers whose signature the core would reject went through. */
export class AnswerSignatureError extends Error {
  override readonly name = 'AnswerSignatureError';
  constructor(readonly failures: readonly CheckedAnswer[]) {
    super(
      `${failures.length} answer(s) of the simulator do not verify with the channel's public key (the core's SDK would reject them):\n` +
        failures.map((failure) => `- ${failure.method}${failure.outTradeNo ? ` ${failure.outTradeNo}` : ''} (state: ${failure.state ?? 'none'}): ${failure.problem}`).join('\n'),
    );
  }
}

function outTradeNoOf(params: Readonly<Record<string, string>>): string | undefined {
  try {
    const biz = JSON.parse(params.biz_content ?? '{}') as { out_trade_no?: unknown };
    return typeof biz.out_trade_no === 'string' ? biz.out_trade_no : undefined;
  } catch {
    return undefined;
  }
}

export async function startAnswerSignatureCheck(
  targetUrl: string,
  options: { readonly currentState: () => string | undefined; readonly publicKeyPem?: string },
): Promise<AnswerSignatureCheck> {
  const publicKeyPem = options.publicKeyPem ?? fixtureKeys.channel.publicKeyPem;
  const answers: CheckedAnswer[] = [];
  const proxy = await startLoopbackProxy(targetUrl, (exchange) => {
    if (new URL(exchange.url, 'http://provider.invalid').pathname !== '/gateway.do') return exchange.answerBody;
    const form = exchange.requestContentType.startsWith('application/x-www-form-urlencoded') ? exchange.requestBody.toString('utf8') : '';
    const params = requestParameters(exchange.url, form);
    const method = params.method ?? '';
    if (pageMethods.has(method)) return exchange.answerBody;
    const outTradeNo = outTradeNoOf(params);
    const state = options.currentState();
    const problem = !method
      ? 'the request names no method, so the answer cannot be checked'
      : exchange.status !== 200
        ? `HTTP ${exchange.status}: a v2 answer is always a signed 200`
        : answerSignatureProblem(exchange.answerBody.toString('utf8'), method, publicKeyPem);
    answers.push({ method, ...(outTradeNo ? { outTradeNo } : {}), ...(state ? { state } : {}), ...(problem ? { problem } : {}) });
    return exchange.answerBody;
  });
  return { ...proxy, answers };
}
