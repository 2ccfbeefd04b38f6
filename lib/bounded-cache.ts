// A map that forgets its oldest entries past a size: for results that are pure functions of their key
// (parsed keys) and cost far more to make than to look up, in processes that may make new keys without
// end (a test suite, a swarm).
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** The value for `key`, made by `make` the first time (a `make` that throws leaves nothing behind). */
  get(key: string, make: () => V): V {
    const found = this.entries.get(key);
    if (found !== undefined) return found;
    const made = make();
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, made);
    return made;
  }
}
