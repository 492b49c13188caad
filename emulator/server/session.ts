/**
 * The dev server's live state: the current runtime (reset replaces it) and change notifications that
 * the real-time clock loop and the state file listen to.
 */
import type { DevRuntime, ExecutionResultLike, RuntimeFactory, RuntimeFactoryOptions } from './types';

type Listener = () => void;

export class DevSession {
  #runtime: DevRuntime;
  readonly #changed = new Set<Listener>();
  readonly #replaced = new Set<Listener>();
  readonly #clockMoved = new Set<Listener>();
  /** Recent executions (newest last), for the state endpoint and the console. */
  readonly recent: { kind: string; name: string; ok: boolean; at: string; error?: string }[] = [];

  constructor(
    runtime: DevRuntime,
    private readonly factory?: RuntimeFactory,
  ) {
    this.#runtime = runtime;
  }

  get runtime(): DevRuntime {
    return this.#runtime;
  }

  get canReset(): boolean {
    return this.factory !== undefined;
  }

  /** Replaces the runtime with a fresh one (or one restored from `options.state`). */
  reset(options: RuntimeFactoryOptions = {}): DevRuntime {
    if (!this.factory) throw new Error('reset: this server was started without a runtime factory');
    const previous = this.#runtime;
    this.#runtime = this.factory(options);
    void previous.close?.().catch(() => undefined);
    this.recent.length = 0;
    for (const l of this.#replaced) l();
    this.changed();
    return this.#runtime;
  }

  /** Records executions (one or more) and tells listeners the state changed. */
  executed(kind: string, name: string, results: ExecutionResultLike | ExecutionResultLike[]): void {
    for (const r of Array.isArray(results) ? results : [results]) {
      const entry: (typeof this.recent)[number] = { kind, name, ok: r.ok, at: r.startedAt.toISOString() };
      if (!r.ok) entry.error = r.killed ? 'Exceeded maximum execution time' : `${r.error?.name}: ${r.error?.message}`;
      this.recent.push(entry);
    }
    if (this.recent.length > 100) this.recent.splice(0, this.recent.length - 100);
    this.changed();
  }

  changed(): void {
    for (const l of this.#changed) l();
  }

  /** The clock was moved by hand (controls): the real-time loop re-anchors. */
  clockMoved(): void {
    for (const l of this.#clockMoved) l();
  }

  on(event: 'changed' | 'replaced' | 'clockMoved', listener: Listener): () => void {
    const set = event === 'changed' ? this.#changed : event === 'replaced' ? this.#replaced : this.#clockMoved;
    set.add(listener);
    return () => set.delete(listener);
  }
}
