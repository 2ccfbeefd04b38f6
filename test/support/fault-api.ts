// The fault-rule side of the control API as a test uses it: install a rule over HTTP and get its id,
// remove it, read what the journal says fired, and wait for an asynchronous fact without sleeping blindly.

/** A `fault.injected` journal entry. */
export interface FaultEntry {
  readonly seq: number;
  readonly atMs: number;
  readonly ruleId: string;
  readonly faultType: string;
  readonly api: string;
  readonly channel?: string;
  readonly detail?: string;
}

/** `POST /_sim/faults`; fails the test unless the rule is accepted. Returns the rule id. */
export async function addFault(baseUrl: string, rule: unknown): Promise<string> {
  const response = await fetch(`${baseUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  const body = (await response.json()) as { id?: string; message?: string };
  if (response.status !== 201 || !body.id) throw new Error(`POST /_sim/faults answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** `DELETE /_sim/faults/:id`; fails the test unless the rule existed. */
export async function removeFault(baseUrl: string, id: string): Promise<void> {
  const response = await fetch(`${baseUrl}/_sim/faults/${id}`, { method: 'DELETE' });
  if (response.status !== 200) throw new Error(`DELETE /_sim/faults/${id} answered ${response.status}: ${await response.text()}`);
}

/** `DELETE /_sim/faults`: every rule goes. */
export async function clearFaults(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/_sim/faults`, { method: 'DELETE' });
  if (response.status !== 200) throw new Error(`DELETE /_sim/faults answered ${response.status}`);
}

/** `PUT /_sim/faults/magic`. */
export async function setMagicValues(baseUrl: string, enabled: boolean): Promise<void> {
  const response = await fetch(`${baseUrl}/_sim/faults/magic`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) });
  if (response.status !== 200) throw new Error(`PUT /_sim/faults/magic answered ${response.status}: ${await response.text()}`);
}

/** `GET /_sim/journal?type=fault.injected`, optionally only entries after `sinceSeq`. */
export async function faultEntries(baseUrl: string, sinceSeq = 0): Promise<FaultEntry[]> {
  const response = await fetch(`${baseUrl}/_sim/journal?type=fault.injected&sinceSeq=${sinceSeq}`);
  if (response.status !== 200) throw new Error(`GET /_sim/journal answered ${response.status}`);
  return (await response.json()) as FaultEntry[];
}

/** The sequence number of the newest journal entry (0 when empty): a bookmark for `faultEntries`. */
export async function journalMark(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/_sim/journal?limit=1`);
  const [last] = (await response.json()) as { seq: number }[];
  return last?.seq ?? 0;
}

/** Polls `check` every 5 ms of real time until it holds; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Watches a promise, so a test can assert that it has not settled yet. */
export function watch<T>(promise: Promise<T>): { readonly settled: boolean; readonly result: Promise<T> } {
  const state = { settled: false };
  const result = promise.finally(() => {
    state.settled = true;
  });
  // Keep an unawaited rejection from being reported before the test awaits `result`.
  result.catch(() => undefined);
  return {
    get settled() {
      return state.settled;
    },
    result,
  };
}

/** Settles a promise into a value, so that a rejection can be inspected without try/catch. */
export async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error & Record<string, unknown> }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error as Error & Record<string, unknown> };
  }
}
