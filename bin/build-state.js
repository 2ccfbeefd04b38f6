// Whether dist/ (the compiled build, `npm run build`) is older than the TypeScript sources of a clone.
// Used by bin/paysim.js (a clone never runs a stale build), by the build script and by the tests'
// global setup. An installed package has no sources, so it never asks.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
/** The folders compiled into dist/ (tsconfig.build.json's "include"). */
export const sourceFolders = ['lib', 'simulator', 'core', 'scenarios', 'bin'];
/** Written last by the build, its mtime set to when the build started. */
export const stampPath = join(root, 'dist', '.build-stamp');

function newestMtimeMs(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Undefined when dist/ is up to date; otherwise why it is not. */
export function staleBuild() {
  let builtAt;
  try {
    builtAt = statSync(stampPath).mtimeMs;
  } catch {
    return 'there is no build in dist/';
  }
  const newest = Math.max(...sourceFolders.map((folder) => newestMtimeMs(join(root, folder))), statSync(join(root, 'tsconfig.build.json')).mtimeMs);
  return newest > builtAt ? 'dist/ is older than the sources' : undefined;
}
