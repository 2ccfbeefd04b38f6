#!/usr/bin/env node
// The `paysim` executable: runs the compiled build's start-up bundle, dist/bundle/ (`npm run build`;
// `npm install` builds it). PAYSIM_DEBUG=1 maps a stack trace through the bundle's source maps.
// In a clone (where tsconfig.build.json sits beside bin/), a build older than the TypeScript sources is
// never run: the sources run through tsx instead, with a note on stderr.
import { existsSync } from 'node:fs';

if (process.env.PAYSIM_DEBUG) process.setSourceMapsEnabled(true);

if (existsSync(new URL('../tsconfig.build.json', import.meta.url))) {
  const { staleBuild } = await import('./build-state.js');
  const stale = staleBuild();
  if (stale) {
    let register;
    try {
      ({ register } = await import('tsx/esm/api'));
    } catch {
      process.stderr.write(`paysim: ${stale}; run \`npm run build\` (or \`npm install\`)\n`);
      process.exit(1);
    }
    process.stderr.write(`paysim: ${stale}, so the TypeScript sources run through tsx (\`npm run build\` compiles them)\n`);
    register();
    await import('./cli.ts');
  } else {
    await import('../dist/bundle/paysim.js');
  }
} else {
  await import('../dist/bundle/paysim.js');
}
