// vitest globalSetup: the tests that spawn `bin/paysim.js` run the compiled build, as users do, so a
// build older than the sources is rebuilt first (a no-op when dist/ is up to date).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleBuild } from '../../bin/build-state.js';

export default function setup(): void {
  const stale = staleBuild();
  if (!stale) return;
  process.stdout.write(`${stale}: building (npm run build)\n`);
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.js', import.meta.url))], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed; the tests that spawn bin/paysim.js need the build');
}
