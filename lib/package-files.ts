// Files that ship beside the modules (the dashboards' browser scripts, the SDK thread, the catalogue, the
// swarm's worker), found from the folder that holds lib/, simulator/, core/ and scenarios/: the clone's root
// when the TypeScript sources run, dist/ in the compiled build. The start-up bundle (dist/bundle/, see
// scripts/build.js) has this module inlined one folder below dist/, as it sits here one folder below its
// root, so the same relative step finds the same files in all three layouts.
const home = new URL('../', import.meta.url);

/** True when the TypeScript sources run (tsx, vitest); false in the compiled build and the bundle. */
export const runsFromSources = import.meta.url.endsWith('.ts');

/** The folder of paysim's package.json: the clone's root, or the package's folder in node_modules. */
export const packageRoot = runsFromSources ? home : new URL('../', home);

/** A file of paysim's, by its path under the sources' root: `packageFile('core/dashboard/assets/core.js')`. */
export function packageFile(path: string): URL {
  return new URL(path, home);
}

/** A module of paysim's that is loaded by path (a worker, a catalogue file): `.ts` from the sources, `.js` compiled. */
export function packageModule(pathWithoutExtension: string): URL {
  return packageFile(`${pathWithoutExtension}${runsFromSources ? '.ts' : '.js'}`);
}
