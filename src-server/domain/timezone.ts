/**
 * Wall-clock <-> instant conversion in IANA time zones, with Intl only (no Apps Script service, so the
 * same code runs in tests, the emulator and Apps Script V8).
 *
 * Offsets are memoised per zone and per 15-minute UTC bucket: formatToParts costs ~10 µs, and every
 * modern zone changes its offset only on a quarter hour of UTC. The memo holds pure facts (an offset
 * never depends on anything but zone and instant), so keeping it for the life of an execution is safe.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * MINUTE_MS;

/** A local calendar date and time (month 1..12). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetMemo = new Map<string, Map<number, number>>();
const validity = new Map<string, boolean>();

/** Forgets formatters and offsets (a fresh execution starts without them). */
export function resetTimeZoneMemos(): void {
  formatters.clear();
  offsetMemo.clear();
  validity.clear();
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (Intl.DateTimeFormat throws a RangeError on an unknown one). */
export function isValidTimeZone(timeZone: string): boolean {
  const known = validity.get(timeZone);
  if (known !== undefined) return known;
  let ok = timeZone.length > 0;
  if (ok) {
    try {
      formatterFor(timeZone);
    } catch {
      ok = false;
    }
  }
  validity.set(timeZone, ok);
  return ok;
}

function computeOffsetMinutes(timeZone: string, ms: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      // Some engines print midnight as 24 even with h23.
      case 'hour':
        hour = Number(part.value) % 24;
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const flooredMs = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((asUtc - flooredMs) / MINUTE_MS);
}

/** The zone's UTC offset in minutes at an instant (e.g. -300 for New York in winter). */
export function offsetMinutesAt(timeZone: string, ms: number): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  let memo = offsetMemo.get(timeZone);
  if (!memo) {
    memo = new Map();
    offsetMemo.set(timeZone, memo);
  }
  let offset = memo.get(bucket);
  if (offset === undefined) {
    offset = computeOffsetMinutes(timeZone, bucket * BUCKET_MS);
    if (memo.size > 20_000) memo.clear();
    memo.set(bucket, offset);
  }
  return offset;
}

/** Days since 1970-01-01 of a civil date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The civil date of a day number, with weekday 0 = Sunday (arithmetic: no Date allocation). */
export function civilFromDayNumber(n: number): { year: number; month: number; day: number; weekday: number } {
  // Proleptic Gregorian calendar in 400-year eras starting on March 1st.
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day, weekday: (((n + 4) % 7) + 7) % 7 };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** The local wall time of an instant in a zone (seconds dropped). */
export function wallTimeAt(timeZone: string, ms: number): WallTime {
  const local = new Date(ms + offsetMinutesAt(timeZone, ms) * MINUTE_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** Local "wall milliseconds" (the wall time read as if it were UTC) of an instant. */
export function wallMsAt(timeZone: string, ms: number): number {
  return ms + offsetMinutesAt(timeZone, ms) * MINUTE_MS;
}

/**
 * The instant a local wall time denotes, with the scheduler's DST rules:
 * - a wall time that occurs twice (autumn fall-back) resolves to the FIRST of the two instants;
 * - a wall time that does not exist (spring-forward gap) resolves to the first existing minute after
 *   it, i.e. the instant of the transition (02:30 in New York on the spring-forward day -> 03:00 EDT).
 * `wallMs` is the wall time read as UTC milliseconds (Date.UTC(...)).
 */
export function wallMsToInstant(timeZone: string, wallMs: number): number {
  // Every real zone's offset is within ±18 h; try the offsets in force just before and after.
  const before = offsetMinutesAt(timeZone, wallMs - DAY_MS / 2);
  const after = offsetMinutesAt(timeZone, wallMs + DAY_MS / 2);
  const candidates = before === after ? [before] : [before, after];
  let best: number | null = null;
  for (const off of candidates) {
    const instant = wallMs - off * MINUTE_MS;
    if (offsetMinutesAt(timeZone, instant) === off && (best === null || instant < best)) best = instant;
  }
  if (best !== null) return best;
  return transitionAfterGap(timeZone, wallMs);
}

/** A wall time inside a gap: the transition instant, searched between the two readings of it. */
function transitionAfterGap(timeZone: string, wallMs: number): number {
  const before = offsetMinutesAt(timeZone, wallMs - DAY_MS / 2);
  const after = offsetMinutesAt(timeZone, wallMs + DAY_MS / 2);
  // Read with the earlier offset the instant is past the transition, with the later one before it.
  let lo = Math.min(wallMs - before * MINUTE_MS, wallMs - after * MINUTE_MS);
  let hi = Math.max(wallMs - before * MINUTE_MS, wallMs - after * MINUTE_MS);
  const loOffset = offsetMinutesAt(timeZone, lo);
  // Invariant: offset(lo) === loOffset, offset(hi) !== loOffset; minute precision is enough.
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMinutesAt(timeZone, mid) === loOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The instant of a local wall time (see wallMsToInstant for DST rules). */
export function instantOfWallTime(timeZone: string, w: WallTime): number {
  return wallMsToInstant(timeZone, Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
}
