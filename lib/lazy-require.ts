// A CommonJS package loaded on its first use, not when the module that needs it loads: node-forge,
// iconv-lite, papaparse and yauzl serve certificates and bill files, never a start, and loading them
// took a sixth of `paysim up`'s start-up.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `load()` gives the package's exports, requiring it the first time. */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
