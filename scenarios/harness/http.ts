// The only way scenario steps and checks talk to the core and the simulator: JSON over loopback HTTP.
export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
}

export async function call<T = any>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a cashier page, a plain-text error): keep the text
  }
  return { status: response.status, body: parsed as T };
}

/** The error code of a refusal (`{code, message}`), if the answer is one. */
export function errorCode(answer: Answer): string | undefined {
  const body = answer.body as { code?: unknown } | undefined;
  return answer.status >= 400 && typeof body?.code === 'string' ? body.code : undefined;
}
