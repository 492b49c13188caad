/**
 * YouTube Data API quota: units per call (official costs), a daily limit per Cloud project, reset at
 * midnight America/Los_Angeles (so the day is 23 or 25 hours long on DST change days).
 */
export const YOUTUBE_METHODS = ['channels.list', 'playlistItems.list', 'videos.list', 'search.list'] as const;
export type YouTubeMethodName = (typeof YOUTUBE_METHODS)[number];

export const QUOTA_COST: Record<YouTubeMethodName, number> = {
  'channels.list': 1,
  'playlistItems.list': 1,
  'videos.list': 1,
  'search.list': 100,
};

export const DEFAULT_DAILY_QUOTA = 10_000;
export const QUOTA_TIME_ZONE = 'America/Los_Angeles';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: QUOTA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: QUOTA_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The Pacific calendar day of an instant, 'YYYY-MM-DD': the key of the quota day. */
export function quotaDay(at: Date): string {
  return dayFormat.format(at);
}

/** Offset of Pacific time from UTC at an instant, in ms (e.g. -8 h in winter, -7 h in summer). */
function pacificOffsetMs(at: number): number {
  const parts: Record<string, number> = {};
  for (const p of partsFormat.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of the next Pacific midnight strictly after `at`: when the quota resets. */
export function nextQuotaReset(at: Date): Date {
  const [y, m, d] = quotaDay(at).split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1); // 00:00 of the next Pacific day, read as if UTC
  // Midnight never falls in a DST gap in Los Angeles (changes happen at 02:00): two passes settle it.
  let guess = midnightAsUtc - pacificOffsetMs(midnightAsUtc);
  guess = midnightAsUtc - pacificOffsetMs(guess);
  return new Date(guess);
}

export interface MethodUsage {
  calls: number;
  units: number;
}

export interface QuotaState {
  limit: number;
  day: string;
  used: number;
  byMethod: Partial<Record<YouTubeMethodName, MethodUsage>>;
  /** Units spent per past Pacific day (the last 14 days), for reports. */
  history: Record<string, number>;
}

/** Counts units per Pacific day; refuses a call whose cost would take the day past the limit. */
export class QuotaMeter {
  private state: QuotaState;

  constructor(limit = DEFAULT_DAILY_QUOTA, state?: QuotaState) {
    this.state = state ? structuredClone(state) : { limit, day: '', used: 0, byMethod: {}, history: {} };
  }

  get limit(): number {
    return this.state.limit;
  }

  set limit(value: number) {
    this.state.limit = value;
  }

  private roll(now: Date): void {
    const day = quotaDay(now);
    if (day === this.state.day) return;
    if (this.state.day && this.state.used > 0) this.state.history[this.state.day] = this.state.used;
    const days = Object.keys(this.state.history).sort();
    for (const old of days.slice(0, Math.max(0, days.length - 14))) delete this.state.history[old];
    this.state.day = day;
    this.state.used = 0;
    this.state.byMethod = {};
  }

  usedToday(now: Date): number {
    this.roll(now);
    return this.state.used;
  }

  remaining(now: Date): number {
    return Math.max(0, this.limit - this.usedToday(now));
  }

  resetAt(now: Date): Date {
    return nextQuotaReset(now);
  }

  /** True when a call of `method` now would exceed the daily limit. */
  wouldExceed(method: YouTubeMethodName, now: Date): boolean {
    return this.usedToday(now) + QUOTA_COST[method] > this.limit;
  }

  charge(method: YouTubeMethodName, now: Date): void {
    this.roll(now);
    const cost = QUOTA_COST[method];
    this.state.used += cost;
    const usage = (this.state.byMethod[method] ??= { calls: 0, units: 0 });
    usage.calls += 1;
    usage.units += cost;
  }

  /** Today's usage per method (after rolling to `now`'s day). */
  byMethod(now: Date): Partial<Record<YouTubeMethodName, MethodUsage>> {
    this.roll(now);
    return structuredClone(this.state.byMethod);
  }

  /** Sets today's usage (tests: "start the day with 9,990 units used"). */
  setUsedToday(units: number, now: Date): void {
    this.roll(now);
    this.state.used = units;
  }

  reset(): void {
    this.state = { limit: this.state.limit, day: '', used: 0, byMethod: {}, history: {} };
  }

  toJSON(): QuotaState {
    return structuredClone(this.state);
  }
}
