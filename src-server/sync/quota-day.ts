/**
 * The YouTube quota day: units are counted per calendar day in America/Los_Angeles and the quota resets
 * at midnight Pacific (so a quota day lasts 23 or 25 hours on DST change days). Uses Intl only.
 */
const QUOTA_ZONE = 'America/Los_Angeles';

let formatter: Intl.DateTimeFormat | null = null;

function pacificParts(at: Date): { y: number; m: number; d: number; h: number; min: number; s: number } {
  // Built lazily: nothing runs at bundle load time.
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: QUOTA_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const out: Record<string, number> = {};
  for (const part of formatter.formatToParts(at)) if (part.type !== 'literal') out[part.type] = Number(part.value);
  return { y: out.year!, m: out.month!, d: out.day!, h: out.hour! % 24, min: out.minute!, s: out.second! };
}

/** Pacific wall-clock minus UTC at an instant, in ms (-8 h in winter, -7 h in summer). */
function pacificOffsetMs(atMs: number): number {
  const p = pacificParts(new Date(atMs));
  const wallAsUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return wallAsUtc - Math.floor(atMs / 1000) * 1000;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The Pacific calendar day of an instant, 'YYYY-MM-DD': the key of a quota day. */
export function pacificDay(now: Date): string {
  const p = pacificParts(now);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

/** The next Pacific midnight strictly after `now`: when the YouTube quota resets. */
export function quotaResetAt(now: Date): Date {
  const p = pacificParts(now);
  const nextMidnightWall = Date.UTC(p.y, p.m - 1, p.d + 1);
  // Los Angeles changes clocks at 02:00, never at midnight: the offset just before and at midnight is
  // the same, and a second pass settles the rare case where the first guess lands across a change.
  let guess = nextMidnightWall - pacificOffsetMs(nextMidnightWall);
  guess = nextMidnightWall - pacificOffsetMs(guess);
  return new Date(guess);
}
