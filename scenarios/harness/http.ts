// The only way scenario steps and checks talk to the core and the simulator: JSON over loopback HTTP.
// node:http with kept-alive connections rather than fetch: a scenario makes dozens of these calls and a
// swarm makes them for every seed, and fetch costs several times more JavaScript a request.
import { Agent, request } from 'node:http';

export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
}

const agent = new Agent({ keepAlive: true });

export function call<T = any>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON (a cashier page, a plain-text error): keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed as T });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The error code of a refusal (`{code, message}`), if the answer is one. */
export function errorCode(answer: Answer): string | undefined {
  const body = answer.body as { code?: unknown } | undefined;
  return answer.status >= 400 && typeof body?.code === 'string' ? body.code : undefined;
}
