/**
 * Occurrences of a job's schedule: instants (UTC Dates) computed in the job's IANA time zone.
 *
 * DST rules (docs/schedules.md):
 * - daily / weekly / monthly / once: a local time that does not exist (spring-forward gap) runs at the
 *   first existing minute after it, the same day; a local time that occurs twice (fall-back) runs once,
 *   at its first occurrence;
 * - interval: fixed elapsed time from its anchor, whatever the wall clock does;
 * - cron: croner's rules: a fixed-time pattern (no wildcard or step in minute and hour) behaves as
 *   daily does; other patterns are interval-like (skip wall times inside a gap, run on both passes of
 *   a repeated hour).
 * start_at and end_at are inclusive bounds.
 */
import { Cron } from 'croner';
import type { JobConfig } from './job';
import {
  parseLocalDateTime,
  parseScheduleValue,
  parseStoredScheduleValue,
  resetGrammarMemos,
  type LocalDateTime,
  type ScheduleRule,
} from './schedule-grammar';
import { civilFromDayNumber, daysInMonth, resetTimeZoneMemos, wallMsAt, wallMsToInstant } from './timezone';

export { parseScheduleValue, type ScheduleRule, type ScheduleParse } from './schedule-grammar';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Calendar rules never wait longer than this between two occurrences (monthly 31 + leap day 29). */
const CALENDAR_SEARCH_DAYS = 4 * 366 + 2;

export type ScheduleFields = Pick<JobConfig, 'schedule_type' | 'schedule_value' | 'timezone' | 'start_at' | 'end_at'>;

export interface OccurrenceOptions {
  /**
   * Interval schedules without start_at count from this instant (e.g. the job's created_at); without
   * either they count from 1970-01-01T00:00Z, so `6h` means 00:00, 06:00, 12:00, 18:00 UTC.
   * Ignored by the other schedule types.
   */
  anchor?: Date | null;
}

/** A schedule ready for repeated queries (the planner compiles each job once per tick). */
export interface CompiledSchedule {
  /** The first occurrence strictly after `afterMs`, or null. */
  next(afterMs: number): number | null;
  /** The last occurrence at or before `atMs`, or null. */
  prev(atMs: number): number | null;
}

function instantOf(at: LocalDateTime, timeZone: string): number {
  return at.kind === 'instant' ? at.ms : wallMsToInstant(timeZone, at.wallMs);
}

function boundMs(value: string | null, timeZone: string): number | null {
  if (value === null || value === undefined) return null;
  const parsed = parseLocalDateTime(value);
  return parsed ? instantOf(parsed, timeZone) : null;
}

type Core = { next(afterMs: number): number | null; prev(atMs: number): number | null };

/** The days a calendar rule runs on, as a predicate over day numbers. */
function dayMatcher(rule: Extract<ScheduleRule, { type: 'daily' | 'weekly' | 'monthly' }>): (dayNo: number) => boolean {
  if (rule.type === 'daily') return () => true;
  if (rule.type === 'weekly') {
    const days = new Set(rule.days);
    // 1970-01-01 was a Thursday (4).
    return (n) => days.has((((n + 4) % 7) + 7) % 7);
  }
  const days = new Set(rule.days);
  return (n) => {
    const c = civilFromDayNumber(n);
    return days.has(c.day) || (rule.last && c.day === daysInMonth(c.year, c.month));
  };
}

function calendarCore(rule: Extract<ScheduleRule, { type: 'daily' | 'weekly' | 'monthly' }>, tz: string): Core {
  const matches = dayMatcher(rule);
  const times = rule.times;
  return {
    next(afterMs) {
      // Start a day early: an instant of the previous local day can still lie after `afterMs`
      // only through DST resolution, which never moves a time by more than a day.
      const first = Math.floor(wallMsAt(tz, afterMs) / DAY_MS) - 1;
      for (let d = first; d <= first + CALENDAR_SEARCH_DAYS; d++) {
        if (!matches(d)) continue;
        for (const t of times) {
          const instant = wallMsToInstant(tz, d * DAY_MS + t * MINUTE_MS);
          if (instant > afterMs) return instant;
        }
      }
      return null;
    },
    prev(atMs) {
      const first = Math.floor(wallMsAt(tz, atMs) / DAY_MS) + 1;
      for (let d = first; d >= first - CALENDAR_SEARCH_DAYS; d--) {
        if (!matches(d)) continue;
        for (let i = times.length - 1; i >= 0; i--) {
          const instant = wallMsToInstant(tz, d * DAY_MS + times[i]! * MINUTE_MS);
          if (instant <= atMs) return instant;
        }
      }
      return null;
    },
  };
}

