/**
 * The app's YouTube quota meter: units per Pacific day (the quota resets at midnight Pacific) in
 * meta:quota, the daily budget setting enforced, and the global deferral after quotaExceeded.
 * Runs spend against an in-memory meter outside the lock; the delta is added to the stored day under
 * the lock when results are recorded (so concurrent executions add up instead of overwriting).
 */
import type { YouTubeMethod } from '../domain/catalogue';
import { pacificDay, type QuotaMeter } from '../sync';
import { KEYS, type PropertySnapshot } from './store';

export interface QuotaRecord {
  day: string;
  used: number;
  /** All YouTube work waits until then (quotaExceeded or daily budget reached). */
  deferred_until: string | null;
}

export function readQuota(snapshot: PropertySnapshot, now: Date): QuotaRecord {
  const day = pacificDay(now);
  const stored = snapshot.json<QuotaRecord>(KEYS.quota);
  const deferred = stored?.deferred_until && Date.parse(stored.deferred_until) > now.getTime() ? stored.deferred_until : null;
  return { day, used: stored && stored.day === day ? stored.used : 0, deferred_until: deferred };
}

export function addQuota(snapshot: PropertySnapshot, now: Date, units: number, deferUntil: string | null): QuotaRecord {
  const current = readQuota(snapshot, now);
  const next: QuotaRecord = {
    day: current.day,
    used: current.used + units,
    deferred_until: deferUntil && (!current.deferred_until || deferUntil > current.deferred_until) ? deferUntil : current.deferred_until,
  };
  snapshot.setJson(KEYS.quota, next);
  return next;
}

export class ExecutionQuotaMeter implements QuotaMeter {
  spent = 0;
  readonly byMethod: Partial<Record<YouTubeMethod, number>> = {};

  constructor(
    private readonly usedAtStart: number,
    private readonly dailyBudget: number,
  ) {}

  canSpend(units: number): boolean {
    return this.usedAtStart + this.spent + units <= this.dailyBudget;
  }

  spend(method: YouTubeMethod, units: number): void {
    this.spent += units;
    this.byMethod[method] = (this.byMethod[method] ?? 0) + units;
  }
}
