/**
 * The runtime's virtual clock. Its time lives in a SharedArrayBuffer so that worker executions read the
 * same instant (their sandbox `Date` reads it directly) while only the state owner moves it.
 */
export type ClockListener = (nowMs: number) => void;

export class VirtualClock {
  readonly buffer: SharedArrayBuffer;
  readonly #time: Float64Array;
  readonly #listeners = new Set<ClockListener>();

  constructor(start: Date | string | number, buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(8);
    this.#time = new Float64Array(this.buffer);
    if (!buffer) this.#time[0] = toMs(start);
  }

  nowMs(): number {
    return this.#time[0] as number;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Sets the clock to an instant. Moving backwards is refused: executions, quotas and triggers assume time only moves on. */
  set(when: Date | string | number): void {
    const ms = toMs(when);
    if (ms < this.nowMs())
      throw new RangeError(`VirtualClock.set: ${new Date(ms).toISOString()} is before now (${this.now().toISOString()})`);
    this.#move(ms);
  }

  /** Moves time forward by ms without firing triggers (service latency, Utilities.sleep). Use runtime.advance to fire triggers. */
  tick(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.tick: ${ms} is not a non-negative number of ms`);
    if (ms > 0) this.#move(this.nowMs() + ms);
  }

  onChange(listener: ClockListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #move(ms: number): void {
    this.#time[0] = ms;
    for (const l of this.#listeners) l(ms);
  }
}

export function toMs(when: Date | string | number): number {
  const ms = when instanceof Date ? when.getTime() : typeof when === 'number' ? when : Date.parse(when);
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid date: ${String(when)}`);
  return ms;
}
