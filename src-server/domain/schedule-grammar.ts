/**
 * The schedule_value grammar of each schedule_type (docs/schedules.md explains it to users), parsed
 * into a ScheduleRule. Parsing is separate from occurrence math (schedule.ts) and from the job schema
 * (job.ts), which both use it.
 */
import { Cron } from 'croner';
import { WEEKDAYS, type ScheduleType } from './catalogue';
import { daysInMonth } from './timezone';

const MINUTE_MS = 60_000;
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_DAYS = 366;
export const MAX_TIMES_PER_DAY = 48;

/** Minutes after local midnight, sorted and unique. */
export type DayTimes = number[];

export type ScheduleRule =
  | { type: 'daily'; times: DayTimes }
  /** days: 0 = Sunday .. 6 = Saturday, sorted, unique. */
  | { type: 'weekly'; days: number[]; times: DayTimes }
  /** days 1..31 (skipped in months without them); last = the month's last day. */
  | { type: 'monthly'; days: number[]; last: boolean; times: DayTimes }
  | { type: 'interval'; everyMs: number }
  | { type: 'cron'; pattern: string }
  /** A local wall time (read as UTC ms) in the job's zone, or an exact instant when an offset was given. */
  | { type: 'once'; at: LocalDateTime };

export type ScheduleParse = { ok: true; rule: ScheduleRule } | { ok: false; message: string };

/** An ISO date-time as written: local (zone applied later) or with an explicit offset. */
export type LocalDateTime = { kind: 'local'; wallMs: number } | { kind: 'instant'; ms: number };

export const SCHEDULE_EXPECTATIONS: Record<ScheduleType, string> = {
  daily: 'daily expects HH:MM or a list of times, e.g. 09:00 or 09:00,17:30',
  weekly: 'weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30',
  monthly: 'monthly expects DAYS@HH:MM with days 1-31 or last, e.g. 1,15@08:00 or last@18:00',
  interval: `interval expects a number and a unit m, h or d, e.g. 30m, 6h, 2d (minimum ${MIN_INTERVAL_MINUTES}m)`,
  cron: 'cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5',
  once: 'once expects a local date-time YYYY-MM-DDTHH:MM in the job time zone, e.g. 2026-12-24T18:00',
};

function fail(type: ScheduleType, detail?: string): ScheduleParse {
  const base = `schedule_value: ${SCHEDULE_EXPECTATIONS[type]}`;
  return { ok: false, message: detail ? `${base}; ${detail}` : base };
}

const TIME_RE = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "09:00,17:30" -> sorted unique minutes of day, or an error detail. */
function parseTimes(text: string): DayTimes | string {
  const parts = text.split(',').map((p) => p.trim());
  const out = new Set<number>();
  for (const part of parts) {
    const m = TIME_RE.exec(part);
    if (!m) return part === '' ? 'empty time' : `'${part}' is not a time HH:MM (00:00-23:59)`;
    out.add(Number(m[1]) * 60 + Number(m[2]));
  }
  if (out.size > MAX_TIMES_PER_DAY) return `at most ${MAX_TIMES_PER_DAY} times`;
  return [...out].sort((a, b) => a - b);
}

function splitAt(value: string): [string, string] | null {
  const i = value.indexOf('@');
  if (i < 0 || value.indexOf('@', i + 1) >= 0) return null;
  return [value.slice(0, i).trim(), value.slice(i + 1).trim()];
}

function weekdayIndex(name: string): number {
  return (WEEKDAYS as readonly string[]).indexOf(name.slice(0, 3).toUpperCase());
}

function isWeekdayName(name: string): boolean {
  const upper = name.toUpperCase();
  const i = weekdayIndex(upper);
  if (i < 0) return false;
  const full = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'][i]!;
  return upper === full.slice(0, 3) || upper === full;
}

function parseWeekdays(text: string): number[] | string {
  const days = new Set<number>();
  if (text.trim() === '') return 'no day given';
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') return `an empty day in '${text.trim()}'`;
    const range = part.split('-').map((p) => p.trim());
    if (range.length > 2 || range.some((r) => !isWeekdayName(r))) return `unknown day '${part}'`;
    const from = weekdayIndex(range[0]!);
    const to = weekdayIndex(range[range.length - 1]!);
    // MON-FRI; a wrapping range such as FRI-MON goes through the weekend.
    for (let d = from, n = 0; n < 7; d = (d + 1) % 7, n++) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseMonthDays(text: string): { days: number[]; last: boolean } | string {
  const days = new Set<number>();
  let last = false;
  if (text.trim() === '') return 'no day given';
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') return `an empty day in '${text.trim()}'`;
    if (part.toLowerCase() === 'last') {
      last = true;
      continue;
    }
    if (!/^\d{1,2}$/.test(part) || Number(part) < 1 || Number(part) > 31) return `'${part}' is not a day 1-31 or last`;
    days.add(Number(part));
  }
  return { days: [...days].sort((a, b) => a - b), last };
}

