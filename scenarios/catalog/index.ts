// The catalogue: every `<channel>/<behaviour>.scenario.ts` under this folder, found on disk so that a
// new scenario is one new file. Names are unique; files load in name order, so runs list the same way.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageFile, runsFromSources } from '../../lib/package-files.ts';
import { ScenarioDefinitionError, type Scenario } from '../define.ts';

const catalogDirectory = fileURLToPath(packageFile('scenarios/catalog/'));
export const scenarioFileSuffix = '.scenario.ts';
/** Run from the compiled build (dist/), the catalogue's files are JavaScript and no TypeScript loader is registered. */
const compiled = !runsFromSources;
const catalogFileSuffix = compiled ? '.scenario.js' : scenarioFileSuffix;
let typeScriptLoader: Promise<void> | undefined;

/**
 * A user's own `.scenario.ts` under the compiled build: TypeScript is loaded through tsx, registered on
 * first use, from the user's project (a clone has it as a devDependency). Without it, the message says what to do.
 */
function loadTypeScript(path: string): Promise<void> {
  typeScriptLoader ??= import('tsx/esm/api').then(
    ({ register }) => void register(),
    () => {
      typeScriptLoader = undefined;
      throw new ScenarioDefinitionError(`${path} is TypeScript, which paysim's compiled build runs through tsx: install it beside paysim (npm install --save-dev tsx), or write the scenario in JavaScript (.scenario.mjs, importing defineScenario from paysim/scenario)`);
    },
  );
  return typeScriptLoader;
}

/**
 * Why a TypeScript file failed to load, asked once more through tsx's own import: through the registered
 * loader a syntax error surfaces as a bare V8 message without its line, and a module that cannot be found
 * (or a syntax error) as a "require(esm) cycle"; tsImport names the line and column, or the missing module.
 */
async function typeScriptError(path: string): Promise<string | undefined> {
  try {
    const { tsImport } = await import('tsx/esm/api');
    await tsImport(pathToFileURL(path).href, import.meta.url);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split(/\n+Require stack:/)[0]!.replace(/\?namespace=[\w-]+/g, '').replace(/\n+/g, ' ') : undefined;
  }
}

/** Loads one scenario file (its default export); throws a ScenarioDefinitionError saying what is wrong. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  let module: { default?: unknown };
  if (compiled && /\.[cm]?ts$/.test(path)) await loadTypeScript(path);
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    if (error instanceof ScenarioDefinitionError) throw error;
    const detail = (compiled && /\.[cm]?ts$/.test(path) ? await typeScriptError(path) : undefined) ?? (error instanceof Error ? error.message : String(error));
    throw new ScenarioDefinitionError(`${path} could not be loaded: ${detail.split('\n').slice(0, 3).join(' ')}`);
  }
  const scenario = module.default as Scenario | undefined;
  if (!scenario || typeof scenario !== 'object' || typeof scenario.name !== 'string' || !Array.isArray(scenario.steps)) {
    throw new ScenarioDefinitionError(`${path} has no scenario as its default export: write \`export default defineScenario({ … })\``);
  }
  return scenario;
}

export interface CatalogEntry {
  readonly scenario: Scenario;
  /** The file, relative to the catalogue folder: alipay/every-notification-lost.scenario.ts */
  readonly file: string;
}

export async function loadCatalog(): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  for (const channel of readdirSync(catalogDirectory).sort()) {
    const folder = join(catalogDirectory, channel);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).filter((name) => name.endsWith(catalogFileSuffix)).sort()) {
      const scenario = await loadScenarioFile(join(folder, file));
      if (scenario.channel !== channel) throw new ScenarioDefinitionError(`${channel}/${file} is a ${scenario.channel} scenario in the ${channel} folder`);
      entries.push({ scenario, file: `${channel}/${file}` });
    }
  }
  const seen = new Set<string>();
  for (const { scenario, file } of entries) {
    if (seen.has(scenario.name)) throw new ScenarioDefinitionError(`two scenarios are named ${scenario.name} (one is ${file})`);
    seen.add(scenario.name);
  }
  return entries;
}
