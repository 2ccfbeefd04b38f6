// A package loaded on its first use, not when the module that needs it loads: node-forge, iconv-lite,
// papaparse and yauzl serve certificates and bill files, never a start, and loading them took a sixth of
// `paysim up`'s start-up; faker makes names. An ES module package (faker) is loaded the same way, by
// Node's require() of ES modules (Node 20.19 and later, as package.json's engines say).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `load()` gives the package's exports, requiring it the first time. */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
