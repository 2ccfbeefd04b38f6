// The store every service persists through, and the one place that chooses its implementation.

import { FileStore, type FileStoreOptions } from './file-store.ts';
import { MemoryStore, type Store } from './store.ts';

export * from './store.ts';
export * from './file-store.ts';

export type OpenStoreOptions = { readonly memory: true } | ({ readonly memory?: false } & FileStoreOptions);

/** `{ memory: true }` for scenarios and `--memory`; otherwise the file store under `dataDir`. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.memory === true) {
    const { memory: _memory, ...rest } = options;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new Error(`store: option(s) ${extra.join(', ')} do not apply to the memory store`);
    return new MemoryStore();
  }
  const { memory: _memory, ...fileOptions } = options;
  return FileStore.open(fileOptions);
}
