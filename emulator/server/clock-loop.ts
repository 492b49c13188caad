/**
 * Runs the virtual clock on the real clock × speed and fires due time-driven triggers. The loop
 * re-anchors whenever the virtual clock got ahead (executions advance it by their modelled latency;
 * controls move it by hand), so it never stalls waiting for real time to catch up.
 */
import type { DevSession } from './session';

export interface ClockLoop {
  readonly speed: number;
  /** One step (the timer calls it; tests call it with a fake real clock). */
  step(): void;
  rebase(): void;
  stop(): void;
}

export function startClockLoop(
  session: DevSession,
  options: {
    speed: number;
    intervalMs?: number;
    realNow?: () => number;
    timer?: boolean;
    onError?: (err: unknown) => void;
    /** Fire with overlapping executions (runtime.advanceToAsync) when the runtime can. */
    overlap?: boolean;
  },
): ClockLoop {
  const realNow = options.realNow ?? Date.now;
  let anchorReal = 0;
  let anchorVirtual = 0;
  const rebase = () => {
    anchorReal = realNow();
    anchorVirtual = session.runtime.clock.now().getTime();
  };
  rebase();
  // An overlapping step runs until its executions finish; the timer skips ticks meanwhile.
  let busy = false;
  const stepAsync = (runtime: typeof session.runtime & { advanceToAsync(when: Date): Promise<unknown[]> }, target: number) => {
    busy = true;
    runtime
      .advanceToAsync(new Date(target))
      .then((results) => {
        if (results.length > 0) session.executed('trigger', 'time-driven', results as Parameters<typeof session.executed>[2]);
      })
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        busy = false;
        if (session.runtime.clock.now().getTime() > anchorVirtual + (realNow() - anchorReal) * options.speed) rebase();
      });
  };
  const step = () => {
    if (options.speed <= 0 || busy) return;
    const target = anchorVirtual + (realNow() - anchorReal) * options.speed;
    const now = session.runtime.clock.now().getTime();
    if (target <= now) {
      if (now > target) rebase();
      return;
    }
    const runtime = session.runtime;
    if (options.overlap && runtime.advanceToAsync) {
      stepAsync(runtime as typeof runtime & { advanceToAsync(when: Date): Promise<unknown[]> }, target);
      return;
    }
    try {
      const results = session.runtime.advanceTo(new Date(target));
      if (results.length > 0) session.executed('trigger', 'time-driven', results);
    } catch (err) {
      options.onError?.(err);
    }
    if (session.runtime.clock.now().getTime() > target) rebase();
  };
  const offReplaced = session.on('replaced', rebase);
  const offMoved = session.on('clockMoved', rebase);
  const handle = options.timer === false || options.speed <= 0 ? null : setInterval(step, options.intervalMs ?? 1000);
  return {
    speed: options.speed,
    step,
    rebase,
    stop() {
      if (handle) clearInterval(handle);
      offReplaced();
      offMoved();
    },
  };
}
