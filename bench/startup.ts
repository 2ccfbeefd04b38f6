// Start-to-healthy of `paysim up` from the compiled build (`npm run build`), as bin/paysim.js runs it (the
// start-up bundle, dist/bundle/): with `--memory` (the default apps' keys generated, as on a first start)
// and on an existing data dir (every later start: the keys and state read back); beside it, the same start
// from the compiled modules without the bundle (dist/bin/cli.js), and the baseline, a bare express app
// started the same way in the same run: a fresh `node` process, timed from spawn to the first 200 of its
// health URL. Rounds alternate; medians are printed.
// Run: npm run build && node --import tsx bench/startup.ts [--rounds 7]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const paysim = fileURLToPath(new URL('../dist/bundle/paysim.js', import.meta.url));
const unbundled = fileURLToPath(new URL('../dist/bin/cli.js', import.meta.url));
const bare_ = `const app = require('express')(); app.get('/health', (q, s) => s.send('ok'));
const server = app.listen(0, '127.0.0.1', () => console.log('listening at http://127.0.0.1:' + server.address().port));`;

function timeToHealthy(args: string[], healthPath: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
  return new Promise((resolve, reject) => {
    let out = '';
    let polling = false;
    child.on('error', reject);
    child.stdout.on('data', async (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match || polling) return;
      polling = true;
      for (;;) {
        const ok = await fetch(`${match[1]}${healthPath}`).then((r) => r.ok, () => false);
        if (ok) break;
      }
      const ms = performance.now() - started;
      // The next start waits until this process has exited, so that no shutdown competes with it for the CPU.
      child.once('exit', () => resolve(ms));
      child.kill();
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface StartupBenchResult {
  readonly memoryMs: number;
  readonly dataDirMs: number;
  readonly unbundledMs: number;
  readonly bareMs: number;
  readonly memory: number[];
  readonly dataDir: number[];
  readonly unbundled: number[];
  readonly bare: number[];
}

export async function runStartupBench(rounds = 7): Promise<StartupBenchResult> {
  const memory: number[] = [];
  const dataDir: number[] = [];
  const unbundledRuns: number[] = [];
  const bare: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'paysim-startup-'));
  const ports = ['--port', '0', '--core-port', '0'];
  try {
    await timeToHealthy([paysim, 'up', '--data-dir', dir, ...ports], '/_sim/health'); // the first start makes the keys
    for (let round = 0; round < rounds; round++) {
      memory.push(await timeToHealthy([paysim, 'up', '--memory', ...ports], '/_sim/health'));
      dataDir.push(await timeToHealthy([paysim, 'up', '--data-dir', dir, ...ports], '/_sim/health'));
      unbundledRuns.push(await timeToHealthy([unbundled, 'up', '--data-dir', dir, ...ports], '/_sim/health'));
      bare.push(await timeToHealthy(['-e', bare_], '/health'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { memoryMs: median(memory), dataDirMs: median(dataDir), unbundledMs: median(unbundledRuns), bareMs: median(bare), memory, dataDir, unbundled: unbundledRuns, bare };
}

const runs = (values: readonly number[]) => values.map((ms) => ms.toFixed(0)).join(', ');

export function formatStartupBench(result: StartupBenchResult): string[] {
  return [
    `start-up to healthy from the build's start-up bundle, \`paysim up\` on an existing data dir: median ${result.dataDirMs.toFixed(0)} ms (runs: ${runs(result.dataDir)}), ${(result.dataDirMs / result.bareMs).toFixed(2)}× the baseline (target: under 300 ms)`,
    `  \`paysim up --memory\` (the default apps' keys generated, as on a first start): median ${result.memoryMs.toFixed(0)} ms (runs: ${runs(result.memory)}), ${(result.memoryMs / result.bareMs).toFixed(2)}×`,
    `  the same start from the compiled modules without the bundle (dist/bin/cli.js): median ${result.unbundledMs.toFixed(0)} ms (runs: ${runs(result.unbundled)}), ${(result.unbundledMs / result.bareMs).toFixed(2)}×`,
    `  baseline, a bare express app started the same way: median ${result.bareMs.toFixed(0)} ms (runs: ${runs(result.bare)})`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--rounds');
  for (const line of formatStartupBench(await runStartupBench(at > 0 ? Number(process.argv[at + 1]) : 7))) console.log(line);
}
