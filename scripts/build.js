// `npm run build` (and `prepare`, so `npm install` builds): compiles the runtime sources to dist/ with
// tsconfig.build.json, copies the files that are not TypeScript (the dashboards' browser scripts) beside
// them, and stamps the build with the time it started, so that an edit made during the build counts as newer.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { root, sourceFolders, stampPath } from '../bin/build-state.js';

const startedAt = new Date();
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  process.stderr.write('build: tsc failed (see above); dist/ is incomplete\n');
  process.exit(compiled.status ?? 1);
}

let copied = 0;
function copyAssets(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (!entry.name.endsWith('.ts') && path !== join(root, 'bin', 'paysim.js') && path !== join(root, 'bin', 'build-state.js')) {
      const target = join(dist, relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
      copied++;
    }
  }
}
for (const folder of sourceFolders) copyAssets(join(root, folder));

writeFileSync(stampPath, `${startedAt.toISOString()}\n`);
utimesSync(stampPath, startedAt, startedAt);
process.stdout.write(`build: dist/ compiled, ${copied} asset file(s) copied (${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s)\n`);
