/**
 * How often the sidebar monitor polls: every 2 s while something runs (progress moves), backing off
 * to 30 s while nothing does (each idle poll doubles the wait: 5, 10, 20, 30 s). Polling stops
 * altogether while the tab is hidden (usePolling's `active`).
 */
export const MONITOR_POLL = {
  /** While a run is in progress. */
  activeMs: 2_000,
  /** The first wait once nothing runs. */
  idleStartMs: 5_000,
  /** The longest wait. */
  idleMaxMs: 30_000,
} as const;

/** The wait before the next poll, from the wait before this one (null: first) and the runs shown now. */
export function nextMonitorDelay(previousMs: number | null, running: number): number {
  if (running > 0) return MONITOR_POLL.activeMs;
  if (previousMs === null || previousMs < MONITOR_POLL.idleStartMs) return MONITOR_POLL.idleStartMs;
  return Math.min(MONITOR_POLL.idleMaxMs, previousMs * 2);
}