function parseInterval(value: string): number | string {
  const m = /^(\d{1,6})\s*(m|min|h|d)$/i.exec(value);
  if (!m) return `'${value}' is not like 30m, 6h or 2d`;
  const unit = m[2]!.toLowerCase();
  const minutes = Number(m[1]) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1);
  if (minutes < MIN_INTERVAL_MINUTES) return `shorter than ${MIN_INTERVAL_MINUTES} minutes`;
  if (minutes > MAX_INTERVAL_DAYS * 1440) return `longer than ${MAX_INTERVAL_DAYS} days`;
  return minutes * MINUTE_MS;
}

const cronChecks = new Map<string, string | null>();

/** Cron jobs run no more often than interval jobs: checked on the pattern's next 48 occurrences. */
function parseCron(value: string): string | null {
  let problem = cronChecks.get(value);
  if (problem === undefined) {
    problem = checkCron(value);
    if (cronChecks.size > 1_000) cronChecks.clear();
    cronChecks.set(value, problem);
  }
  return problem;
}

function checkCron(value: string): string | null {
  const fields = value.split(/\s+/);
  if (fields.length !== 5) return `${fields.length} field${fields.length === 1 ? '' : 's'} given`;
  let cron: Cron;
  try {
    cron = new Cron(value, { paused: true, timezone: 'UTC', mode: '5-part' });
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^CronPattern: /, '') : 'invalid pattern';
  }
  const runs = cron.nextRuns(48, new Date(Date.UTC(2025, 0, 1)));
  if (runs.length === 0) return 'the pattern never matches';
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_INTERVAL_MINUTES * MINUTE_MS) {
      return `runs more often than every ${MIN_INTERVAL_MINUTES} minutes`;
    }
  }
  return null;
}

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses `2026-12-24T18:00`, `2026-12-24T18:00:30`, `2026-12-24` (midnight) as a local wall time, and
 * `...Z` / `...+02:00` as an exact instant. Returns null when it is not such a date-time or the date
 * does not exist (2026-02-30).
 */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const m = DATE_TIME_RE.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const zone = m[8];
  if (zone === undefined) return { kind: 'local', wallMs };
  if (zone === 'Z') return { kind: 'instant', ms: wallMs };
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (Number(z[2]) * 60 + Number(z[3])) * (z[1] === '-' ? -1 : 1);
  if (Number(z[2]) > 18 || Number(z[3]) > 59) return null;
  return { kind: 'instant', ms: wallMs - offset * MINUTE_MS };
}

/** Parses a schedule_value for its schedule_type; the message names the field and the expected form. */
export function parseScheduleValue(type: ScheduleType, value: string): ScheduleParse {
  return parseRule(type, value, true);
}

// Stored jobs were validated when saved: planning re-reads their rules without re-checking cron
// patterns against croner (the check builds a Cron and walks 100 occurrences).
const trusted = new Map<string, ScheduleParse>();

/** Forgets memoised parses (benchmarks measure a cold execution with it). */
export function resetGrammarMemos(): void {
  trusted.clear();
  cronChecks.clear();
}

/** parseScheduleValue for a stored (already validated) job, memoised for the execution. */
export function parseStoredScheduleValue(type: ScheduleType, value: string): ScheduleParse {
  const key = `${type}\u0000${value}`;
  let parsed = trusted.get(key);
  if (!parsed) {
    parsed = parseRule(type, value, false);
    if (trusted.size > 5_000) trusted.clear();
    trusted.set(key, parsed);
  }
  return parsed;
}

function parseRule(type: ScheduleType, value: string, checkCron: boolean): ScheduleParse {
  const text = value.trim();
  if (text === '') return fail(type, 'empty');
  switch (type) {
    case 'daily': {
      const times = parseTimes(text);
      return typeof times === 'string' ? fail(type, times) : { ok: true, rule: { type, times } };
    }
    case 'weekly': {
      const parts = splitAt(text);
      if (!parts) return fail(type, `'${text}' has no single @ between days and times`);
      const days = parseWeekdays(parts[0]);
      if (typeof days === 'string') return fail(type, days);
      const times = parseTimes(parts[1]);
      return typeof times === 'string' ? fail(type, times) : { ok: true, rule: { type, days, times } };
    }
    case 'monthly': {
      const parts = splitAt(text);
      if (!parts) return fail(type, `'${text}' has no single @ between days and times`);
      const days = parseMonthDays(parts[0]);
      if (typeof days === 'string') return fail(type, days);
      const times = parseTimes(parts[1]);
      return typeof times === 'string' ? fail(type, times) : { ok: true, rule: { type, ...days, times } };
    }
    case 'interval': {
      const everyMs = parseInterval(text);
      return typeof everyMs === 'string' ? fail(type, everyMs) : { ok: true, rule: { type, everyMs } };
    }
    case 'cron': {
      const pattern = text.split(/\s+/).join(' ');
      const problem = checkCron ? parseCron(pattern) : pattern.split(' ').length === 5 ? null : 'not 5 fields';
      return problem ? fail(type, problem) : { ok: true, rule: { type, pattern } };
    }
    case 'once': {
      const at = /T|\s/.test(text) ? parseLocalDateTime(text) : null;
      return at ? { ok: true, rule: { type, at } } : fail(type, `'${text}' is not a valid date-time`);
    }
    default: {
      const never: never = type;
      return { ok: false, message: `schedule_type: unknown type '${String(never)}'` };
    }
  }
}
