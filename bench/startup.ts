// Start-to-healthy of `paysim up --memory` from the compiled build (dist/, `npm run build`), beside a
// bare express app started the same way in the same run: a fresh `node` process, timed from spawn to
// the first 200 of its health URL. Rounds alternate; medians are printed.
// Run: node --import tsx bench/startup.ts [--rounds 7]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const paysim = fileURLToPath(new URL('../dist/bin/cli.js', import.meta.url));
const bare = `const app = require('express')(); app.get('/health', (q, s) => s.send('ok'));
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
      child.kill();
      resolve(ms);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runStartupBench(rounds = 7): Promise<{ paysimMs: number; bareMs: number; paysim: number[]; bare: number[] }> {
  const paysimRuns: number[] = [];
  const bareRuns: number[] = [];
  for (let round = 0; round < rounds; round++) {
    paysimRuns.push(await timeToHealthy([paysim, 'up', '--memory', '--port', '0', '--core-port', '0'], '/_sim/health'));
    bareRuns.push(await timeToHealthy(['-e', bare], '/health'));
  }
  return { paysimMs: median(paysimRuns), bareMs: median(bareRuns), paysim: paysimRuns, bare: bareRuns };
}

export function formatStartupBench(result: Awaited<ReturnType<typeof runStartupBench>>): string[] {
  return [
    `start-up to healthy, \`paysim up --memory\` from dist/: median ${result.paysimMs.toFixed(0)} ms (runs: ${result.paysim.map((ms) => ms.toFixed(0)).join(', ')})`,
    `  baseline, a bare express app started the same way: median ${result.bareMs.toFixed(0)} ms (runs: ${result.bare.map((ms) => ms.toFixed(0)).join(', ')})`,
    `  ratio ${(result.paysimMs / result.bareMs).toFixed(2)}×`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--rounds');
  for (const line of formatStartupBench(await runStartupBench(at > 0 ? Number(process.argv[at + 1]) : 7))) console.log(line);
}
