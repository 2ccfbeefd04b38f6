// Signed v2 gateway calls over node:http with every header chosen by the test: a per-request fault
// header (which the SDK cannot send), or a fixed Host so that two simulators on different ports see
// byte-identical requests. Signing follows raw-gateway.ts (fixed timestamp, the fixture merchant key).
import { request } from 'node:http';
import { commonParameters, signRequest } from './raw-gateway.ts';

export interface SignedAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export interface SignedCallOptions {
  /** Extra request headers, e.g. `{'x-paysim-fault': '{"type":"http_error","status":502}'}`. */
  readonly headers?: Record<string, string>;
  readonly notifyUrl?: string;
}

/** The signed form body of one call, byte-for-byte the same for the same arguments. */
export function signedForm(method: string, bizContent: Record<string, unknown>, notifyUrl?: string): string {
  const params = { ...commonParameters(method, JSON.stringify(bizContent)), ...(notifyUrl ? { notify_url: notifyUrl } : {}) };
  return new URLSearchParams(signRequest(params)).toString();
}

/** POSTs a signed v2 call to `/gateway.do`; a socket error rejects. */
export function callGateway(baseUrl: string, method: string, bizContent: Record<string, unknown>, options: SignedCallOptions = {}): Promise<SignedAnswer> {
  const target = new URL(`${baseUrl}/gateway.do`);
  const body = Buffer.from(signedForm(method, bizContent, options.notifyUrl), 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: target.pathname,
        agent: false,
        headers: {
          host: 'paysim.test',
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          'content-length': String(body.length),
          ...options.headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The inner object of a v2 answer, e.g. `{code:"10000", ...}` of `alipay_trade_query_response`. */
export function innerOf(answer: SignedAnswer, method: string): Record<string, unknown> {
  const parsed = JSON.parse(answer.text) as Record<string, Record<string, unknown>>;
  const inner = parsed[`${method.replaceAll('.', '_')}_response`] ?? parsed.error_response;
  if (!inner) throw new Error(`no ${method} response in ${answer.text}`);
  return inner;
}
