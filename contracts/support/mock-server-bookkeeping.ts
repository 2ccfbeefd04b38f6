// The Pact mock server of pact-js 16.3 to 16.5 (pact-core 19) answers a request before it records the
// match: the record goes through a channel to a separate task, and `executeTest` reads the mock server's
// matches the moment the test body returns. On a busy machine that task may not have run yet, and a
// request that was received, matched and answered is reported as "expected but not received"
// (pact-foundation/pact-reference#535, pact-core-mock-server#13). The fix (pact-ffi 0.5.6, pact-core 20)
// ships only with pact-js 17, which needs Node 22; pact-js 16.2 predates the race but mishandles the
// WeChat Pay contracts' response headers.
//
// So a test body that talks to a mock server ends by waiting until the mock server says every expected
// request matched, reading the same FFI call `executeTest` reads. The wait does not decide anything:
// when it runs out, executeTest reports whatever the mock server holds, as it would have.
import { getFfiLib } from '@pact-foundation/pact-core';

/** How long the bookkeeping may lag behind the answers, at most (it lags by milliseconds when it lags at all). */
const bookkeepingWaitMs = 2_000;
const pollMs = 5;

/** Resolves once the mock server on `port` has recorded a match for every request it expects, or after 2 s. */
export async function mockServerBookkeeping(port: number): Promise<void> {
  const ffi = getFfiLib();
  // performance.now, not Date.now: the WeChat Pay consumer tests fake Date to the examples' time.
  const deadline = performance.now() + bookkeepingWaitMs;
  while (!ffi.pactffiMockServerMatched(port) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
