// `npm run build` (and `prepare`, so `npm install` builds): compiles the runtime sources to dist/ with
// tsconfig.build.json, copies the files that are not TypeScript (the dashboards' browser scripts) beside
// them, bundles the command line for start-up (below), and stamps the build with the time it started, so
// that an edit made during the build counts as newer.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
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

// The start-up bundle, dist/bundle/paysim.js, is what bin/paysim.js runs: the compiled command line with
// its modules and those of the packages on every start's path (express, yargs, pino, lowdb) in a
// few files, because Node's module loader spends more time finding, reading and linking a few hundred
// small modules than running them. Each command is its own chunk, loaded when it runs. Every other
// package stays an import from node_modules (the SDKs, faker, re2js, node-forge and the bill-file
// libraries load on first use anyway); so does scenarios/define.js, so that the catalogue, users' scenario files and the
// runner share one defineScenario. The rest of dist/ stays as compiled: `paysim/scenario`, the swarm's
// worker processes and the SDK thread load it. Files found beside the modules are found from dist/ (see
// lib/package-files.ts), which the bundle's folder sits one level below.
const bundledPackages = new Set(['express', 'yargs', 'pino', 'lowdb']);
const definePath = join(dist, 'scenarios', 'define.js');
const dependencies = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies));
const resolveFrom = (folder, specifier) => {
  try {
    return createRequire(join(folder, 'noop.js')).resolve(specifier);
  } catch {
    return undefined;
  }
};
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const started = Date.now();
await build({
  entryPoints: { paysim: join(dist, 'bin', 'cli.js') },
  outdir: join(dist, 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  // The bundled CommonJS packages (express) call require() for Node's own modules.
  banner: { js: "import { createRequire as __paysimCreateRequire } from 'node:module'; const require = __paysimCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [
    {
      name: 'paysim-externals',
      setup(bundler) {
        bundler.onResolve({ filter: /(^|\/)define\.js$/ }, (args) =>
          resolve(args.resolveDir, args.path) === definePath ? { path: '../scenarios/define.js', external: true } : undefined,
        );
        // yargs finds its messages' translations (y18n) three folders above its own module; bundled, they
        // are copied beside the bundle instead.
        bundler.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          const lookup = "resolve(__dirname, '../../../locales')";
          if (!source.includes(lookup)) throw new Error(`${args.path} no longer finds its locales as ${lookup}: update scripts/build.js`);
          cpSync(join(dirname(args.path), '..', '..', 'locales'), join(dist, 'bundle', 'locales'), { recursive: true });
          return { contents: source.replace(lookup, "fileURLToPath(new URL('./locales/', import.meta.url))"), loader: 'js' };
        });
        bundler.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:')) return undefined;
          const name = packageOf(args.path);
          if (bundledPackages.has(name)) return undefined;
          // Imported by paysim, every other package stays an import. Imported by a bundled package, one of
          // paysim's dependencies (body-parser's iconv-lite) stays an import only when that resolves to the
          // very copy paysim's own import does (one copy in node_modules); anything else is bundled.
          if (!args.importer.includes(`${sep}node_modules${sep}`)) return { external: true };
          if (!dependencies.has(name)) return undefined;
          return resolveFrom(args.resolveDir, args.path) === resolveFrom(root, args.path) ? { external: true } : undefined;
        });
      },
    },
  ],
});
const bundleSeconds = ((Date.now() - started) / 1000).toFixed(1);

writeFileSync(stampPath, `${startedAt.toISOString()}\n`);
utimesSync(stampPath, startedAt, startedAt);
process.stdout.write(`build: dist/ compiled, ${copied} asset file(s) copied, dist/bundle/ bundled in ${bundleSeconds} s (${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s)\n`);
