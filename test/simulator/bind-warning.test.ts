// Binding beyond loopback exposes the unauthenticated control API, keys included, to the network: the
// simulator says so when it starts. The test binds 0.0.0.0 on port 0 and connects only via 127.0.0.1.
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

const started: RunningSimulator[] = [];
afterEach(async () => {
  for (const env of started.splice(0)) await env.close();
});

/** Starts a simulator and collects the process warnings it emits meanwhile. */
async function startCollecting(host: string): Promise<{ env: RunningSimulator; warnings: Error[] }> {
  const warnings: Error[] = [];
  const listener = (warning: Error) => warnings.push(warning);
  process.on('warning', listener);
  try {
    const env = await startSimulator({ host });
    started.push(env);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    return { env, warnings: warnings.filter((warning) => (warning as { code?: string }).code === 'PAYSIM_BEYOND_LOOPBACK') };
  } finally {
    process.off('warning', listener);
  }
}

it('warns at start that 0.0.0.0 exposes the control API and its keys to the network', async () => {
  const { env, warnings } = await startCollecting('0.0.0.0');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.name).toBe('PaysimWarning');
  expect(warnings[0]!.message).toMatch(/^the simulator listens on every network interface \(port \d+\): its control API \(\/_sim\) has no authentication/);
  expect(warnings[0]!.message).toContain("private keys (GET /_sim/apps)");
  expect(warnings[0]!.message).toContain('Use --host 127.0.0.1');
  const port = new URL(env.url).port;
  expect((await fetch(`http://127.0.0.1:${port}/_sim/health`)).status).toBe(200);
});

it('says nothing when it listens on loopback', async () => {
  const { warnings } = await startCollecting('127.0.0.1');
  expect(warnings).toEqual([]);
});
