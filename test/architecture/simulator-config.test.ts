// The simulator's options are parsed as strictly as the core's: a misspelt key, a negative delay or an
// unknown channel is refused at start with a message that names it, before any file is opened.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createSimulator } from '../../simulator/server.ts';
import type { SimulatorOptions } from '../../simulator/config.ts';

const temporary: string[] = [];
afterEach(async () => {
  while (temporary.length > 0) await rm(temporary.pop()!, { recursive: true, force: true });
});

it.each<[string, SimulatorOptions, RegExp]>([
  ['a misspelt engine key', { engine: { refundDelayMS: 10 } as never }, /unknown key engine\.refundDelayMS \(did you mean engine\.refundDelayMs\?\)/],
  ['a negative delay', { engine: { refundDelayMs: -1 } }, /engine\.refundDelayMs must be an integer 0\.\.\d+ \(ms\), got -1/],
  ['a misspelt limit', { engine: { limits: { tradeMax: 5 } as never } }, /unknown key engine\.limits\.tradeMax \(did you mean engine\.limits\.tradesMax\?\)/],
  ['a switch that is not a boolean', { engine: { notifyOnRefund: 'yes' as never } }, /engine\.notifyOnRefund must be true or false, got "yes"/],
  ['a channel value out of its choices', { channelConfig: { alipay: { v3ErrorCodeStyle: 'prefix' } } }, /channelConfig\.alipay\.v3ErrorCodeStyle must be one of "prefixed", "bare", got "prefix"/],
  ['a misspelt channel key', { channelConfig: { alipay: { strictParameter: false } } }, /unknown key channelConfig\.alipay\.strictParameter \(did you mean channelConfig\.alipay\.strictParameters\?\)/],
  ['a channel the simulator does not serve', { channelConfig: { alipy: {} } }, /channelConfig\.alipy: no channel module named alipy; channels: alipay/],
  ['a misspelt option', { prot: 0 } as never, /unknown option prot \(did you mean port\?\)/],
  ['a port out of range', { port: 70_000 }, /port must be an integer 0\.\.65535, got 70000/],
])('refuses %s at start, naming it', async (_label, options, message) => {
  await expect(createSimulator({ memory: true, ...options })).rejects.toThrow(message);
});

it('refuses bad options before it opens the data dir, so the next start is not blocked', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-config-'));
  temporary.push(dataDir);
  await expect(createSimulator({ dataDir, engine: { refundDelayMs: -5 } })).rejects.toThrow(/engine\.refundDelayMs/);
  const simulator = await createSimulator({ dataDir, port: 0, engine: { refundDelayMs: 5 } });
  expect(simulator.engine.config.refundDelayMs).toBe(5);
  await simulator.close();
});

it('takes engine and channel switches from paysim sim --config FILE, and names a bad key with exit code 2', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'paysim-config-cli-'));
  temporary.push(directory);
  const bad = join(directory, 'bad.json');
  await writeFile(bad, JSON.stringify({ engine: { notifyOnRefnd: false }, channels: { alipay: { billUrlTtlMs: -1 } } }));
  const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
  const result = spawnSync(process.execPath, [bin, 'sim', '--memory', '--port', '0', '--config', bad], { encoding: 'utf8', timeout: 20_000 });
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/--config .*bad\.json: unknown key engine\.notifyOnRefnd \(did you mean engine\.notifyOnRefund\?\)/);
  expect(result.stderr).toMatch(/channels\.alipay\.billUrlTtlMs must be an integer/);
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
});
