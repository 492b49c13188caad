/**
 * Accounting of the time triggers spend, against the account's daily trigger-runtime budget
 * (90 min for consumer accounts, 6 h for Workspace). Hourly buckets of the last 24 h in meta:runtime.
 * Idle ticks (one property read) are not recorded: writing would cost more than they use. Health adds
 * an estimate for them instead: one heartbeat every N minutes, IDLE_TICK_ESTIMATE_MS each.
 */
import { KEYS, type PropertySnapshot } from './store';

const HOUR_MS = 3_600_000;
export const TRIGGER_RUNTIME_BUDGET_MS = 90 * 60_000;
/** What an idle tick is assumed to cost (start of an execution, bundle load, one property read). */
export const IDLE_TICK_ESTIMATE_MS = 500;

/** Estimated trigger runtime of 24 h of idle heartbeat ticks. */
export function idleTickEstimateMs(heartbeatMinutes: number): number {
  return Math.round((24 * 60) / heartbeatMinutes) * IDLE_TICK_ESTIMATE_MS;
}

/** [hour index since epoch, milliseconds used] */
type Bucket = [number, number];

export function readRuntime(snapshot: PropertySnapshot, nowMs: number): number {
  const buckets = snapshot.json<Bucket[]>(KEYS.runtime) ?? [];
  const since = Math.floor(nowMs / HOUR_MS) - 23;
  return buckets.filter(([h]) => h >= since).reduce((sum, [, ms]) => sum + ms, 0);
}

export function addRuntime(snapshot: PropertySnapshot, nowMs: number, ms: number): void {
  const hour = Math.floor(nowMs / HOUR_MS);
  const buckets = (snapshot.json<Bucket[]>(KEYS.runtime) ?? []).filter(([h]) => h >= hour - 23);
  const current = buckets.find(([h]) => h === hour);
  if (current) current[1] += Math.round(ms);
  else buckets.push([hour, Math.round(ms)]);
  snapshot.setJson(KEYS.runtime, buckets);
}