function intervalCore(everyMs: number, anchorMs: number): Core {
  return {
    next(afterMs) {
      const k = afterMs < anchorMs ? 0 : Math.floor((afterMs - anchorMs) / everyMs) + 1;
      return anchorMs + k * everyMs;
    },
    prev(atMs) {
      if (atMs < anchorMs) return null;
      return anchorMs + Math.floor((atMs - anchorMs) / everyMs) * everyMs;
    },
  };
}

/**
 * Croner answers one query in ~0.1 ms; the planner asks thousands. Jobs sharing a pattern and zone
 * ask the same questions (their last occurrence, now), so answers are memoised with the Cron.
 */
interface MemoCron {
  cron: Cron;
  next: Map<number, number | null>;
  prev: Map<number, number | null>;
}

const crons = new Map<string, MemoCron>();
const MEMO_LIMIT = 20_000;

function memo(map: Map<number, number | null>, key: number, compute: () => number | null): number | null {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

function cronCore(pattern: string, tz: string): Core | null {
  const key = `${tz} ${pattern}`;
  let entry = crons.get(key);
  if (!entry) {
    try {
      const cron = new Cron(pattern, { timezone: tz, paused: true, mode: '5-part', fixedTimeRule: 'no-wildcard' });
      entry = { cron, next: new Map(), prev: new Map() };
    } catch {
      return null;
    }
    if (crons.size > 500) crons.clear();
    crons.set(key, entry);
  }
  const { cron, next, prev } = entry;
  return {
    next: (afterMs) => memo(next, afterMs, () => cron.nextRun(new Date(afterMs))?.getTime() ?? null),
    // previousRuns is strictly before its reference.
    prev: (atMs) => memo(prev, atMs, () => cron.previousRuns(1, new Date(atMs + 1))[0]?.getTime() ?? null),
  };
}

/**
 * Forgets every memo (Cron instances and answers, parsed rules, zone offsets), as a fresh Apps Script
 * execution starts: benchmarks use it to measure a cold plan. Results never depend on it.
 */
export function resetScheduleMemos(): void {
  crons.clear();
  compiled.clear();
  resetGrammarMemos();
  resetTimeZoneMemos();
}

function onceCore(at: LocalDateTime, tz: string): Core {
  const instant = instantOf(at, tz);
  return {
    next: (afterMs) => (instant > afterMs ? instant : null),
    prev: (atMs) => (instant <= atMs ? instant : null),
  };
}

/**
 * Compiled schedules with their answers, shared by every job with the same schedule fields (and
 * anchor, for intervals): thousands of jobs usually share a few schedules ("daily 09:00" in one
 * zone), and in one plan they ask the same questions (their last occurrence, now). Pure facts, kept
 * for the life of the execution (bounded).
 */
const compiled = new Map<string, CompiledSchedule | null>();
const COMPILED_LIMIT = 5_000;

/**
 * Compiles a job's schedule; null when schedule_value does not parse (a stored job always parses).
 * Bounds: occurrences are kept inside [start_at, end_at].
 */
export function compileSchedule(job: ScheduleFields, options: OccurrenceOptions = {}): CompiledSchedule | null {
  const anchorMs = job.schedule_type === 'interval' && !job.start_at ? (options.anchor?.getTime() ?? 0) : 0;
  const key = `${job.schedule_type}\u0000${job.schedule_value}\u0000${job.timezone}\u0000${job.start_at ?? ''}\u0000${job.end_at ?? ''}\u0000${anchorMs}`;
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  const schedule = compileUncached(job, options);
  const shared = schedule && memoized(schedule);
  if (compiled.size >= COMPILED_LIMIT) compiled.clear();
  compiled.set(key, shared);
  return shared;
}

function memoized(schedule: CompiledSchedule): CompiledSchedule {
  const next = new Map<number, number | null>();
  const prev = new Map<number, number | null>();
  return {
    next: (afterMs) => memo(next, afterMs, () => schedule.next(afterMs)),
    prev: (atMs) => memo(prev, atMs, () => schedule.prev(atMs)),
  };
}

function compileUncached(job: ScheduleFields, options: OccurrenceOptions): CompiledSchedule | null {
  const parsed = parseStoredScheduleValue(job.schedule_type, job.schedule_value);
  if (!parsed.ok) return null;
  const tz = job.timezone;
  const start = boundMs(job.start_at, tz);
  const end = boundMs(job.end_at, tz);
  const rule = parsed.rule;
  let core: Core;
  switch (rule.type) {
    case 'daily':
    case 'weekly':
    case 'monthly':
      core = calendarCore(rule, tz);
      break;
    case 'interval':
      core = intervalCore(rule.everyMs, start ?? options.anchor?.getTime() ?? 0);
      break;
    case 'cron': {
      const cron = cronCore(rule.pattern, tz);
      if (!cron) return null;
      core = cron;
      break;
    }
    case 'once':
      core = onceCore(rule.at, tz);
      break;
  }
  return {
    next(afterMs) {
      const from = start !== null && afterMs < start ? start - 1 : afterMs;
      const t = core.next(from);
      return t === null || (end !== null && t > end) ? null : t;
    },
    prev(atMs) {
      const at = end !== null && atMs > end ? end : atMs;
      const t = core.prev(at);
      return t === null || (start !== null && t < start) ? null : t;
    },
  };
}

/** The next `count` occurrences strictly after `from`, in order (fewer when the schedule ends). */
export function nextRuns(job: ScheduleFields, from: Date, count: number, options: OccurrenceOptions = {}): Date[] {
  const schedule = compileSchedule(job, options);
  const out: Date[] = [];
  if (!schedule) return out;
  let after = from.getTime();
  while (out.length < count) {
    const t = schedule.next(after);
    if (t === null) break;
    out.push(new Date(t));
    after = t;
  }
  return out;
}

/** The latest occurrence at or before `before`, or null (used for misfire decisions). */
export function previousRun(job: ScheduleFields, before: Date, options: OccurrenceOptions = {}): Date | null {
  const t = compileSchedule(job, options)?.prev(before.getTime());
  return t === null || t === undefined ? null : new Date(t);
}

// ---------------------------------------------------------------- describing

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function weekdaysText(days: number[]): string {
  if (days.length === 7) return 'every day';
  if (days.join() === '1,2,3,4,5') return 'every weekday (Monday to Friday)';
  if (days.join() === '0,6') return 'every Saturday and Sunday';
  return `every ${list(days.map((d) => DAY_NAMES[d]!))}`;
}

function intervalText(everyMs: number): string {
  const minutes = everyMs / MINUTE_MS;
  if (minutes % 1440 === 0) return minutes === 1440 ? 'Every day' : `Every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'Every hour' : `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

/** Human text of a schedule, e.g. "Every day at 09:00 (America/New_York)". */
export function describeSchedule(job: ScheduleFields): string {
  const parsed = parseScheduleValue(job.schedule_type, job.schedule_value);
  if (!parsed.ok) return `Invalid schedule (${job.schedule_type} ${job.schedule_value})`;
  const rule = parsed.rule;
  const tz = `(${job.timezone})`;
  const at = (times: number[]) => `at ${list(times.map(hhmm))}`;
  let text: string;
  switch (rule.type) {
    case 'daily':
      text = `Every day ${at(rule.times)} ${tz}`;
      break;
    case 'weekly': {
      const w = weekdaysText(rule.days);
      text = `${w.charAt(0).toUpperCase()}${w.slice(1)} ${at(rule.times)} ${tz}`;
      break;
    }
    case 'monthly': {
      const days = rule.days.map(ordinal);
      if (rule.last) days.push('last day');
      const skip = rule.days.some((d) => d > 28) ? ' (skipped in months without that day)' : '';
      text = `Monthly on the ${list(days)} ${at(rule.times)} ${tz}${skip}`;
      break;
    }
    case 'interval':
      text = `${intervalText(rule.everyMs)}${job.start_at ? ` from ${job.start_at.replace('T', ' ')}` : ''}`;
      break;
    case 'cron':
      text = `Cron "${rule.pattern}" ${tz}`;
      break;
    case 'once': {
      const iso = job.schedule_value.trim().replace(' ', 'T');
      text = `Once on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} ${rule.at.kind === 'local' ? tz : `(${iso.slice(16) || 'UTC'})`}`;
      break;
    }
  }
  const bounds: string[] = [];
  if (job.start_at && rule.type !== 'interval') bounds.push(`from ${job.start_at.replace('T', ' ')}`);
  if (job.end_at) bounds.push(`until ${job.end_at.replace('T', ' ')}`);
  return bounds.length ? `${text}, ${bounds.join(' ')}` : text;
}
