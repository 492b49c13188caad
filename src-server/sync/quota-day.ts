/**
 * The YouTube quota day: units are counted per calendar day in America/Los_Angeles and the quota resets
 * at midnight Pacific (so a quota day lasts 23 or 25 hours on DST change days).
 */
import { instantOfWallTime, wallTimeAt } from '../domain/timezone';

const QUOTA_ZONE = 'America/Los_Angeles';

const pad = (n: number): string => String(n).padStart(2, '0');

/** The Pacific calendar day of an instant, 'YYYY-MM-DD': the key of a quota day. */
export function pacificDay(now: Date): string {
  const w = wallTimeAt(QUOTA_ZONE, now.getTime());
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The next Pacific midnight strictly after `now`: when the YouTube quota resets. */
export function quotaResetAt(now: Date): Date {
  const today = wallTimeAt(QUOTA_ZONE, now.getTime());
  const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  // Los Angeles changes clocks at 02:00, so midnight always exists and occurs once.
  return new Date(
    instantOfWallTime(QUOTA_ZONE, {
      year: tomorrow.getUTCFullYear(),
      month: tomorrow.getUTCMonth() + 1,
      day: tomorrow.getUTCDate(),
      hour: 0,
      minute: 0,
    }),
  );
}
