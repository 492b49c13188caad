/**
 * Instants written for people in a job's time zone, labelled with the zone: "Mon, Jan 5, 09:00 EST".
 * Names and digits come from our own tables (the wall time from timezone.ts); only the zone's short
 * name asks Intl, and falls back to "UTC-05:00" where Intl has none or cannot say.
 */
import { civilFromDayNumber, dayNumber, isValidTimeZone, offsetMinutesAt, wallTimeAt } from './timezone';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number): string => String(n).padStart(2, '0');

function utcOffsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The zone's short name at an instant ("EST", "CEST", "GMT+1"), else its UTC offset. */
export function zoneLabel(timeZone: string, ms: number): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value;
    if (name) return name;
  } catch {
    // Intl without this zone's names: the offset says the same thing
  }
  return utcOffsetLabel(offsetMinutesAt(timeZone, ms));
}

/** "09:00": the local time of day in the zone. */
export function zonedTime(timeZone: string, ms: number): string {
  const w = wallTimeAt(zoneOrUtc(timeZone), ms);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** "Mon, Jan 5, 09:00 EST": date, time and zone label (UTC when the zone is unknown). */
export function zonedDateTime(timeZone: string, ms: number): string {
  const zone = zoneOrUtc(timeZone);
  const w = wallTimeAt(zone, ms);
  const weekday = civilFromDayNumber(dayNumber(w.year, w.month, w.day)).weekday;
  return `${DAY_NAMES[weekday]}, ${MONTH_NAMES[w.month - 1]} ${w.day}, ${pad(w.hour)}:${pad(w.minute)} ${zoneLabel(zone, ms)}`;
}

function zoneOrUtc(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : 'UTC';
}
