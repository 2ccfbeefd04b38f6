// The only way scenario steps and checks talk to the core and the simulator: JSON over loopback HTTP,
// through lib/http.ts on kept-alive connections rather than fetch: a scenario makes dozens of these calls
// and a swarm makes them for every seed, and fetch costs several times more JavaScript a request.
import { Poster } from '../../lib/http.ts';

export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
}

const client = new Poster();
/** No step waits this long in real time (a `hang` fault waits for the connector's 500 ms): past it, the call fails instead of holding the run. */
const limits = { timeoutMs: 120_000, keepBytes: Number.MAX_SAFE_INTEGER };

/** One call; throws when there is no answer at all (a refused connection, a core that died mid-call). */
export async function call<T = any>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  const answer = await client.send(method, url, body === undefined ? { headers: {} } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, limits);
  if ('error' in answer) throw new Error(`${method} ${url}: ${answer.error}`);
  let parsed: unknown = answer.body;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    // not JSON (a cashier page, a plain-text error): keep the text
  }
  return { status: answer.status, body: parsed as T };
}

/** The error code of a refusal (`{code, message}`), if the answer is one. */
export function errorCode(answer: Answer): string | undefined {
  const body = answer.body as { code?: unknown } | undefined;
  return answer.status >= 400 && typeof body?.code === 'string' ? body.code : undefined;
}
