// Typed events. Engine and core emit; the journal, logs, the dashboard and scenario timelines listen.
// A listener that throws is reported and does not stop the others or the emitter.

export interface EventBase {
  readonly type: string;
  readonly atMs: number;
}

type Listener<E> = (event: E) => void;

export class EventBus<E extends EventBase> {
  private readonly listeners = new Map<string, Set<Listener<E>>>();

  on<T extends E['type']>(type: T, listener: Listener<Extract<E, { type: T }>>): () => void;
  on(type: '*', listener: Listener<E>): () => void;
  on(type: string, listener: Listener<never>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener as Listener<E>);
    this.listeners.set(type, set);
    return () => set.delete(listener as Listener<E>);
  }

  emit(event: E): void {
    for (const key of [event.type, '*']) {
      for (const listener of this.listeners.get(key) ?? []) {
        try {
          listener(event);
        } catch (error) {
          process.emitWarning(`listener for ${event.type} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
}
