// The wait that covers the Pact mock server's late bookkeeping (contracts/support/mock-server-bookkeeping.ts):
// it ends once the mock server has the request on record, and gives up, leaving the verdict to
// executeTest, when an expected request never comes, also while a test fakes Date.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { getFfiLib } from '@pact-foundation/pact-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pactLogLevel } from '../support/participants.ts';
import { mockServerBookkeeping } from '../support/mock-server-bookkeeping.ts';

describe('the wait for the mock server to record its matches', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paysim-bookkeeping-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  // Not the core's pact: its own consumer and provider, its file in a scratch folder.
  const pact = () => new PactV4({ consumer: 'bookkeeping-check', provider: 'bookkeeping-mock', dir, logLevel: pactLogLevel });

  it('returns with the answered request on the mock server record', async () => {
    await pact()
      .addInteraction()
      .uponReceiving('a ping')
      .withRequest('GET', '/ping')
      .willRespondWith(200, (response) => response.jsonBody({ pong: true }))
      .executeTest(async (mockServer) => {
        const answer = await fetch(`${mockServer.url}/ping`);
        expect(await answer.json()).toEqual({ pong: true });
        await mockServerBookkeeping(mockServer.port);
        expect(getFfiLib().pactffiMockServerMatched(mockServer.port)).toBe(true);
      });
    expect(await readdir(dir)).toEqual(['bookkeeping-check-bookkeeping-mock.json']);
  });

  it('gives up after about 2 s when an expected request never comes, Date faked or not, and executeTest names the request', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-01-01T00:00:00Z') });
    let waitedMs = 0;
    const verdict = pact()
      .addInteraction()
      .uponReceiving('a ping that is never sent')
      .withRequest('GET', '/never')
      .willRespondWith(200, (response) => response.jsonBody({ pong: true }))
      .executeTest(async (mockServer) => {
        const started = performance.now();
        await mockServerBookkeeping(mockServer.port);
        waitedMs = performance.now() - started;
      });
    await expect(verdict).rejects.toThrow(/expected but not received[\s\S]*\/never/);
    expect(waitedMs).toBeGreaterThanOrEqual(1_990);
    expect(waitedMs).toBeLessThan(10_000);
  });
});
